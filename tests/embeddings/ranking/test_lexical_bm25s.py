"""The numpy BM25 against bm25s (the reference it replaces) on the SQuAD part-A articles."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from embeddings.evaluation import build_article, load_squad
from embeddings.ranking.index import sentence_texts
from embeddings.ranking.lexical import K1, STOPWORDS, B, LexicalIndex, stemmer, tokenize
from tests.conftest import SHARED_DATA

SQUAD_PART_A = SHARED_DATA / "squad-dev-v1.1-part-a.json"

bm25s = pytest.importorskip("bm25s")
logging.getLogger("bm25s").setLevel(logging.WARNING)


@pytest.fixture(scope="module")
def squad_texts() -> list[tuple[list[str], list[str], list[str]]]:
    """Per SQuAD part-A article: its paragraphs, its sentences (as the engine splits them), its questions."""
    if not SQUAD_PART_A.exists():
        pytest.skip(f"{SQUAD_PART_A} is not present")
    out = []
    for item in load_squad(SQUAD_PART_A):
        article = build_article(item)
        paragraphs = [p.text for p in article.paragraphs]
        out.append((paragraphs, sentence_texts(article), [q.text for q in item.questions]))
    return out


def _bm25s_tokens(texts: list[str]) -> list[list[str]]:
    return bm25s.tokenize(texts, stopwords=sorted(STOPWORDS), stemmer=stemmer(), return_ids=False,
                          show_progress=False)


def _bm25s_index(texts: list[str]):
    retriever = bm25s.BM25(k1=K1, b=B)
    retriever.index(_bm25s_tokens(texts), show_progress=False)
    return retriever


def test_tokens_match_bm25s(squad_texts):
    """Lower-casing, token pattern, stop words and stemming give bm25s's tokens, text by text."""
    for paragraphs, sentences, questions in squad_texts:
        for texts in (paragraphs, sentences, questions):
            assert tokenize(texts) == _bm25s_tokens(texts)


def test_scores_and_rankings_match_bm25s(squad_texts):
    """Every question's BM25 scores over paragraphs and over sentences equal bm25s's, so rankings are identical."""
    compared = 0
    for paragraphs, sentences, questions in squad_texts:
        for texts in (paragraphs, sentences):
            ours, reference = LexicalIndex(texts), _bm25s_index(texts)
            for question in questions:
                terms = ours.query_terms(question)
                known = [t for t in terms if t in reference.vocab_dict]
                expected = (np.asarray(reference.get_scores(known), dtype=np.float32) if known
                            else np.zeros(len(texts), dtype=np.float32))
                got = ours.scores(terms)
                np.testing.assert_array_equal(got, expected)
                assert np.argsort(-got, kind="stable").tolist() == np.argsort(-expected, kind="stable").tolist()
                compared += 1
    assert compared > 10_000  # 5397 questions, each over paragraphs and over sentences


def test_repeated_terms_add_up_as_in_bm25s():
    """A term passed twice counts twice, in the order given, as bm25s's get_scores does."""
    texts = ["azov regiment commander", "azov steel plant", "regiment regiment battle"]
    ours, reference = LexicalIndex(texts), _bm25s_index(texts)
    terms = ["regiment", "azov", "regiment"]
    np.testing.assert_array_equal(ours.scores(terms), reference.get_scores(terms))
