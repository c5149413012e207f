"""Shared fixtures of the evaluation tests: the tiny SQuAD fixture, embedded once per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from embeddings.evaluation.squad import load_squad, prepare
from embeddings.vectors import EmbeddingCache

FIXTURE = Path(__file__).parent / "fixtures" / "squad-tiny.json"


@pytest.fixture(scope="module")
def prepared(encoder):
    """The tiny SQuAD fixture, prepared (embedded) with the real model."""
    return prepare(load_squad(FIXTURE), encoder, EmbeddingCache(None))
