"""The ranking layer: everything that scores an article's sentences against a question. An article's search index
(vectors, BM25, cue table; built once, pooled in memory), the lexical (BM25) index, question-type cues, question
terms, fusion of the signals (:mod:`.retrieval`), abstention, the multilingual second opinion (e5 index) and the
cross-lingual route. A new ranking signal goes here. Imports text, models and vectors.

This face is what other layers, the bot and benchmarks may use (``__all__``); each name is imported from its
module on first use (PEP 562), so importing the face costs nothing and the fast path stays lean.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..faces import lazy_face

if TYPE_CHECKING:
    from .abstention import absent_share as absent_share
    from .abstention import length_adjustment as length_adjustment
    from .abstention import rare_coverage as rare_coverage
    from .crosslingual import CrossLingual as CrossLingual
    from .cues import CUES as CUES
    from .cues import cue_weights as cue_weights
    from .cues import question_cues as question_cues
    from .cues import sentence_cues as sentence_cues
    from .index import ArticleIndex as ArticleIndex
    from .index import build_index as build_index
    from .index import int8_copy as int8_copy
    from .index import sentence_texts as sentence_texts
    from .index_pool import DEFAULT_MEMORY_MB as DEFAULT_MEMORY_MB
    from .index_pool import IndexPool as IndexPool
    from .index_pool import PoolStats as PoolStats
    from .index_pool import index_nbytes as index_nbytes
    from .lexical import LexicalIndex as LexicalIndex
    from .lexical import stemmer as stemmer
    from .question_terms import absent_words as absent_words
    from .question_terms import match_question as match_question
    from .question_terms import rare_terms as rare_terms
    from .question_terms import rewrite as rewrite
    from .retrieval import QueryScores as QueryScores
    from .retrieval import Weights as Weights
    from .retrieval import add_cues as add_cues
    from .retrieval import best_bm25_per_paragraph as best_bm25_per_paragraph
    from .retrieval import max_normalise as max_normalise
    from .retrieval import scanned_rows as scanned_rows
    from .retrieval import score_query as score_query
    from .retrieval import segment_max as segment_max
    from .retrieval import sentence_bm25 as sentence_bm25
    from .retrieval import top_k as top_k
    from .second_index import SecondIndex as SecondIndex
    from .second_index import build_second_index as build_second_index
    from .second_index import builds_requested_by as builds_requested_by
    from .second_opinion import WAIT_ROWS as WAIT_ROWS
    from .second_opinion import CascadeSettings as CascadeSettings
    from .second_opinion import SecondOpinion as SecondOpinion
    from .second_opinion import make_second_opinion as make_second_opinion
    from .second_opinion import uncertain as uncertain

# name -> the module of this package that defines it
SOURCES: dict[str, str] = {
    "ArticleIndex": "index",
    "CUES": "cues",
    "CascadeSettings": "second_opinion",
    "CrossLingual": "crosslingual",
    "DEFAULT_MEMORY_MB": "index_pool",
    "IndexPool": "index_pool",
    "LexicalIndex": "lexical",
    "PoolStats": "index_pool",
    "QueryScores": "retrieval",
    "SecondIndex": "second_index",
    "SecondOpinion": "second_opinion",
    "WAIT_ROWS": "second_opinion",
    "Weights": "retrieval",
    "absent_share": "abstention",
    "absent_words": "question_terms",
    "add_cues": "retrieval",
    "best_bm25_per_paragraph": "retrieval",
    "build_index": "index",
    "build_second_index": "second_index",
    "builds_requested_by": "second_index",
    "cue_weights": "cues",
    "index_nbytes": "index_pool",
    "int8_copy": "index",
    "length_adjustment": "abstention",
    "make_second_opinion": "second_opinion",
    "match_question": "question_terms",
    "max_normalise": "retrieval",
    "question_cues": "cues",
    "rare_coverage": "abstention",
    "rare_terms": "question_terms",
    "rewrite": "question_terms",
    "scanned_rows": "retrieval",
    "score_query": "retrieval",
    "segment_max": "retrieval",
    "sentence_bm25": "retrieval",
    "sentence_cues": "cues",
    "sentence_texts": "index",
    "stemmer": "lexical",
    "top_k": "retrieval",
    "uncertain": "second_opinion",
}

__all__ = [
    "CUES",
    "DEFAULT_MEMORY_MB",
    "WAIT_ROWS",
    "ArticleIndex",
    "CascadeSettings",
    "CrossLingual",
    "IndexPool",
    "LexicalIndex",
    "PoolStats",
    "QueryScores",
    "SecondIndex",
    "SecondOpinion",
    "Weights",
    "absent_share",
    "absent_words",
    "add_cues",
    "best_bm25_per_paragraph",
    "build_index",
    "build_second_index",
    "builds_requested_by",
    "cue_weights",
    "index_nbytes",
    "int8_copy",
    "length_adjustment",
    "make_second_opinion",
    "match_question",
    "max_normalise",
    "question_cues",
    "rare_coverage",
    "rare_terms",
    "rewrite",
    "scanned_rows",
    "score_query",
    "segment_max",
    "sentence_bm25",
    "sentence_cues",
    "sentence_texts",
    "stemmer",
    "top_k",
    "uncertain",
]

__getattr__, __dir__ = lazy_face(__name__, SOURCES, globals())
