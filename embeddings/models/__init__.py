"""The models layer: sentence encoders behind the :class:`Encoder` protocol (:mod:`.encoder`, at the bottom), with
the ONNX Runtime backend (export, files, session) and the sentence-transformers (torch) backend beside each other,
:func:`make_encoder` choosing between them, batching of concurrent encodes, BLAS threads and the multilingual e5
encoder of the second opinion. Imports the text layer at most.

This face is what other layers, the bot and benchmarks may use (``__all__``); each name is imported from its
module on first use (PEP 562), so importing the face costs nothing and the fast path stays lean.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..faces import lazy_face

if TYPE_CHECKING:
    from .backends import BACKENDS as BACKENDS
    from .backends import Backend as Backend
    from .backends import default_backend as default_backend
    from .backends import make_encoder as make_encoder
    from .batching import BatchingEncoder as BatchingEncoder
    from .blas import SINGLE_THREAD_BELOW as SINGLE_THREAD_BELOW
    from .blas import blas_threads_for as blas_threads_for
    from .blas import tune_blas_threads as tune_blas_threads
    from .encoder import Encoder as Encoder
    from .encoder import bundled_model_path as bundled_model_path
    from .onnx_encoder import OnnxEncoder as OnnxEncoder
    from .onnx_files import export_directory as export_directory
    from .second_encoder import E5Encoder as E5Encoder
    from .second_encoder import second_encoder_available as second_encoder_available
    from .torch_encoder import SentenceTransformerEncoder as SentenceTransformerEncoder

# name -> the module of this package that defines it
SOURCES: dict[str, str] = {
    "BACKENDS": "backends",
    "Backend": "backends",
    "BatchingEncoder": "batching",
    "E5Encoder": "second_encoder",
    "Encoder": "encoder",
    "OnnxEncoder": "onnx_encoder",
    "SINGLE_THREAD_BELOW": "blas",
    "SentenceTransformerEncoder": "torch_encoder",
    "blas_threads_for": "blas",
    "bundled_model_path": "encoder",
    "default_backend": "backends",
    "export_directory": "onnx_files",
    "make_encoder": "backends",
    "second_encoder_available": "second_encoder",
    "tune_blas_threads": "blas",
}

__all__ = [
    "BACKENDS",
    "SINGLE_THREAD_BELOW",
    "Backend",
    "BatchingEncoder",
    "E5Encoder",
    "Encoder",
    "OnnxEncoder",
    "SentenceTransformerEncoder",
    "blas_threads_for",
    "bundled_model_path",
    "default_backend",
    "export_directory",
    "make_encoder",
    "second_encoder_available",
    "tune_blas_threads",
]

__getattr__, __dir__ = lazy_face(__name__, SOURCES, globals())
