"""The reader against today's pipeline, question by question, on the same shortlist.

    python -m embeddings.evaluation.reader_eval run --reader DIR --dump trials.jsonl [--folds 4 --held-out 3]
    python -m embeddings.evaluation.reader_eval run --dump pipeline.jsonl      (no --reader: the pipeline only)
    python -m embeddings.evaluation.reader_eval score pipeline.jsonl --reader DIR --out trials.jsonl
    python -m embeddings.evaluation.reader_eval timing --reader DIR             (answer vs reader, one process)
    python -m embeddings.evaluation.reader_eval report trials.jsonl [--threshold T] [--margin M]

``run`` asks every question as the bot does (the fast route, settled by the second opinion when it is there),
records the pipeline's outcome (first paragraph, answered, first quote) and the confidence, takes the top
``--shortlist`` sentences of its sentence ranking, and has the reader score them (each with its neighbours),
timing both. Sets: SQuAD part A's held-out fold (the articles the reader did not train on: ``index % folds ==
held_out``), SQuAD 2.0 part A's same articles (answerable and unanswerable questions) and the natural set(s).

``report`` replays decisions from the dump without running any model: the pipeline as it is; the reader alone
(reranks the shortlist, declines below a threshold); and the cascade (the reader only where the pipeline is not
sure: confidence under its threshold plus a margin). The reader's threshold is chosen on the SQuAD held-out fold
(answerable false abstention at most 5 %) unless given, never on a natural set.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from ..answers import Answerer
from ..models import Candidate, Encoder, Reader, make_encoder
from ..ranking import ArticleIndex, build_index, make_second_opinion, top_k
from ..text import load_article
from ..vectors import EmbeddingCache
from .metrics import auroc
from .questions import SHIPPED, load_questions
from .squad import build_article, load_squad

SHORTLIST = 8


@dataclass
class Trial:
    """One question: the pipeline's outcome and the reader's scores of the shortlist."""

    kind: str  # squad | squad2 | natural:<file stem>
    form: str
    question: str
    answerable: bool
    gold: list[int]  # 0-based answering paragraphs
    pipeline_rank1: bool
    pipeline_answered: bool
    pipeline_first: int | None
    pipeline_quote_hit: bool
    confidence: float
    threshold: float
    shortlist_paragraphs: list[int]
    shortlist_hits: list[bool]  # the sentence holds an answer (SQuAD) or the evidence (natural)
    reader: list[float]
    pipeline_seconds: float
    reader_seconds: float
    candidates: list[list[str]] = field(default_factory=list)  # the shortlist: [sentence, before, after]


def candidates(index: ArticleIndex, sentences: Iterable[int]) -> list[Candidate]:
    """Each global sentence with its paragraph neighbours."""
    article = index.article
    out = []
    for s in sentences:
        p = int(index.sentence_paragraph[s])
        spans = article.paragraphs[p].sentences
        local = int(s - index.paragraph_first_sentence[p])
        before = article.sentence_text(spans[local - 1]) if local > 0 else ""
        after = article.sentence_text(spans[local + 1]) if local + 1 < len(spans) else ""
        out.append(Candidate(article.sentence_text(spans[local]), before, after))
    return out


def trial(answerer: Answerer, reader: Reader | None, index: ArticleIndex, kind: str, form: str, question: str,
          gold: Sequence[int], answers: Sequence[str], shortlist: int) -> Trial:
    started = time.perf_counter()
    scores, confidence = answerer.settle(index, question, answerer.score(index, question))
    answer = answerer.answer_settled(index, question, scores, confidence)
    pipeline_seconds = time.perf_counter() - started
    first = answer.citations[0] if answer.citations else None
    chosen = [int(s) for s in top_k(scores.sentence, shortlist)]
    listed = candidates(index, chosen)
    started = time.perf_counter()
    read = reader.score(question, listed) if reader is not None else []
    reader_seconds = time.perf_counter() - started
    texts = [c.sentence for c in listed]
    return Trial(
        kind, form, question, bool(gold), list(gold), int(top_k(scores.paragraph, 1)[0]) in gold, answer.answered,
        first.paragraph - 1 if first else None, bool(first and any(a in first.quote for a in answers)),
        float(confidence), answerer.settings.threshold, [int(index.sentence_paragraph[s]) for s in chosen],
        [any(a in text for a in answers) for text in texts], [float(x) for x in read], pipeline_seconds,
        reader_seconds, [list(c) for c in listed],
    )


def rescore(trials: Iterable[Trial], reader: Reader) -> Iterable[Trial]:
    """The trials with the reader's scores of their recorded shortlists (and its time)."""
    for t in trials:
        started = time.perf_counter()
        read = reader.score(t.question, [Candidate(*c) for c in t.candidates])
        yield replace(t, reader=[float(x) for x in read], reader_seconds=time.perf_counter() - started)


