"""Fit the cross-lingual route's weights and threshold on XQuAD part A (``python -m
embeddings.evaluation.fit_crosslingual DIR``).

Each language's questions are asked of one English article made of every paragraph of the set
(positives: all answerable) and of the English paragraphs of the next title (negatives: the
other-article questions abstention must decline). The features are what :mod:`..crosslingual`
scores with: e5 cosines of the paragraphs and sentences, and BM25 of the question's words
(stemmed as the article is, the question's own function words dropped).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from ..models import E5Encoder
from ..ranking import LexicalIndex, segment_max, sentence_texts
from ..vectors import EmbeddingCache
from .squad import SquadArticle, build_article


class E5Queries:
    """e5's question side as an encoder the embedding cache can keep (fitting only)."""

    def __init__(self, e5: E5Encoder) -> None:
        self.e5 = e5

    @property
    def identity(self) -> str:
        return self.e5.identity.replace(":passage", ":query")

    def encode(self, texts):
        rows = self.e5.query(list(texts))
        assert rows is not None
        return rows


def load(path: Path) -> tuple[list[str], list[str], list[tuple[str, int, int]]]:
    """Titles per paragraph, contexts, and (question, global paragraph, title number) per question."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    titles, contexts, questions = [], [], []
    for number, item in enumerate(data):
        for paragraph in item["paragraphs"]:
            for qa in paragraph["qas"]:
                questions.append((qa["question"], len(contexts), number))
            titles.append(item["title"])
            contexts.append(paragraph["context"])
    return titles, contexts, questions


def features(article_language: str, contexts: list[str], questions: list[tuple[str, int, int]],
             question_language: str, e5: E5Encoder, cache: EmbeddingCache) -> dict[str, np.ndarray]:
    """Per question (Q,) gold paragraph and (Q, P) paragraph cosine, best sentence cosine, paragraph BM25
    and best sentence BM25 (both divided by the query's bound)."""
    article = build_article(SquadArticle("xquad", tuple(contexts), ()))
    sentences = sentence_texts(article)
    counts = np.array([len(p.sentences) for p in article.paragraphs])
    firsts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    vectors, _ = cache.embed(e5, [p.text for p in article.paragraphs] + sentences)
    paragraph_vectors, sentence_vectors = vectors[: len(contexts)], vectors[len(contexts) :]
    query_vectors, _ = cache.embed(E5Queries(e5), [q for q, _, _ in questions])
    paragraph_lexical = LexicalIndex([p.text for p in article.paragraphs], language=article_language)
    sentence_lexical = LexicalIndex(sentences, language=article_language)
    rows: dict[str, list] = {"pcos": [], "scos": [], "pbm": [], "sbm": []}
    for (question, _, _), query in zip(questions, query_vectors, strict=True):
        rows["pcos"].append(paragraph_vectors @ query)
        rows["scos"].append(segment_max(sentence_vectors @ query, firsts))
        terms = paragraph_lexical.query_terms(question, question_language)
        rows["pbm"].append(paragraph_lexical.normalised_scores(terms))
        rows["sbm"].append(segment_max(sentence_lexical.normalised_scores(terms), firsts))
    out = {key: np.array(value, dtype=np.float32) for key, value in rows.items()}
    out["gold"] = np.array([g for _, g, _ in questions])
    out["title"] = np.array([t for _, _, t in questions])
    return out


def report(
    saved: dict[str, np.ndarray], quantile: float = 0.01, weights: tuple[float, ...] = (0, 0.1, 0.25, 0.5)
) -> None:
    """Print, per direction ("ru>en": Russian questions, English article), R@1 by BM25 weight, the threshold
    leaving ``quantile`` of the questions below it, and the share of that threshold's held-out half below."""
    for key in sorted({name.split(":")[0] for name in saved if ":" in name}):
        names = ("pcos", "scos", "pbm", "sbm", "gold", "title")
        pcos, scos, pbm, sbm, gold, title = (saved[f"{key}:{name}"] for name in names)
        recall = {w: float(np.mean((pcos + scos + w * (pbm + sbm)).argmax(1) == gold)) for w in weights}
        best = (pcos + scos).argmax(1)
        confidence = ((pcos + scos) / 2)[np.arange(len(gold)), best]
        halves = [title % 2 == half for half in (0, 1)]
        held_out = [float(np.mean(confidence[~fit] < np.quantile(confidence[fit], quantile))) for fit in halves]
        print(key, "R@1 by BM25 weight", {w: round(r, 3) for w, r in recall.items()},
              f"threshold {np.quantile(confidence, quantile):.4f}", "held-out below", [round(h, 3) for h in held_out])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--languages", default="en,ru,de,es,zh,ar")
    parser.add_argument("--pairs", default="ru>de,de>ru,es>ru,ru>es,zh>ar,ar>zh,de>es,es>de,ru>zh,zh>ru",
                        help="question>article pairs of two languages other than English")
    parser.add_argument("--cache-dir", default="/work/notes/fit-cache")
    parser.add_argument("--out", default="/work/notes/crosslingual-features.npz")
    args = parser.parse_args(argv)
    e5 = E5Encoder()
    cache = EmbeddingCache(Path(args.cache_dir))
    root = Path(args.dir)
    _, english, english_questions = load(root / "xquad.en.json")
    saved: dict[str, np.ndarray] = {}
    for language in args.languages.split(","):
        _, contexts, questions = load(root / f"xquad.{language}.json")
        forward = features("en", english, questions, language, e5, cache)
        saved.update({f"{language}>en:{k}": v for k, v in forward.items()})
        if language != "en":
            reverse = features(language, contexts, english_questions, "en", e5, cache)
            saved.update({f"en>{language}:{k}": v for k, v in reverse.items()})
            same = features(language, contexts, questions, language, e5, cache)
            saved.update({f"{language}>{language}:{k}": v for k, v in same.items()})
        print(language, "done", file=sys.stderr, flush=True)
    for pair in filter(None, args.pairs.split(",")):
        asked, written = pair.split(">")
        _, contexts, _ = load(root / f"xquad.{written}.json")
        _, _, questions = load(root / f"xquad.{asked}.json")
        saved.update({f"{pair}:{k}": v for k, v in features(written, contexts, questions, asked, e5, cache).items()})
    np.savez(args.out, allow_pickle=False, **saved)
    report(saved)
    return 0


if __name__ == "__main__":
    sys.exit(main())
