"""An article's question-type cues and names, found once when it is indexed.

:func:`.cues.sentence_cues` runs every cue's expression over each sentence it is asked about; an
index holds a :class:`CueTable` instead, built from the same matches, so a question only looks up
its own words: a sentence holds a kind when it has a match of it, and for the kinds whose answer
must be new to the question (a number, date, name or place), a match the question says word for
word does not count. The table also holds each paragraph's named stems
(:func:`.question_terms.named_stems`). Matching costs about 0.1 ms a sentence, so an article of
more than :data:`TABLE_MAX_SENTENCES` sentences keeps :class:`CuesOnDemand` instead (what a
question asks about matched when it asks, cached by text, as before indexes held cues).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..text import Article, Span
from .cues import CUES, NEW_ONLY, TOKEN, sentence_cues, sentence_matches
from .question_terms import find_named_stems, named_stems

_NEW_COLUMNS = tuple(c for c, cue in enumerate(CUES) if cue in NEW_ONLY)
TABLE_MAX_SENTENCES = 1_000  # a long read; larger articles match cues when a question asks (CuesOnDemand)


@dataclass(frozen=True, slots=True)
class CueTable:
    """Per sentence (S) and cue (C, :data:`.cues.CUES` order) how many matches it holds, and for the
    matches of the kinds that must be new (M of them, each with at least one word) which words they
    hold: ``word_matches[word_start[w]:word_start[w + 1]]`` are the matches holding word ``w``."""

    counts: np.ndarray  # (S, C) uint16 matches of each cue in each sentence
    match_owner: np.ndarray  # (M,) int64 sentence * C + cue of each match with words (new-only kinds)
    match_size: np.ndarray  # (M,) int32 distinct lower-cased words of each such match
    word_start: np.ndarray  # (V + 1,) int64 where each word's matches start in word_matches
    word_matches: np.ndarray  # (sum of match sizes,) int64 match ids, by word
    words: dict[str, int]  # lower-cased word -> its id (V words)
    names: tuple[frozenset[str], ...] = ()  # (P,) each paragraph's named stems

    @classmethod
    def of(cls, sentences: Sequence[str], paragraphs: Sequence[str] = ()) -> CueTable:
        """The table of ``sentences`` and ``paragraphs`` (an article's, in reading order)."""
        columns = len(CUES)
        counts = np.zeros((len(sentences), columns), dtype=np.uint16)
        owners, sizes, postings, words = [], [], [], {}
        for row, sentence in enumerate(sentences):
            for column, matches in enumerate(sentence_matches(sentence)):
                counts[row, column] = len(matches)
                if column not in _NEW_COLUMNS:
                    continue
                for held in matches:
                    if not held:  # a match without words is always new
                        continue
                    match = len(owners)
                    owners.append(row * columns + column)
                    sizes.append(len(held))
                    postings += [(words.setdefault(sys.intern(word), len(words)), match) for word in held]
        pairs = np.array(sorted(postings), dtype=np.int64).reshape(-1, 2)
        return cls(
            counts=counts,
            match_owner=np.array(owners, dtype=np.int64),
            match_size=np.array(sizes, dtype=np.int32),
            word_start=np.concatenate(([0], np.cumsum(np.bincount(pairs[:, 0], minlength=len(words))))),
            word_matches=pairs[:, 1].copy(),
            words=words,
            names=tuple(find_named_stems(text) for text in paragraphs),
        )

    @property
    def nbytes(self) -> int:
        """Estimated resident bytes: the arrays exactly, the word dictionary and its keys, the name sets
        (their stems are interned: one copy however many articles use them)."""
        arrays = (self.counts, self.match_owner, self.match_size, self.word_start, self.word_matches)
        keys = sum(sys.getsizeof(word) for word in self.words)
        names = sys.getsizeof(self.names) + sum(sys.getsizeof(stems) for stems in self.names)
        return sum(a.nbytes for a in arrays) + sys.getsizeof(self.words) + keys + names

    def named(self, paragraph: int) -> frozenset[str]:
        """Stems paragraph ``paragraph`` (0-based) writes as names (:func:`.question_terms.named_stems`)."""
        return self.names[paragraph]

    def held(self, rows: np.ndarray | None, question: str = "", kinds: np.ndarray | None = None) -> np.ndarray:
        """(len(rows), C) 0/1 float32: which answer kinds sentences ``rows`` (distinct; None: every
        sentence in order) hold beyond the words of ``question``; equal to
        ``sentence_cues([their texts], question, kinds)``.

        ``kinds`` (C,) keeps only the columns where it is non-zero (the others are 0).
        """
        if rows is not None:
            rows = np.asarray(rows, dtype=np.int64)
        counts = (self.counts if rows is None else self.counts[rows]).astype(np.int32)
        asked = [self.words[w] for w in {w.lower() for w in TOKEN.findall(question)} if w in self.words]
        if asked and len(counts):  # matches whose every word the question says are not answers to it
            hits = np.concatenate([self.word_matches[self.word_start[w] : self.word_start[w + 1]] for w in asked])
            said = np.bincount(hits, minlength=len(self.match_size)) == self.match_size
            if rows is None:  # every sentence: a match's (sentence, cue) is its cell
                counts -= np.bincount(self.match_owner[said], minlength=counts.size).reshape(counts.shape)
            else:
                sentence, column = np.divmod(self.match_owner[said], len(CUES))
                order = np.argsort(rows, kind="stable")
                slot = np.minimum(np.searchsorted(rows[order], sentence), len(rows) - 1)
                inside = rows[order][slot] == sentence
                np.subtract.at(counts, (order[slot[inside]], column[inside]), 1)
        out = (counts > 0).astype(np.float32)
        if kinds is not None:
            out[:, np.asarray(kinds) == 0] = 0.0
        return out


@dataclass(frozen=True, slots=True)
class CuesOnDemand:
    """A large article's cues, matched for the sentences a question asks about (as :class:`CueTable`)."""

    article: Article
    spans: tuple[Span, ...]  # (S,) every sentence's span, in reading order

    @property
    def nbytes(self) -> int:
        """Estimated resident bytes: the tuple of references to the article's own spans."""
        return sys.getsizeof(self.spans)

    def held(self, rows: np.ndarray | None, question: str = "", kinds: np.ndarray | None = None) -> np.ndarray:
        """(len(rows), C) 0/1 float32, :func:`.cues.sentence_cues` of sentences ``rows`` (None: all)."""
        chosen = self.spans if rows is None else [self.spans[int(row)] for row in rows]
        texts = [self.article.sentence_text(span) for span in chosen]
        return sentence_cues(texts, question, kinds) if texts else np.zeros((0, len(CUES)), dtype=np.float32)

    def named(self, paragraph: int) -> frozenset[str]:
        """Stems paragraph ``paragraph`` (0-based) writes as names (cached by text)."""
        return named_stems(self.article.paragraphs[paragraph].text)


def article_cues(article: Article, limit: int = TABLE_MAX_SENTENCES) -> CueTable | CuesOnDemand:
    """The cues of every sentence and the names of every paragraph of ``article``: a :class:`CueTable`
    up to ``limit`` sentences."""
    spans = tuple(span for paragraph in article.paragraphs for span in paragraph.sentences)
    if len(spans) > limit:
        return CuesOnDemand(article, spans)
    return CueTable.of([article.sentence_text(span) for span in spans], [p.text for p in article.paragraphs])
