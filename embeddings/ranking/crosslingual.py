"""Questions across languages: ranked by multilingual-e5-small, quoted verbatim in the article's language.

An English question about an English article takes the fast route (MiniLM, :class:`~.answer.Answerer`)
unchanged. Any other pair, a Russian question about an English article, an English or Ukrainian
question about a Ukrainian one, takes this route: the question is embedded by e5 (its ``query:``
side) and matched against the article's e5 index (:mod:`.second_index`, built in the background on
the first such question and kept in the embedding cache), and

- each paragraph scores its e5 cosine plus its best sentence's, plus BM25 of the question's words
  (stemmed as the article is, the question's own function words dropped) weighted by
  ``same_language_bm25`` when the question is in the article's language and ``cross_bm25`` when not
  (across languages only names and numbers can match);
- the confidence is the mean of the best paragraph's cosine and its best sentence's, against a
  threshold that depends on the pair of languages: e5's cosines are lower across languages (and
  lower for some languages than others), so one threshold would refuse most Arabic questions or
  answer most off-topic Spanish ones. It is moved onto the fast route's scale, so the answerer's
  abstention and a library's merging compare both routes alike.

No lexical signal of the fast route (absent words, question-type cues, typo mending) applies: they
read English and cannot fire across languages. Weights and thresholds are fitted on XQuAD part A
(``embeddings/evaluation/fit_crosslingual.py``): every language's questions against the English
paragraphs, English questions against each language's, each language's against its own; a
threshold leaves 1 % of those (all answerable) questions below it (fitted on half the titles, 1.0-2.7 %
of the other half's questions fall below it, by language pair).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..text import LANGUAGE_TABLE
from .index import ArticleIndex
from .retrieval import QueryScores, segment_max, top_k
from .second_index import SecondIndex
from .second_opinion import SecondOpinion

# The confidence below which 1 % of XQuAD's questions fall, asked in the article's language.
SAME_LANGUAGE_THRESHOLD = {"en": 0.8089, "ru": 0.8152, "de": 0.821, "es": 0.8308, "zh": 0.8569, "ar": 0.8102}
DEFAULT_SAME_LANGUAGE = 0.81
# Across languages, English being the pivot: threshold = English's + the question's shift (an English
# article) or the article's (an English question); between two other languages, + the mean of the two
# (measured on 10 XQuAD pairs such as ru>de, zh>ar: the mean lands within 0.022 below and 0.008 above their
# 1 % quantiles; the sum of both shifts lands 0.035-0.090 below, answering far too much).
QUESTION_SHIFT = {"en": 0.0, "ru": -0.056, "de": -0.0346, "es": -0.0306, "zh": -0.0465, "ar": -0.061}
ARTICLE_SHIFT = {"en": 0.0, "ru": -0.0525, "de": -0.0383, "es": -0.0336, "zh": -0.0757, "ar": -0.0568}
# Languages XQuAD lacks take a measured neighbour's shift (Ukrainian: Russian's), else the most lenient.
NEIGHBOUR = {code: facts.neighbour for code, facts in LANGUAGE_TABLE.items() if facts.neighbour}


def _shift(table: dict[str, float], language: str) -> float:
    return table.get(NEIGHBOUR.get(language, language), min(table.values()))


def pair_threshold(question_language: str, article_language: str) -> float:
    """The confidence a question in ``question_language`` about an article in ``article_language`` must reach."""
    if question_language == article_language:
        return SAME_LANGUAGE_THRESHOLD.get(NEIGHBOUR.get(article_language, article_language), DEFAULT_SAME_LANGUAGE)
    english = SAME_LANGUAGE_THRESHOLD["en"]
    question, article = _shift(QUESTION_SHIFT, question_language), _shift(ARTICLE_SHIFT, article_language)
    if "en" in (question_language, article_language):
        return english + question + article  # one of the two is English's 0
    return english + (question + article) / 2


@dataclass(frozen=True, slots=True)
class CrossLingualSettings:
    """The cross-lingual route's weights (fitted on XQuAD part A)."""

    same_language_bm25: float = 0.25  # times (paragraph BM25 + best sentence BM25), each over the query's bound
    cross_bm25: float = 0.1  # the same across languages (names and numbers)
    spread: float = 3.0  # paragraph scores are stretched so the answerer's citation margin means what it does there
    quote_centre: float = 0.75  # e5 sentence cosine that counts as no evidence when choosing quotes
    follow_up_weight: float = 0.5  # weight of the earlier question's vector in a follow-up
    wait: float = 120.0  # seconds a blocking asker (the command line) waits for its article's e5 index; the bot never


