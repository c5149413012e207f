"""Training and validation groups for the reader, built only from ``../shared/data``.

A *group* is one question with a few candidate sentences (each with its neighbours) and a 0/1 label per
candidate: 1 when the sentence holds the answer. Groups without a positive teach the reader to say "not here":
SQuAD 2.0's unanswerable questions against their paragraph, answerable questions against their paragraph with
the answer sentence taken out, and presence questions about things the article never mentions.

Articles are split into folds by their position in the SQuAD part-A file (``index % folds``, as the other
fitters in ``embeddings/evaluation`` do); SQuAD 2.0 part A shares those articles and follows the same folds.
Training uses the other folds, SQuAD 2.0 train-first10 (different articles) and CNN/DailyMail; validation uses
the held-out fold only. Everything is seeded.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from embeddings.models import Candidate
from embeddings.text import split_sentences

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SQUAD = "squad-dev-v1.1-part-a.json"
SQUAD2 = "squad2-dev-part-a.json"
SQUAD2_TRAIN = "squad2-train-first10.json"
CNNDM = "cnndm-test-part-a.jsonl"

STOP = set(
    "a an the of in on at to for from by with about as is are was were be been being do does did what which who whom "
    "whose when where why how that this these those it its into than then there their they he she his her him and or "
    "but not no can could would should will shall may might has have had many much one also s".split()
)
WORD = re.compile(r"[\w'-]+")


@dataclass
class Paragraph:
    """One paragraph cut into sentences (text spans as the pipeline cuts them)."""

    article: int
    sentences: list[str]

    def candidate(self, index: int) -> Candidate:
        before = self.sentences[index - 1] if index > 0 else ""
        after = self.sentences[index + 1] if index + 1 < len(self.sentences) else ""
        return Candidate(self.sentences[index], before, after)


@dataclass
class Question:
    text: str
    paragraph: Paragraph
    answers: list[str]  # empty: unanswerable
    source: str
    positives: list[int] = field(default_factory=list)  # sentences holding an answer


@dataclass
class Group:
    question: str
    candidates: list[Candidate]
    labels: list[float]
    source: str


def cut(text: str) -> list[str]:
    return [text[span.start:span.end] for span in split_sentences(text)]


def positives_of(sentences: list[str], context: str, answers: list[dict]) -> list[int]:
    """Indexes of the sentences holding an answer span (located by its offset, else by its text)."""
    found = set()
    starts = []
    position = 0
    for sentence in sentences:
        start = context.find(sentence, position)
        starts.append(start)
        if start >= 0:
            position = start + len(sentence)
    for answer in answers:
        offset = answer.get("answer_start", -1)
        for index, (start, sentence) in enumerate(zip(starts, sentences, strict=True)):
            if start >= 0 and start <= offset < start + len(sentence):
                found.add(index)
                break
        else:
            found.update(i for i, sentence in enumerate(sentences) if answer["text"] in sentence)
    return sorted(found)


def read_squad(path: Path, source: str, article_offset: int = 0, titles: dict[str, int] | None = None):
    """Paragraphs and questions of a SQuAD file; ``titles`` maps a title to its part-A article index."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    questions: list[Question] = []
    for number, article in enumerate(data):
        index = titles.get(article["title"], -1) if titles is not None else article_offset + number
        for entry in article["paragraphs"]:
            sentences = cut(entry["context"])
            if not sentences:
                continue
            paragraph = Paragraph(index, sentences)
            for qa in entry["qas"]:
                answers = [] if qa.get("is_impossible") else qa["answers"]
                question = Question(qa["question"].strip(), paragraph, [a["text"] for a in answers], source)
                if answers:
                    question.positives = positives_of(sentences, entry["context"], answers)
                    if not question.positives:
                        continue
                questions.append(question)
    return questions


