"""Text reports."""

from __future__ import annotations

from embeddings.evaluation.report import squad_text, summaries_text
from embeddings.evaluation.squad import Ranking, SquadReport
from embeddings.evaluation.summaries import Rouge, SummaryReport


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