def timing(path: Path, encoder: Encoder, cache: EmbeddingCache, answerer: Answerer, reader: Reader,
           shortlist: int, rounds: int = 3) -> dict:
    """Benchmark-style, in one process: each natural question answered as today (``Answerer.answer``) and the
    reader over its shortlist, alternately, ``rounds`` times; medians and p90 in milliseconds, of wall time and of
    this process's CPU time (the figure that holds on a machine shared with other work)."""
    indexes: dict[Path, ArticleIndex] = {}
    asked = []
    for q in load_questions(path):
        if q.article not in indexes:
            indexes[q.article] = build_index(load_article(q.article), encoder, cache)
            if answerer.second is not None:
                answerer.second.indexes.build(indexes[q.article])
        index = indexes[q.article]
        scores = answerer.score(index, q.text)
        asked.append((index, q.text, candidates(index, [int(s) for s in top_k(scores.sentence, shortlist)])))
    answer_times, reader_times, answer_cpu, reader_cpu = [], [], [], []
    reader.load()
    for _ in range(rounds):
        for index, question, listed in asked:
            started, cpu = time.perf_counter(), time.process_time()
            answerer.answer(index, question)
            answer_times.append(time.perf_counter() - started)
            answer_cpu.append(time.process_time() - cpu)
            started, cpu = time.perf_counter(), time.process_time()
            reader.score(question, listed)
            reader_times.append(time.perf_counter() - started)
            reader_cpu.append(time.process_time() - cpu)

    def ms(values, q) -> float:
        return round(1000 * float(np.quantile(values, q)), 1)

    return {"questions": len(asked), "rounds": rounds, "shortlist": shortlist,
            "answer_ms_p50": ms(answer_times, 0.5), "answer_ms_p90": ms(answer_times, 0.9),
            "reader_ms_p50": ms(reader_times, 0.5), "reader_ms_p90": ms(reader_times, 0.9),
            "answer_cpu_ms_p50": ms(answer_cpu, 0.5), "reader_cpu_ms_p50": ms(reader_cpu, 0.5),
            "reader_cpu_ms_p90": ms(reader_cpu, 0.9)}


def squad_trials(path: Path, kind: str, folds: int, held_out: int, limit: int | None, seed: int,
                 titles: list[str], encoder: Encoder, cache: EmbeddingCache, answerer: Answerer, reader: Reader | None,
                 shortlist: int, answerable_only: bool = False) -> Iterable[Trial]:
    """Questions of the held-out articles (fold by position in SQuAD part A's file), sampled with ``seed``."""
    items = [item for item in load_squad(path) if titles.index(item.title) % folds == held_out]
    raw = json.loads(path.read_text(encoding="utf-8"))["data"]
    impossible = {qa["id"] for a in raw for p in a["paragraphs"] for qa in p["qas"] if qa.get("is_impossible")}
    asked = [(item, q) for item in items for q in item.questions if not (answerable_only and q.id in impossible)]
    random.Random(seed).shuffle(asked)
    asked = asked[:limit] if limit else asked
    indexes = {}
    for item, q in asked:
        if item.title not in indexes:
            indexes[item.title] = build_index(build_article(item), encoder, cache)
            if answerer.second is not None:
                answerer.second.indexes.build(indexes[item.title])
        unanswerable = q.id in impossible
        yield trial(answerer, reader, indexes[item.title], kind, "unanswerable" if unanswerable else "squad",
                    " ".join(q.text.split()), [] if unanswerable else [q.paragraph], q.answers, shortlist)


