"""Which encoder backend runs the model (EMBEDDING_BACKEND): ONNX Runtime when installed, else torch."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from .encoder import Encoder
from .onnx_encoder import OnnxEncoder
from .torch_encoder import SentenceTransformerEncoder

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
        return OnnxEncoder(model, cache_dir)
    raise ValueError(f"unknown embedding backend {backend!r}; expected one of {', '.join(BACKENDS)}")