def multilingual_scores(
    index: ArticleIndex, second: SecondIndex, query: np.ndarray, terms: list[str], bm25_weight: float,
    settings: CrossLingualSettings,
) -> QueryScores:
    """Scores of ``index``'s paragraphs (P,) and sentences (S,) for the e5 ``query`` (d,) vector and the
    question's stemmed ``terms`` (see the module docstring)."""
    firsts = index.paragraph_first_sentence
    sentence_dense = second.sentence_vectors @ query
    paragraph_dense = second.paragraph_vectors @ query
    best_sentence = segment_max(sentence_dense, firsts)
    paragraph_bm25 = index.paragraph_lexical.normalised_scores(terms)
    sentence_bm25 = index.sentence_lexical.normalised_scores(terms)
    weight = np.float32(bm25_weight)
    fused = paragraph_dense + best_sentence + weight * (paragraph_bm25 + segment_max(sentence_bm25, firsts))
    sentence = np.maximum(sentence_dense - np.float32(settings.quote_centre), 0) + weight * sentence_bm25
    return QueryScores(
        paragraph=(np.float32(settings.spread) * fused).astype(np.float32), paragraph_dense=paragraph_dense,
        sentence_dense_max=best_sentence, paragraph_bm25=paragraph_bm25, sentence=sentence.astype(np.float32),
        sentence_dense=sentence_dense, terms=tuple(terms),
    )


def multilingual_confidence(scores: QueryScores) -> float:
    """The route's own confidence: the mean of the best paragraph's e5 cosine and its best sentence's."""
    best = int(top_k(scores.paragraph, 1)[0])
    return float(scores.paragraph_dense[best] + scores.sentence_dense_max[best]) / 2


class CrossLingual:
    """The cross-lingual route over the second opinion's e5 encoder and indexes."""

    def __init__(self, opinion: SecondOpinion, settings: CrossLingualSettings | None = None) -> None:
        self.opinion = opinion
        self.settings = settings or CrossLingualSettings()

    def ranked(
        self, index: ArticleIndex, question: str, fast_threshold: float, *, follow_up_of: str | None = None,
        question_language: str | None,
    ) -> tuple[QueryScores, float] | None:
        """Scores and confidence (on the fast scale, ``fast_threshold`` being the route's threshold) of a
        question detected as ``question_language`` (None: undecided) taking this route; None when the
        article's e5 index cannot be had now (too large, failed, being built, or, for a blocking second
        opinion, not built within ``settings.wait`` seconds): the fast route answers then."""
        opinion, settings = self.opinion, self.settings
        second = opinion.index_for(index, settings.wait)
        if second is None:
            return None
        query = opinion.query_vector(question, wait=True)
        if query is None:
            return None
        if follow_up_of:
            earlier = opinion.query_vector(follow_up_of, wait=True)
            if earlier is not None:
                query = query + np.float32(settings.follow_up_weight) * earlier
                query = query / max(float(np.linalg.norm(query)), 1e-12)
        language = question_language or index.language  # undecided: the article's
        same = language == index.language
        terms = index.sentence_lexical.query_terms(f"{question} {follow_up_of or ''}", language)
        weight = settings.same_language_bm25 if same else settings.cross_bm25
        scores = multilingual_scores(index, second, query.astype(np.float32), terms, weight, settings)
        confidence = multilingual_confidence(scores)
        return scores, fast_threshold + confidence - pair_threshold(language, index.language)
