"""The reader-versus-pipeline harness: candidates carry their paragraph neighbours, and the replayed decisions
(pipeline, reader alone, cascade, veto) and the threshold follow from the recorded trials."""

from __future__ import annotations

from embeddings.evaluation.reader_eval import (
    Decision,
    Trial,
    candidates,
    cascade,
    figures,
    pipeline,
    reader_alone,
    reader_threshold,
    veto,
)


def trial(**changes) -> Trial:
    base = dict(kind="squad", form="squad", question="q", answerable=True, gold=[2], pipeline_rank1=False,
                pipeline_answered=True, pipeline_first=0, pipeline_quote_hit=False, confidence=0.5, threshold=0.47,
                shortlist_paragraphs=[0, 2, 1], shortlist_hits=[False, True, False], reader=[0.1, 2.0, -1.0],
                pipeline_seconds=0.01, reader_seconds=0.05)
    return Trial(**(base | changes))


def test_candidates_carry_their_paragraph_neighbours(prepared):
    index = prepared[0].index
    paragraph = next(p for p in range(len(index.article.paragraphs)) if len(index.article.paragraphs[p].sentences) > 1)
    first = int(index.paragraph_first_sentence[paragraph])
    spans = index.article.paragraphs[paragraph].sentences
    (candidate,) = candidates(index, [first])
    assert candidate.sentence == index.article.sentence_text(spans[0])
    assert candidate.before == ""  # never the previous paragraph's last sentence
    assert candidate.after == index.article.sentence_text(spans[1])


def test_the_reader_alone_answers_from_its_best_sentence_or_declines():
    assert reader_alone(trial(), threshold=1.0) == Decision(rank1=True, answered=True, quote_hit=True)
    assert reader_alone(trial(), threshold=3.0).answered is False


def test_the_cascade_keeps_the_pipeline_where_it_is_sure():
    sure = trial(confidence=0.9)
    assert cascade(sure, threshold=1.0, margin=0.1) == pipeline(sure)
    unsure = trial(confidence=0.5)
    assert cascade(unsure, threshold=1.0, margin=0.1) == reader_alone(unsure, 1.0)


def test_the_veto_declines_the_pipelines_answer_when_the_reader_finds_nothing():
    assert veto(trial(reader=[-2.0, -3.0, -1.0]), threshold=0.0).answered is False
    assert veto(trial(), threshold=0.0).answered is True


def test_the_threshold_is_taken_on_squad_answerable_questions_only():
    trials = [trial(reader=[float(i)]) for i in range(100)]
    trials += [trial(kind="natural:questions", reader=[-50.0]), trial(answerable=False, gold=[], reader=[-60.0])]
    assert 4.0 <= reader_threshold(trials) <= 5.0


def test_figures_count_declines_per_kind_of_question():
    rows = [(trial(), reader_alone(trial(), 1.0)), (trial(answerable=False, gold=[]), reader_alone(trial(), 3.0))]
    result = figures(rows)
    assert result["r_at_1"] == 1.0 and result["false_abstention"] == 0.0 and result["unanswerable_declined"] == 1.0
