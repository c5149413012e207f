"""What the reader reads: a question and one sentence with its neighbours, as one token sequence.

Shared by the run-time reader (:mod:`.reader`) and its training code (``devtools/reader_training``) so both
feed the model exactly alike. Needs only the ``tokenizers`` library and numpy (no torch)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

READER_MAX_LENGTH = 64  # tokens of question + sentence + context; the context is cut first
CONTEXT_CHARS = 80  # of each neighbour kept beside the sentence
CONTEXT_MARK = " [SEP] "  # between the sentence and its neighbours (a special token of the vocabulary)


class Candidate(NamedTuple):
    """One sentence to read, with the sentences before and after it (empty at a paragraph's edge)."""

    sentence: str
    before: str = ""
    after: str = ""


def passage_text(candidate: Candidate) -> str:
    """The second segment: the sentence first (never cut), then its neighbours (cut first when long)."""
    context = " ".join(part for part in (candidate.before[-CONTEXT_CHARS:], candidate.after[:CONTEXT_CHARS]) if part)
    return f"{candidate.sentence}{CONTEXT_MARK}{context}" if context else candidate.sentence


def configure_reader_tokenizer(tokenizer) -> None:
    """Truncate pairs to :data:`READER_MAX_LENGTH` cutting the passage only, pad to the longest of a batch."""
    tokenizer.enable_truncation(max_length=READER_MAX_LENGTH, strategy="only_second")
    tokenizer.no_padding()


class Batch(NamedTuple):
    """Model inputs for n pairs, padded to the longest: int64 arrays of shape (n, length)."""

    input_ids: np.ndarray
    attention_mask: np.ndarray
    token_type_ids: np.ndarray


def encode_reader_pairs(tokenizer, pairs: Sequence[tuple[str, Candidate]]) -> Batch:
    """Tokenize (question, candidate) pairs into one batch padded to its longest (``tokenizer`` set up by
    :func:`configure_reader_tokenizer`)."""
    encodings = tokenizer.encode_batch([(question, passage_text(candidate)) for question, candidate in pairs])
    length = max((len(encoding.ids) for encoding in encodings), default=0)
    ids = np.zeros((len(encodings), length), dtype=np.int64)
    mask = np.zeros_like(ids)
    types = np.zeros_like(ids)
    for row, encoding in enumerate(encodings):
        n = len(encoding.ids)
        ids[row, :n] = encoding.ids
        mask[row, :n] = 1
        types[row, :n] = encoding.type_ids
    return Batch(ids, mask, types)