def natural_trials(path: Path, encoder: Encoder, cache: EmbeddingCache, answerer: Answerer, reader: Reader | None,
                   shortlist: int) -> Iterable[Trial]:
    indexes: dict[Path, ArticleIndex] = {}
    for q in load_questions(path):
        if q.article not in indexes:
            indexes[q.article] = build_index(load_article(q.article), encoder, cache)
            if answerer.second is not None:
                answerer.second.indexes.build(indexes[q.article])
        yield trial(answerer, reader, indexes[q.article], f"natural:{path.stem}", q.form, q.text,
                    [p - 1 for p in q.paragraphs], [q.evidence] if q.evidence else [], shortlist)


# ---- replaying decisions ----

@dataclass(frozen=True)
class Decision:
    rank1: bool
    answered: bool
    quote_hit: bool


def pipeline(t: Trial) -> Decision:
    return Decision(t.pipeline_rank1, t.pipeline_answered, t.pipeline_quote_hit)


def reader_alone(t: Trial, threshold: float) -> Decision:
    if not t.reader:
        return Decision(False, False, False)
    best = int(np.argmax(t.reader))
    return Decision(t.shortlist_paragraphs[best] in t.gold, t.reader[best] >= threshold, t.shortlist_hits[best])


def cascade(t: Trial, threshold: float, margin: float) -> Decision:
    """The pipeline where it is sure (confidence at least its threshold + ``margin``), the reader elsewhere."""
    return pipeline(t) if t.confidence >= t.threshold + margin else reader_alone(t, threshold)


def veto(t: Trial, threshold: float) -> Decision:
    """The pipeline's pick, declined when the reader's best score of the shortlist is under ``threshold``."""
    keep = bool(t.reader) and max(t.reader) >= threshold
    return Decision(t.pipeline_rank1, t.pipeline_answered and keep, t.pipeline_quote_hit)


def figures(decisions: Sequence[tuple[Trial, Decision]]) -> dict:
    answerable = [(t, d) for t, d in decisions if t.answerable]
    unanswerable = [d for t, d in decisions if not t.answerable]

    def mean(values) -> float:
        values = list(values)
        return round(float(np.mean(values)), 3) if values else float("nan")

    return {
        "questions": len(decisions),
        "r_at_1": mean(d.rank1 for _, d in answerable),
        "right_first": mean(d.rank1 and d.answered for _, d in answerable),
        "quote_hit": mean(d.quote_hit and d.answered for _, d in answerable),
        "false_abstention": mean(not d.answered for _, d in answerable),
        "unanswerable_declined": mean(not d.answered for d in unanswerable),
    }


def reader_threshold(trials: Sequence[Trial], false_abstention: float = 0.05) -> float:
    """The reader score under which ``false_abstention`` of the SQuAD held-out answerable questions fall."""
    best = [max(t.reader) for t in trials if t.kind.startswith("squad") and t.answerable and t.reader]
    return float(np.quantile(best, false_abstention)) if best else 0.0


def report(trials: Sequence[Trial], threshold: float | None, margins: Sequence[float]) -> dict:
    threshold = reader_threshold(trials) if threshold is None else threshold
    out: dict = {"reader_threshold": round(threshold, 3), "sets": {}}
    for kind in sorted({t.kind for t in trials}):
        rows = [t for t in trials if t.kind == kind]
        best_a = [max(t.reader) for t in rows if t.answerable and t.reader]
        best_u = [max(t.reader) for t in rows if not t.answerable and t.reader]
        systems = {"pipeline": figures([(t, pipeline(t)) for t in rows]),
                   "reader": figures([(t, reader_alone(t, threshold)) for t in rows]),
                   "pipeline+veto": figures([(t, veto(t, threshold)) for t in rows])}
        for margin in margins:
            systems[f"cascade+{margin:g}"] = figures([(t, cascade(t, threshold, margin)) for t in rows])
        sure = {f"{m:g}": round(float(np.mean([t.confidence >= t.threshold + m for t in rows])), 3) for m in margins}
        out["sets"][kind] = {
            "systems": systems,
            "shortlist_recall": round(float(np.mean([any(p in t.gold for p in t.shortlist_paragraphs)
                                                     for t in rows if t.answerable])), 3) if best_a else None,
            "reader_auroc": round(auroc(np.array(best_a), np.array(best_u)), 4) if best_a and best_u else None,
            "pipeline_auroc": round(auroc(np.array([t.confidence for t in rows if t.answerable]),
                                          np.array([t.confidence for t in rows if not t.answerable])), 4)
            if best_a and best_u else None,
            "sure_share": sure,
            "forms": {form: {"pipeline": figures([(t, pipeline(t)) for t in rows if t.form == form]),
                             "reader": figures([(t, reader_alone(t, threshold)) for t in rows if t.form == form])}
                      for form in sorted({t.form for t in rows})} if kind.startswith("natural") else {},
            "pipeline_ms_p50": round(1000 * float(np.median([t.pipeline_seconds for t in rows])), 1),
            "reader_ms_p50": round(1000 * float(np.median([t.reader_seconds for t in rows])), 1),
            "reader_ms_p90": round(1000 * float(np.quantile([t.reader_seconds for t in rows], 0.9)), 1),
        }
    return out


