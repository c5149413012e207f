"""Text reports."""

from __future__ import annotations

from embeddings.evaluation.report import squad_text, summaries_text, xquad_text
from embeddings.evaluation.squad import Ranking, SquadReport
from embeddings.evaluation.summaries import Rouge, SummaryReport
from embeddings.evaluation.xquad import XquadReport, XquadRow


def test_squad_text_lists_every_ranker():
    """The table has a row per ranker and the excerpt and abstention figures."""
    ranking = Ranking(0.8, 0.9, 0.85)
    report = SquadReport(2, 10, ranking, ranking, ranking, 0.75, 30.5, 0.99, 0.01, 0.9, 0.45, 3.0)
    text = squad_text(report)
    for needle in ("ours", "dense only", "BM25 only", "0.800", "0.750", "30.5 words", "0.9900", "1.0 %"):
        assert needle in text


def test_summaries_text_compares_with_lead():
    """Our ROUGE and Lead-3's appear side by side, in percent."""
    report = SummaryReport(5, 3, Rouge(0.4, 0.2, 0.3), Rouge(0.39, 0.18, 0.29), True, 80.0, 85.0, 1.0)
    text = summaries_text(report)
    assert "Lead-3" in text and "40.00" in text and "18.00" in text and "verbatim: yes" in text


def test_xquad_text_has_a_row_per_language_and_direction():
    """Each row names its language and direction; what is not measured prints as a dash."""
    nan = float("nan")
    rows = (XquadRow("en", "forward", 612, 0.9, 0.95, 0.8, 0.01, 0.96, 0.998, 0),
            XquadRow("de", "reverse", 612, 0.5, 0.6, 0.4, 0.3, nan, nan, 0))
    lines = xquad_text(XquadReport(24, 120, rows, 0.47, 60.0)).splitlines()
    assert "24 titles, 120 paragraphs" in lines[0]
    assert lines[-2].split() == ["en", "forward", "612", "90.0", "%", "0.950", "80.0", "%", "1.0", "%", "96.0", "%",
                                 "0.9980"]
    assert lines[-1].split()[-2:] == ["-", "-"]