def read_cnndm(path: Path, limit: int | None = None) -> list[Question]:
    """Highlight → the article sentence sharing most of its content words (when it shares enough)."""
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if limit is not None and number >= limit:
            break
        record = json.loads(line)
        sentences = cut(record["article"])[:60]
        if len(sentences) < 4:
            continue
        words = [set(WORD.findall(s)) - STOP for s in sentences]
        for highlight in record["highlights"].splitlines():
            wanted = set(WORD.findall(highlight)) - STOP
            if len(wanted) < 3:
                continue
            overlaps = [len(wanted & w) / len(wanted) for w in words]
            best = max(range(len(sentences)), key=overlaps.__getitem__)
            if overlaps[best] < 0.5:
                continue
            # the article as one paragraph, sliced around the answer so neighbours are real neighbours
            paragraph = Paragraph(100_000 + number, sentences)
            questions.append(Question(highlight.strip(), paragraph, [], "cnndm", [best]))
    return questions


# ---- question forms like the ones members type (rules over SQuAD questions) ----

def short_form(question: str, rng: random.Random) -> str:
    words = [w for w in WORD.findall(question) if w.lower() not in STOP]
    if not words:
        return question
    keep = words[: rng.randint(1, min(4, len(words)))] if len(words) > 4 else words
    return " ".join(keep).lower() + ("?" if rng.random() < 0.6 else "")


def typo_form(question: str, rng: random.Random) -> str:
    words = question.split()
    long = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    for i in rng.sample(long, min(len(long), rng.randint(1, 2))):
        w = words[i]
        j = rng.randrange(1, len(w) - 1)
        words[i] = rng.choice([w[:j] + w[j + 1:], w[:j] + w[j + 1] + w[j] + w[j + 2:], w[:j] + w[j] + w[j:]])
    text = " ".join(words)
    return text.lower() if rng.random() < 0.5 else text


def presence_form(topic: str, rng: random.Random) -> str:
    return rng.choice(["does it mention {}?", "is there anything about {}", "any mention of {}?",
                       "does the article say anything about {}?", "{} mentioned?"]).format(topic)


def yes_no_form(question: str, answer: str, rng: random.Random) -> str:
    keywords = " ".join(w for w in WORD.findall(question) if w.lower() not in STOP)
    return rng.choice(["is it {a}? ({k})", "was {k} {a}?", "{k}: {a}, right?", "is {a} the {k}?"]).format(
        a=answer, k=keywords.lower())


def forms(question: Question, rng: random.Random) -> list[tuple[str, str]]:
    """Rule-made variants of an answerable SQuAD question: (text, form)."""
    made = [(short_form(question.text, rng), "short"), (typo_form(question.text, rng), "typo")]
    answer = question.answers[0]
    if len(answer.split()) <= 4:
        made.append((yes_no_form(question.text, answer, rng), "yes_no"))
        made.append((presence_form(answer, rng), "presence"))
    return made


# ---- groups ----

def article_paragraphs(questions: list[Question]) -> dict[int, list[Paragraph]]:
    seen: dict[int, dict[int, Paragraph]] = {}
    for question in questions:
        seen.setdefault(question.paragraph.article, {})[id(question.paragraph)] = question.paragraph
    return {article: list(paragraphs.values()) for article, paragraphs in seen.items()}


def other_sentences(paragraph: Paragraph, pool: list[Paragraph], rng: random.Random, n: int) -> list[Candidate]:
    others = [p for p in pool if p is not paragraph]
    picked = []
    for _ in range(n):
        if not others:
            break
        p = rng.choice(others)
        picked.append(p.candidate(rng.randrange(len(p.sentences))))
    return picked


def make_group(question: Question, text: str, pool: list[Paragraph], rng: random.Random, size: int,
               source: str, drop_positive: bool = False) -> Group:
    """Positive (unless dropped or unanswerable) + same-paragraph sentences + other paragraphs of the article."""
    paragraph = question.paragraph
    positives = [] if drop_positive else question.positives
    candidates: list[Candidate] = []
    labels: list[float] = []
    if positives:
        candidates.append(paragraph.candidate(rng.choice(positives)))
        labels.append(1.0)
    same = [i for i in range(len(paragraph.sentences)) if i not in question.positives]
    rng.shuffle(same)
    for i in same[: max(0, size - len(candidates) - 1)]:
        candidates.append(paragraph.candidate(i))
        labels.append(0.0)
    for candidate in other_sentences(paragraph, pool, rng, size - len(candidates)):
        candidates.append(candidate)
        labels.append(0.0)
    return Group(text, candidates, labels, source)