def table(result: dict) -> str:
    """The report as Markdown tables: one row per set and system, then the costs."""
    columns = ("r_at_1", "right_first", "quote_hit", "false_abstention", "unanswerable_declined")
    lines = [f"reader threshold {result['reader_threshold']}", "",
             "| set | system | questions | " + " | ".join(columns) + " |", "|---" * (len(columns) + 3) + "|"]
    for kind, data in result["sets"].items():
        for name, row in data["systems"].items():
            lines.append(f"| {kind} | {name} | {row['questions']} | "
                         + " | ".join(f"{row[c]:.3f}" for c in columns) + " |")
    lines += ["", "| set | shortlist recall | reader AUROC | pipeline AUROC | sure share | pipeline ms p50 | "
              "reader ms p50 | reader ms p90 |", "|---" * 8 + "|"]
    for kind, data in result["sets"].items():
        lines.append(f"| {kind} | {data['shortlist_recall']} | {data['reader_auroc']} | {data['pipeline_auroc']} | "
                     f"{data['sure_share']} | {data['pipeline_ms_p50']} | {data['reader_ms_p50']} | "
                     f"{data['reader_ms_p90']} |")
    for kind, data in result["sets"].items():
        if data["forms"]:
            lines += ["", f"{kind} by form (pipeline → reader)", "", "| form | questions | r_at_1 | quote_hit | "
                      "false_abstention | unanswerable_declined |", "|---" * 6 + "|"]
            for form, pair in data["forms"].items():
                a, b = pair["pipeline"], pair["reader"]
                lines.append(f"| {form} | {a['questions']} | " + " | ".join(
                    f"{a[c]:.2f} → {b[c]:.2f}" for c in ("r_at_1", "quote_hit", "false_abstention",
                                                         "unanswerable_declined")) + " |")
    return "\n".join(lines)


PROBES = (  # the examples on the bundled article: the paragraph that answers, or None (decline)
    ("What did Moscow claim about the area?", 1),
    ("Which news outlet is cited for the commander's statements?", 2),
    ("What did the evacuees bring with them?", 8),
    ("How many tanks does Germany have?", None),
)


