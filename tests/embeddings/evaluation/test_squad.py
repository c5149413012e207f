"""SQuAD evaluation on a tiny fixture with the real model."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest

from embeddings.answers import Answerer
from embeddings.evaluation.squad import build_article, evaluate_squad, load_squad, prepare, run_squad
from embeddings.vectors import EmbeddingCache

FIXTURE = Path(__file__).parent / "fixtures" / "squad-tiny.json"


@pytest.fixture(scope="module")
def items():
    return load_squad(FIXTURE)


@pytest.fixture(scope="module")
def prepared(items, encoder):
    return prepare(items, encoder, EmbeddingCache(None))


def test_load_squad_keeps_gold_paragraphs(items):
    """Questions carry the 0-based number of their paragraph and their distinct answers."""
    assert [item.title for item in items] == ["Lighthouse_of_Alexandria", "Sourdough"]
    first = items[0].questions[0]
    assert (first.id, first.paragraph, first.answers) == ("a1", 0, ("Pharos",))
    assert [q.paragraph for q in items[0].questions] == [0, 0, 1, 1, 2]


def test_limit_keeps_the_first_articles():
    """--limit N reads only the first N articles."""
    assert [item.title for item in load_squad(FIXTURE, limit=1)] == ["Lighthouse_of_Alexandria"]


def test_article_paragraph_i_is_context_i(items):
    """Paragraph numbering maps back to the SQuAD paragraph, with exact spans."""
    article = build_article(items[0])
    assert len(article.paragraphs) == len(items[0].contexts)
    for paragraph, context in zip(article.paragraphs, items[0].contexts, strict=True):
        assert paragraph.text == context.strip()
        assert article.text[paragraph.start : paragraph.end] == paragraph.text
        assert paragraph.sentences and all(
            paragraph.start <= s.start < s.end <= paragraph.end for s in paragraph.sentences
        )


def test_every_question_is_answered_from_its_paragraph(prepared, encoder):
    """On easy questions the engine ranks the gold paragraph first and quotes the answer."""
    report = evaluate_squad(prepared, Answerer(encoder))
    assert (report.articles, report.questions) == (2, 8)
    assert report.ours.recall_at_1 == 1.0 and report.ours.mrr == 1.0
    assert report.hit_rate >= 7 / 8  # "How tall...?" vs "height" is a known paraphrase miss
    assert report.false_abstention == 0.0
    assert 0 < report.mean_quote_words <= 45


def test_other_article_questions_score_lower(prepared, encoder):
    """Confidence separates own-article questions from the same questions on the other article."""
    report = evaluate_squad(prepared, Answerer(encoder))
    assert report.auroc >= 0.95
    assert report.other_abstention >= 0.5


def test_baselines_are_reported(prepared, encoder):
    """Dense-only and BM25-only rankings are measured in the same run."""
    report = evaluate_squad(prepared, Answerer(encoder))
    for ranking in (report.dense, report.bm25):
        assert 0 <= ranking.recall_at_1 <= ranking.recall_at_3 <= 1
        assert 0 < ranking.mrr <= 1


def test_dump_has_one_json_line_per_question(prepared, encoder):
    """--dump writes id, title and the exact ask JSON for every question."""
    buffer = io.StringIO()
    answerer = Answerer(encoder)
    evaluate_squad(prepared, answerer, dump=buffer)
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert [line["id"] for line in lines] == ["a1", "a2", "a3", "a4", "a5", "b1", "b2", "b3"]
    first = lines[0]
    assert first["title"] == "Lighthouse_of_Alexandria" and first["gold_paragraph"] == 1
    index = prepared[0].index
    expected = answerer.answer(index, "On which island did the lighthouse stand?").to_json()
    assert first["answer"] == expected
    assert first["other"]["title"] == "Sourdough"


def test_report_json_shape(prepared, encoder):
    """The JSON report names every figure."""
    data = evaluate_squad(prepared, Answerer(encoder)).to_json()
    assert set(data["ours"]) == {"r@1", "r@3", "mrr"}
    assert {"hit_rate", "mean_quote_words", "auroc", "false_abstention", "threshold"} <= set(data)
    json.dumps(data)


def test_run_squad_times_the_whole_run(encoder):
    """run_squad loads, indexes and evaluates; --limit 1 leaves no other article to ask."""
    report = run_squad(FIXTURE, encoder, Answerer(encoder), EmbeddingCache(None), limit=1)
    assert report.articles == 1 and report.questions == 5
    assert report.seconds > 0
    assert math.isnan(report.auroc) and math.isnan(report.other_abstention)


@pytest.mark.parametrize(("data", "reason"), [
    ([], "expected an object, got a list"),
    ({"data": 1}, "'data' must be a list, got a whole number"),
    ({"data": [{"title": 1, "paragraphs": []}]}, "data[0]: 'title' must be text, got a whole number"),
    ({"data": [{"title": "T", "paragraphs": [{"context": 5, "qas": []}]}]},
     "data[0].paragraphs[0]: 'context' must be text, got a whole number"),
    ({"data": [{"title": "T", "paragraphs": [{"context": "C", "qas": [{"id": "q", "question": "Q?",
                                                                       "answers": [{"text": None}]}]}]}]},
     "data[0].paragraphs[0].qas[0].answers: 'text' is null"),
])
def test_a_malformed_file_is_a_value_error_saying_where(tmp_path: Path, data, reason):
    """A SQuAD file of the wrong shape raises ValueError naming the item and the field (an AttributeError
    or TypeError once, which the CLI showed as a traceback)."""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        load_squad(path)
    assert str(raised.value).endswith(reason) and str(path) in str(raised.value)