def training_groups(folds: int = 4, held_out: int = 3, seed: int = 13, size: int = 4,
                    cnndm_limit: int | None = None, data: Path = DATA) -> list[Group]:
    """Every training group, shuffled with ``seed``."""
    rng = random.Random(seed)
    squad = read_squad(data / SQUAD, "squad")
    titles = {a["title"]: i for i, a in enumerate(json.loads((data / SQUAD).read_text())["data"])}
    squad2 = read_squad(data / SQUAD2, "squad2", titles=titles)
    train2 = read_squad(data / SQUAD2_TRAIN, "squad2_train", article_offset=1000)
    cnndm = [q for q in read_cnndm(data / CNNDM, cnndm_limit) if q.paragraph.article % folds != held_out]
    keep = [q for q in squad if q.paragraph.article % folds != held_out]
    unanswerable = [q for q in squad2 if not q.answers and q.paragraph.article % folds != held_out]
    train2_answerable = [q for q in train2 if q.answers]
    train2_unanswerable = [q for q in train2 if not q.answers]
    pools = article_paragraphs(keep + unanswerable + train2 + cnndm)
    all_answers = [q.answers[0] for q in keep + train2_answerable if len(q.answers[0].split()) <= 4]
    groups: list[Group] = []
    for question in keep + train2_answerable:
        pool = pools[question.paragraph.article]
        groups.append(make_group(question, question.text, pool, rng, size, question.source))
        if rng.random() < 0.25:  # the answer paragraph with the answer sentence taken out
            groups.append(make_group(question, question.text, pool, rng, size, "no_answer_sentence", True))
        for text, form in forms(question, rng):
            if rng.random() < 0.35:
                groups.append(make_group(question, text, pool, rng, size, form))
        if rng.random() < 0.1:  # presence of something this article never mentions
            topic = rng.choice(all_answers)
            whole = " ".join(" ".join(p.sentences) for p in pool)
            if topic.lower() not in whole.lower():
                groups.append(make_group(question, presence_form(topic, rng), pool, rng, size, "presence_absent",
                                         True))
    for question in unanswerable + train2_unanswerable:
        groups.append(make_group(question, question.text, pools[question.paragraph.article], rng, size, "unanswerable"))
    for question in cnndm:
        groups.append(make_group(question, question.text, pools[question.paragraph.article], rng, size, "cnndm"))
    rng.shuffle(groups)
    return groups


@dataclass
class Validation:
    """Held-out fold: answerable questions against their article's sentences, unanswerable against theirs."""

    answerable: list[tuple[str, list[Candidate], list[int]]]  # question, candidates, indexes holding the answer
    unanswerable: list[tuple[str, list[Candidate]]]


def validation_set(folds: int = 4, held_out: int = 3, seed: int = 7, limit: int = 150,
                   data: Path = DATA) -> Validation:
    """R@1 among the answer paragraph and two other paragraphs of the article; AUROC on paragraph candidates."""
    rng = random.Random(seed)
    titles = {a["title"]: i for i, a in enumerate(json.loads((data / SQUAD).read_text())["data"])}
    squad2 = [q for q in read_squad(data / SQUAD2, "squad2", titles=titles) if q.paragraph.article % folds == held_out]
    pools = article_paragraphs(squad2)
    answerable = [q for q in squad2 if q.answers]
    unanswerable = [q for q in squad2 if not q.answers]
    rng.shuffle(answerable)
    rng.shuffle(unanswerable)
    out_a = []
    for question in answerable[:limit]:
        paragraph = question.paragraph
        others = [p for p in pools[paragraph.article] if p is not paragraph]
        chosen = [paragraph, *rng.sample(others, min(2, len(others)))]
        candidates = [p.candidate(i) for p in chosen for i in range(len(p.sentences))]
        out_a.append((question.text, candidates, list(question.positives)))
    out_u = []
    for question in unanswerable[:limit]:
        paragraph = question.paragraph
        others = [p for p in pools[paragraph.article] if p is not paragraph]
        chosen = [paragraph, *rng.sample(others, min(2, len(others)))]
        out_u.append((question.text, [p.candidate(i) for p in chosen for i in range(len(p.sentences))]))
    return Validation(out_a, out_u)
