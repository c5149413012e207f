"""Questions across languages: ranked by multilingual-e5-small, quoted verbatim in the article's language.

An English question about an English article takes the fast route (MiniLM, :class:`~.answer.Answerer`)
unchanged. Any other pair, a Russian question about an English article, an English or Ukrainian
question about a Ukrainian one, takes this route: the question is embedded by e5 (its ``query:``
side) and matched against the article's e5 index (:mod:`.second_index`, built in the background on
the first such question and kept in the embedding cache), and

- each paragraph scores its e5 cosine plus its best sentence's, plus ``bm25_weight`` times BM25 of the
  question's words (stemmed as the article is, the question's own function words dropped: across
  languages only names and numbers match, so a miss costs nothing);
- the confidence is the best sentence's cosine in the best paragraph, plus ``bm25_weight`` times its
  BM25, moved onto the fast route's scale: ``threshold`` here is the fast threshold there, so the
  answerer's abstention and a library's merging compare both routes alike.

No lexical signal of the fast route (absent words, question-type cues, typo mending) applies: they
read English and cannot fire across languages. Weights and threshold are fitted on XQuAD part A
(``embeddings/evaluation/fit_crosslingual.py``): every language's questions against the English
paragraphs, and against another title's (the negatives).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .index import ArticleIndex
from .languages import detect_language
from .retrieval import QueryScores, segment_max, top_k
from .second_index import SecondIndex
from .second_opinion import SecondOpinion


@dataclass(frozen=True, slots=True)
class CrossLingualSettings:
    """The cross-lingual route's weights (fitted on XQuAD part A)."""

    bm25_weight: float = 0.5  # times (paragraph BM25 + best sentence BM25), both divided by the query's bound
    threshold: float = 0.80  # e5 best sentence cosine (+ its BM25 share) below which the route abstains
    quote_centre: float = 0.75  # e5 sentence cosine that counts as no evidence when choosing quotes
    follow_up_weight: float = 0.5  # weight of the earlier question's vector in a follow-up
    wait: float = 120.0  # seconds a question waits for its article's e5 index to be built


def multilingual_scores(
    index: ArticleIndex, second: SecondIndex, query: np.ndarray, terms: list[str], settings: CrossLingualSettings
) -> QueryScores:
    """Scores of ``index``'s paragraphs (P,) and sentences (S,) for the e5 ``query`` (d,) vector and the
    question's stemmed ``terms`` (see the module docstring)."""
    firsts = index.paragraph_first_sentence
    sentence_dense = second.sentence_vectors @ query
    paragraph_dense = second.paragraph_vectors @ query
    best_sentence = segment_max(sentence_dense, firsts)
    paragraph_bm25 = index.paragraph_lexical.normalised_scores(terms)
    sentence_bm25 = index.sentence_lexical.normalised_scores(terms)
    weight = np.float32(settings.bm25_weight)
    paragraph = paragraph_dense + best_sentence + weight * (paragraph_bm25 + segment_max(sentence_bm25, firsts))
    sentence = np.maximum(sentence_dense - np.float32(settings.quote_centre), 0) + weight * sentence_bm25
    return QueryScores(
        paragraph=paragraph.astype(np.float32), paragraph_dense=paragraph_dense, sentence_dense_max=best_sentence,
        paragraph_bm25=paragraph_bm25, sentence=sentence.astype(np.float32), sentence_dense=sentence_dense,
        terms=tuple(terms),
    )


def multilingual_confidence(index: ArticleIndex, scores: QueryScores, settings: CrossLingualSettings) -> float:
    """The route's own confidence: the best paragraph's best sentence cosine plus ``bm25_weight`` times
    that sentence's BM25 share (not yet on the fast scale)."""
    best = int(top_k(scores.paragraph, 1)[0])
    first = int(index.paragraph_first_sentence[best])
    count = len(index.article.paragraphs[best].sentences)
    local = scores.sentence_dense[first : first + count]
    pick = int(np.argmax(local))
    lexical = float(scores.sentence[first + pick]) - max(float(local[pick]) - settings.quote_centre, 0.0)
    return float(local[pick]) + lexical


class CrossLingual:
    """The cross-lingual route over the second opinion's e5 encoder and indexes."""

    def __init__(self, opinion: SecondOpinion, settings: CrossLingualSettings | None = None) -> None:
        self.opinion = opinion
        self.settings = settings or CrossLingualSettings()

    def ranked(
        self, index: ArticleIndex, question: str, fast_threshold: float, *, follow_up_of: str | None = None,
        question_language: str | None = None,
    ) -> tuple[QueryScores, float] | None:
        """Scores and confidence (on the fast scale, ``fast_threshold`` being the route's threshold) of a
        question taking this route; None when the article's e5 index cannot be had (too large, failed,
        or not built within ``settings.wait`` seconds): the fast route answers then."""
        opinion, settings = self.opinion, self.settings
        rows = len(index.paragraph_vectors) + index.sentence_count
        waits = opinion.blocking and (opinion.wait_rows is None or rows <= opinion.wait_rows)
        second = opinion.indexes.build(index) if waits else opinion.indexes.wait_for(index, settings.wait)
        if second is None or len(second.sentence_vectors) != index.sentence_count:
            return None
        query = opinion.query_vector(question, wait=True)
        if query is None:
            return None
        if follow_up_of:
            earlier = opinion.query_vector(follow_up_of, wait=True)
            if earlier is not None:
                query = query + np.float32(settings.follow_up_weight) * earlier
                query = query / max(float(np.linalg.norm(query)), 1e-12)
        language = question_language if question_language is not None else detect_language(question)
        terms = index.sentence_lexical.query_terms(f"{question} {follow_up_of or ''}", language)
        scores = multilingual_scores(index, second, query.astype(np.float32), terms, settings)
        confidence = multilingual_confidence(index, scores, settings)
        return scores, fast_threshold + confidence - settings.threshold
