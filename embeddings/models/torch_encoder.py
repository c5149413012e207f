"""The sentence-transformers (torch) backend: the model as sentence-transformers loads it, on the CPU."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence

import numpy as np

from ..errors import ModelLoadError
from .encoder import ModelFromPath, resolve_model

log = logging.getLogger(__name__)


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
