"""The ONNX Runtime encoder: the same model as sentence-transformers, without importing torch.

Run time uses only onnxruntime, the ``tokenizers`` library and numpy: truncation at the model's
max_seq_length, padding to the longest text of a batch, and the exported graph (transformer,
pooling over the attention mask, L2 normalisation); rows are normalised again in numpy.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import ModelLoadError
from .encoder import ModelFromPath, resolve_model
from .onnx_export import load_or_export
from .onnx_files import MANIFEST_FILE, export_directory
from .onnx_session import OnnxSession

log = logging.getLogger(__name__)


class OnnxEncoder(ModelFromPath):
    """all-MiniLM-L6-v2 (or MODEL) on ONNX Runtime, exported once into ``cache_dir/onnx``.

    Its identity is the model's, like :class:`SentenceTransformerEncoder`'s: both give the same
    embeddings (an export is checked against torch before use), so cached vectors are shared.
    """

    def __init__(
        self, model: str | None = None, cache_dir: str | Path | None = None, *,
        threads: int | None = None, batch_size: int = 64,
    ) -> None:
        self.model_path = resolve_model(model)
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.threads = threads
        self.batch_size = batch_size
        self._session: OnnxSession | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """True once the ONNX session is ready."""
        return self._session is not None

    def load(self) -> OnnxSession:
        """Load the export (exporting it on first use); later calls return the same session."""
        if self._session is None:
            with self._lock:
                if self._session is None:
                    self._session = self._load()
        return self._session

    def preload(self) -> threading.Thread | None:
        """Start loading an existing export in a thread (it overlaps parsing and indexing).

        Does nothing when the export is missing: exporting loads torch and stays on first use.
        """
        if self.loaded or not (export_directory(self._cache_dir, self.identity) / MANIFEST_FILE).exists():
            return None
        thread = threading.Thread(target=self._preload, name="onnx-preload")
        thread.start()
        return thread

    def _preload(self) -> None:
        try:
            self.load()
        except Exception as error:  # the first encode reports it to the caller
            log.debug("preloading the ONNX model failed: %s", error)

    @property
    def _cache_dir(self) -> Path:
        return self.cache_dir or Path(tempfile.gettempdir()) / "article-bot"

    def _load(self) -> OnnxSession:
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        export = load_or_export(self.model_path, self.identity, self._cache_dir)
        try:
            session = OnnxSession(export, threads=self.threads, batch_size=self.batch_size)
        except Exception as error:  # onnxruntime refusing the graph is one clear error for the user
            raise ModelLoadError(f"Cannot load the ONNX export in {export.directory}: {error}") from error
        log.info("loaded ONNX model %s from %s", self.identity, export.directory)
        return session

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.load().encode(texts)
