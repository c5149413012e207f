"""A second tier behind the embedding cache: vectors shared by every process (and machine) of a bot.

The engine knows only the ``SharedVectors`` interface; the bot injects an implementation (vectors in
its PostgreSQL database, by model identity and text hash), so no machine encodes a text another one
already encoded. A shared tier that fails is logged and skipped: the texts are encoded as without it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from ..models import Encoder

log = logging.getLogger(__name__)


class SharedVectors(Protocol):
    """Vectors by (model identity, text key), shared between processes."""

    def fetch(self, identity: str, keys: Sequence[bytes]) -> dict[bytes, np.ndarray]:
        """The (d,) float32 vectors known for ``keys`` (absent keys are left out)."""
        ...

    def store(self, identity: str, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        """Keep ``vectors`` (len(keys), d) for ``keys`` (keys already known are left as they are)."""
        ...


def obtain_missing(
    encoder: Encoder, shared: SharedVectors | None, texts: Sequence[str], keys: Sequence[bytes],
    missing: list[bytes],
) -> tuple[np.ndarray, int]:
    """(len(missing), d) float32 vectors for the distinct ``missing`` keys: from ``shared`` when it has
    them, the rest encoded (and given to ``shared``); also how many were encoded."""
    identity = encoder.identity
    known: dict[bytes, np.ndarray] = {}
    if shared is not None:
        try:
            known = shared.fetch(identity, missing)
        except Exception as error:  # the shared tier is an optimisation: never fail an index for it
            log.warning("shared embedding vectors unavailable (%s); encoding locally", error)
    to_encode = [key for key in missing if key not in known]
    if to_encode:
        by_key = dict(zip(keys, texts, strict=True))
        fresh = np.asarray(encoder.encode([by_key[key] for key in to_encode]), dtype=np.float32)
        known.update(zip(to_encode, fresh, strict=True))
        if shared is not None:
            try:
                shared.store(identity, to_encode, fresh)
            except Exception as error:
                log.warning("cannot share embedding vectors (%s)", error)
    return np.stack([np.asarray(known[key], dtype=np.float32) for key in missing]), len(to_encode)
