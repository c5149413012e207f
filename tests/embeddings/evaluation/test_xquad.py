"""XQuAD evaluation on a tiny three-language fixture (en, de, es) with the real model."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest

from embeddings.answers import Answerer
from embeddings.errors import ArticleBotError
from embeddings.evaluation.xquad import evaluate_xquad, load_xquad
from embeddings.vectors import EmbeddingCache

FIXTURE = Path(__file__).parent / "fixtures" / "xquad-tiny"


@pytest.fixture(scope="module")
def xquad():
    return load_xquad(FIXTURE)


@pytest.fixture(scope="module")
def evaluated(xquad, encoder):
    """The report of every language, and its dump lines."""
    buffer = io.StringIO()
    report = evaluate_xquad(xquad, encoder, Answerer(encoder), EmbeddingCache(None), dump=buffer)
    return report, [json.loads(line) for line in buffer.getvalue().splitlines()]


def _line(lines: list[dict], question: str, language: str, direction: str) -> dict:
    (line,) = [
        line for line in lines
        if (line["id"], line["language"], line["direction"]) == (question, language, direction)
    ]
    return line


def test_load_pairs_questions_across_languages_by_id(xquad):
    """Each question id carries its text and answers in every language, at English's paragraph."""
    assert xquad.languages == ("en", "de", "es") and xquad.titles == ("Lighthouse_of_Alexandria", "Sourdough")
    question = {q.id: q for q in xquad.questions}["x2"]
    assert (question.paragraph, question.title) == (1, 0)
    assert question.texts["de"] == "Was beschädigte den Leuchtturm zwischen 956 und 1323?"
    assert question.answers == {"en": ("three earthquakes",), "de": ("drei Erdbeben",), "es": ("tres terremotos",)}


def test_articles_are_all_paragraphs_or_one_titles_english_ones(xquad):
    """A language's article holds its paragraphs in file order; a title's article its English paragraphs."""
    assert len(xquad.article("de").contexts) == 4
    assert xquad.article("de").contexts[2].startswith("Sauerteigbrot")
    assert xquad.title_article(1).contexts[0].startswith("Sourdough bread")


def test_languages_option_loads_english_and_those_only():
    """Asking for German loads English (the article) and German, not Spanish."""
    assert load_xquad(FIXTURE, ["de"]).languages == ("en", "de")


def test_a_missing_language_is_a_clear_error():
    """A language without its file is named in a ValueError."""
    with pytest.raises(ValueError, match="fr"):
        load_xquad(FIXTURE, ["fr"])


def test_one_forward_row_per_language_and_a_reverse_row_per_other_language(evaluated):
    """English is asked of itself only; German and Spanish both ways."""
    report, _ = evaluated
    assert [(row.language, row.direction) for row in report.rows] == [
        ("en", "forward"), ("de", "forward"), ("de", "reverse"), ("es", "forward"), ("es", "reverse"),
    ]
    assert all(row.questions == 5 for row in report.rows) and (report.titles, report.paragraphs) == (2, 4)


def test_english_questions_are_ranked_to_their_paragraph(evaluated):
    """English questions of the English article: every gold paragraph first, none declined."""
    report, lines = evaluated
    assert report.rows[0].recall_at_1 == 1.0 and report.rows[0].false_abstention == 0.0
    assert _line(lines, "x5", "en", "forward")["gold_paragraph"] == 4


def test_quote_hit_uses_the_articles_language(evaluated):
    """An English question of the German article hits with the German answer text."""
    _, lines = evaluated
    line = _line(lines, "x2", "de", "reverse")
    quote = line["answer"]["citations"][0]["quote"]
    assert line["quote_hit"] and "drei Erdbeben" in quote and "three earthquakes" not in quote


def test_other_article_negatives_are_forward_only(evaluated):
    """Forward rows report the other title's declines and AUROC; reverse rows have none."""
    report, lines = evaluated
    for row in report.rows:
        measured = not math.isnan(row.other_declined) and not math.isnan(row.auroc)
        assert measured == (row.direction == "forward")
    assert _line(lines, "x1", "en", "forward")["other"]["title"] == "Sourdough"
    assert _line(lines, "x4", "en", "forward")["other"]["title"] == "Lighthouse_of_Alexandria"


class _Failing(Answerer):
    """Raises the engine's error on one question."""

    def ranked(self, index, question, **kwargs):
        if question.startswith("What damaged"):
            raise ArticleBotError("boom")
        return super().ranked(index, question, **kwargs)


def test_an_engine_error_is_declined_and_ranked_last(xquad, encoder):
    """One failing question does not stop the run: it counts as declined, after every paragraph."""
    buffer = io.StringIO()
    report = evaluate_xquad(xquad, encoder, _Failing(encoder), EmbeddingCache(None), languages=["en"], dump=buffer)
    (row,) = report.rows
    assert row.errors == 2 and row.false_abstention == 0.2  # raised of its own article and of the other title
    line = _line([json.loads(text) for text in buffer.getvalue().splitlines()], "x2", "en", "forward")
    assert (line["rank"], line["answered"], line["confidence"], line["answer"]) == (5, False, None, None)


def test_report_json_shape(evaluated):
    """The JSON report has a row object per language and direction, and serialises."""
    data = evaluated[0].to_json()
    assert {"titles", "paragraphs", "rows", "threshold", "seconds"} == set(data)
    assert {"language", "direction", "recall_at_1", "mrr", "quote_hit", "false_abstention",
            "other_declined", "auroc"} <= set(data["rows"][0])
    json.dumps(data)


def test_one_title_has_no_other_article(tmp_path: Path, encoder):
    """With a single title there is no other article to ask: no declines or AUROC, rather than the own one."""
    data = json.loads((FIXTURE / "xquad.en.json").read_text(encoding="utf-8"))
    data["data"] = data["data"][:1]
    (tmp_path / "xquad.en.json").write_text(json.dumps(data), encoding="utf-8")
    (row,) = evaluate_xquad(load_xquad(tmp_path), encoder, Answerer(encoder), EmbeddingCache(None)).rows
    assert row.questions == 3 and math.isnan(row.other_declined) and math.isnan(row.auroc)