def probe(encoder: Encoder, cache: EmbeddingCache, answerer: Answerer, reader: Reader, threshold: float,
          shortlist: int) -> list[dict]:
    """The probes on the bundled article: what the pipeline answers and what the reader picks (1-based ¶)."""
    from ..text import default_article_path

    index = build_index(load_article(default_article_path()), encoder, cache)
    rows = []
    for question, wanted in PROBES:
        answer = answerer.answer(index, question)
        scores = answerer.score(index, question)
        chosen = [int(s) for s in top_k(scores.sentence, shortlist)]
        read = reader.score(question, candidates(index, chosen))
        best = int(np.argmax(read))
        rows.append({"question": question, "wanted": wanted,
                     "pipeline": answer.citations[0].paragraph if answer.answered else None,
                     "reader": int(index.sentence_paragraph[chosen[best]]) + 1 if read[best] >= threshold else None,
                     "reader_score": round(float(read[best]), 3)})
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run")
    run.add_argument("--reader", type=Path, default=None, help="none: the pipeline only (score later)")
    run.add_argument("--sets", nargs="*", default=["natural", "squad", "squad2"])
    run.add_argument("--dump", type=Path, required=True)
    run.add_argument("--data", type=Path, default=Path("../shared/data"))
    run.add_argument("--natural", type=Path, nargs="*", default=[SHIPPED])
    run.add_argument("--folds", type=int, default=4)
    run.add_argument("--held-out", type=int, default=3)
    run.add_argument("--squad-limit", type=int, default=None)
    run.add_argument("--squad2-limit", type=int, default=None)
    run.add_argument("--shortlist", type=int, default=SHORTLIST)
    run.add_argument("--cache-dir", type=Path, default=Path(".cache/article-bot"))
    run.add_argument("--no-second-opinion", action="store_true")
    run.add_argument("--seed", type=int, default=5)
    scoring = commands.add_parser("score", help="the reader's scores of a dump's recorded shortlists")
    scoring.add_argument("dump", type=Path)
    scoring.add_argument("--reader", type=Path, required=True)
    scoring.add_argument("--out", type=Path, required=True)
    timed = commands.add_parser("timing", help="answer time vs reader time on a natural set, one process")
    timed.add_argument("--reader", type=Path, required=True)
    timed.add_argument("--natural", type=Path, default=SHIPPED)
    timed.add_argument("--shortlist", type=int, default=SHORTLIST)
    timed.add_argument("--cache-dir", type=Path, default=Path(".cache/article-bot"))
    timed.add_argument("--no-second-opinion", action="store_true")
    timed.add_argument("--threads", type=int, default=1)
    probing = commands.add_parser("probe", help="the issue's example questions on the bundled article")
    probing.add_argument("--reader", type=Path, required=True)
    probing.add_argument("--threshold", type=float, required=True)
    probing.add_argument("--shortlist", type=int, default=SHORTLIST)
    probing.add_argument("--cache-dir", type=Path, default=Path(".cache/article-bot"))
    probing.add_argument("--no-second-opinion", action="store_true")
    summary = commands.add_parser("report")
    summary.add_argument("dump", type=Path)
    summary.add_argument("--threshold", type=float, default=None)
    summary.add_argument("--margin", type=float, nargs="*", default=[0.0, 0.1, 0.3])
    summary.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "report":
        trials = [Trial(**json.loads(line)) for line in args.dump.read_text(encoding="utf-8").splitlines() if line]
        result = report(trials, args.threshold, args.margin)
        print(json.dumps(result, indent=1) if args.json else table(result))
        return 0
    if args.command == "score":
        trials = [Trial(**json.loads(line)) for line in args.dump.read_text(encoding="utf-8").splitlines() if line]
        with open(args.out, "w", encoding="utf-8") as out:
            for t in rescore(trials, Reader(args.reader)):
                out.write(json.dumps(asdict(t)) + "\n")
        return 0
    encoder = make_encoder("onnx", None, args.cache_dir)
    cache = EmbeddingCache(args.cache_dir)
    second = None if args.no_second_opinion else make_second_opinion(lambda: cache, blocking=True)
    answerer = Answerer(encoder, second=second)
    if args.command == "timing":
        print(json.dumps(timing(args.natural, encoder, cache, answerer, Reader(args.reader, threads=args.threads),
                                args.shortlist), indent=1))
        return 0
    if args.command == "probe":
        rows = probe(encoder, cache, answerer, Reader(args.reader), args.threshold, args.shortlist)
        print("\n".join(json.dumps(row) for row in rows))
        return 0
    reader = Reader(args.reader) if args.reader else None
    titles = [a["title"] for a in json.loads((args.data / "squad-dev-v1.1-part-a.json").read_text())["data"]]
    sources: list[Iterable[Trial]] = []
    if "natural" in args.sets:
        sources += [natural_trials(path, encoder, cache, answerer, reader, args.shortlist) for path in args.natural]
    if "squad" in args.sets:
        sources.append(squad_trials(args.data / "squad-dev-v1.1-part-a.json", "squad", args.folds, args.held_out,
                                    args.squad_limit, args.seed, titles, encoder, cache, answerer, reader,
                                    args.shortlist))
    if "squad2" in args.sets:
        sources.append(squad_trials(args.data / "squad2-dev-part-a.json", "squad2", args.folds, args.held_out,
                                    args.squad2_limit, args.seed, titles, encoder, cache, answerer, reader,
                                    args.shortlist))
    with open(args.dump, "w", encoding="utf-8") as dump:
        for source in sources:
            for number, t in enumerate(source, start=1):
                dump.write(json.dumps(asdict(t)) + "\n")
                dump.flush()
                if number % 50 == 0:
                    print(f"{t.kind}: {number}", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
