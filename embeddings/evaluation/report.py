"""Plain-text tables of evaluation reports."""

from __future__ import annotations

import logging

from .questions import FormStats, QuestionsReport
from .squad import SquadReport
from .summaries import SummaryReport
from .xquad import XquadReport, XquadRow

log = logging.getLogger(__name__)


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def squad_text(report: SquadReport) -> str:
    """The SQuAD report as a small table plus excerpt and abstention lines."""
    lines = [
        f"SQuAD: {report.articles} articles, {report.questions} questions ({report.seconds:.0f} s)",
        "",
        f"{'paragraph retrieval':<22}{'R@1':>8}{'R@3':>8}{'MRR':>8}",
    ]
    for name, ranking in (("ours", report.ours), ("dense only", report.dense), ("BM25 only", report.bm25)):
        lines.append(
            f"{name:<22}{ranking.recall_at_1:>8.3f}{ranking.recall_at_3:>8.3f}{ranking.mrr:>8.3f}"
        )
    lines += [
        "",
        f"excerpt hit rate       {report.hit_rate:.3f}  (first quote contains a gold answer)",
        f"mean quote length      {report.mean_quote_words:.1f} words",
        f"abstention AUROC       {report.auroc:.4f}  (own article vs another article)",
        f"false abstention       {_pct(report.false_abstention)}  at threshold {report.threshold:g}",
        f"abstained elsewhere    {_pct(report.other_abstention)}  of questions asked of another article",
    ]
    return "\n".join(lines)


def summaries_text(report: SummaryReport) -> str:
    """The summary report: ROUGE F1 of ours and Lead-N side by side."""
    lines = [
        f"Summaries: {report.articles} articles, {report.sentences} sentences each "
        f"({report.seconds:.0f} s)",
        "",
        f"{'ROUGE F1':<12}{'R-1':>8}{'R-2':>8}{'R-L':>8}{'words':>8}",
    ]
    for name, rouge, words in (
        ("ours", report.ours, report.mean_words),
        (f"Lead-{report.sentences}", report.lead, report.lead_mean_words),
    ):
        lines.append(
            f"{name:<12}{100 * rouge.rouge1:>8.2f}{100 * rouge.rouge2:>8.2f}"
            f"{100 * rouge.rougeL:>8.2f}{words:>8.1f}"
        )
    lines.append("")
    lines.append(f"every summary sentence verbatim: {'yes' if report.verbatim else 'NO'}")
    return "\n".join(lines)


def _share(value: float, digits: int = 0) -> str:
    return "-" if value != value else f"{100 * value:.{digits}f} %"


def _number(value: float, digits: int) -> str:
    return "-" if value != value else f"{value:.{digits}f}"


def questions_text(report: QuestionsReport) -> str:
    """The natural-question report: one row per form, then the unanswerable ones and all."""
    header = (
        f"{'form':<14}{'n':>4}{'ans':>5}{'R@1':>7}{'MRR':>7}{'right 1st':>10}{'quote':>7}"
        f"{'false abst':>11}{'abstained':>10}{'wrong':>6}"
    )
    lines = [f"Natural questions: {report.articles} articles ({report.seconds:.0f} s)", "", header]

    def row(name: str, stats: FormStats) -> str:
        mrr = "-" if stats.mrr != stats.mrr else f"{stats.mrr:.3f}"
        return (
            f"{name:<14}{stats.questions:>4}{stats.answerable:>5}{_share(stats.recall_at_1):>7}{mrr:>7}"
            f"{_share(stats.right_first):>10}{_share(stats.quote_hit):>7}"
            f"{_share(stats.false_abstention):>11}{_share(stats.abstained):>10}{stats.wrong:>6}"
        )

    lines += [row(name, stats) for name, stats in report.forms.items()]
    lines += ["", row("unanswerable", report.unanswerable), row("all", report.overall)]
    if report.elsewhere_abstained == report.elsewhere_abstained:  # not NaN: two articles or more
        lines += ["", f"asked of the set's other articles: {_share(report.elsewhere_abstained)} declined"]
    return "\n".join(lines)


def xquad_text(report: XquadReport) -> str:
    """The XQuAD report: one row per question language and direction (forward: the language's
    questions of the English article; reverse: English questions of the language's article)."""
    header = (
        f"{'language':<10}{'direction':<10}{'n':>5}{'R@1':>8}{'MRR':>7}{'quote':>8}"
        f"{'false abst':>11}{'other declined':>15}{'AUROC':>8}"
    )
    lines = [
        f"XQuAD: {report.titles} titles, {report.paragraphs} paragraphs in one article "
        f"({report.seconds:.0f} s, threshold {report.threshold:g})",
        "", header,
    ]

    def row(r: XquadRow) -> str:
        return (
            f"{r.language:<10}{r.direction:<10}{r.questions:>5}{_share(r.recall_at_1, 1):>8}{_number(r.mrr, 3):>7}"
            f"{_share(r.quote_hit, 1):>8}{_share(r.false_abstention, 1):>11}{_share(r.other_declined, 1):>15}"
            f"{_number(r.auroc, 4):>8}"
        )

    lines += [row(r) for r in report.rows]
    errors = sum(r.errors for r in report.rows)
    if errors:
        lines += ["", f"{errors} asks raised an engine error (counted as declined, ranked last)"]
    return "\n".join(lines)
