"""A sentence-transformers model exported once to ONNX (the files: :mod:`.onnx_files`).

Loading a verified export needs neither torch nor sentence-transformers; exporting (first run,
or after the export was found corrupt) loads the model with them and checks the ONNX graph
against it before keeping the files.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
import warnings
from pathlib import Path

from ..errors import ModelLoadError
from .onnx_files import (
    FORMAT,
    MANIFEST_FILE,
    MODEL_FILE,
    TOKENIZER_FILE,
    OnnxExport,
    export_directory,
    read_export,
    sha256_hex,
)
from .onnx_session import OnnxSession
from .torch_encoder import SentenceTransformerEncoder

log = logging.getLogger(__name__)

OPSET = 17
MIN_COSINE = 0.9999
PROBES = (
    "Who commands the Azov Regiment?",
    "a",
    "Ünïcödé, emoji 🙂 and numbers: 1,234.5 — “quoted” text.",
    "A long paragraph that is truncated at the model's maximum sequence length. " * 40,
)


_UNUSABLE = (OSError, ValueError, KeyError, TypeError)
STALE_STAGING_SECONDS = 3600


def load_or_export(model_path: str, identity: str, cache_dir: Path) -> OnnxExport:
    """The verified export for ``identity``; exports it (needs torch) when missing or corrupt."""
    directory = export_directory(cache_dir, identity)
    if (directory / MANIFEST_FILE).exists():
        try:
            return read_export(directory)
        except _UNUSABLE as error:
            log.warning("ONNX export %s is unusable (%s); exporting it again", directory, error)
    else:
        log.info("no ONNX export of %s yet; exporting it once (this loads torch)", identity)
    try:
        export_model(model_path, directory)
        return read_export(directory)
    except _UNUSABLE as error:  # an unwritable CACHE_DIR, or a file where a directory should be
        raise ModelLoadError(
            f"Cannot export the ONNX model into {directory} ({error}); set CACHE_DIR to a writable "
            "directory, or EMBEDDING_BACKEND=torch."
        ) from error


def export_model(model_path: str, directory: Path) -> None:
    """Export ``model_path`` to ``directory`` atomically (files go to a temp dir, then renamed)."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(directory)
    staging = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}-"))
    staging.chmod(0o755)
    try:
        try:
            _export_into(model_path, staging)
        except ModelLoadError:
            raise
        except Exception as error:  # any exporter failure is one clear error for the user
            raise ModelLoadError(
                f"Cannot export {model_path!r} to ONNX ({error}); set EMBEDDING_BACKEND=torch to skip ONNX."
            ) from error
        if directory.exists():
            try:
                read_export(directory)
                log.info("another process exported %s first; keeping its export", directory)
                return
            except _UNUSABLE:
                shutil.rmtree(directory, ignore_errors=True)
        try:
            os.replace(staging, directory)
        except OSError:  # another process renamed its export in first: keep that one if it is good
            read_export(directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("exported ONNX model to %s", directory)


def _remove_stale_staging(directory: Path) -> None:
    """Delete half-written exports left by processes killed while exporting (older than an hour)."""
    now = time.time()
    for leftover in directory.parent.glob(f".{directory.name}-*"):
        try:
            if now - leftover.stat().st_mtime > STALE_STAGING_SECONDS:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            continue


def _export_into(model_path: str, staging: Path) -> None:
    import numpy as np
    import torch
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformerEncoder(model_path)
    model: SentenceTransformer = reference.load()
    tokenizer = getattr(model.tokenizer, "backend_tokenizer", None)
    if tokenizer is None:
        raise ModelLoadError(f"{model_path!r} has no fast (tokenizers) tokenizer; use EMBEDDING_BACKEND=torch.")
    tokenizer.save(str(staging / TOKENIZER_FILE))
    pad_token = model.tokenizer.pad_token or "[PAD]"
    pad_id = int(model.tokenizer.pad_token_id or 0)
    names = ["input_ids", "attention_mask", "token_type_ids"]

    class Pipeline(torch.nn.Module):
        """Transformer, pooling (and normalisation when the model has it) in one graph."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            features = {"input_ids": input_ids, "attention_mask": attention_mask, "token_type_ids": token_type_ids}
            return self.model(features)["sentence_embedding"]

    example = torch.ones((2, 8), dtype=torch.long)
    axes = {name: {0: "batch", 1: "tokens"} for name in names} | {"embedding": {0: "batch"}}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Pipeline().eval(), (example, example, torch.zeros_like(example)), str(staging / MODEL_FILE),
            input_names=names, output_names=["embedding"], dynamic_axes=axes, opset_version=OPSET,
            dynamo=False,
        )
    model_bytes = (staging / MODEL_FILE).read_bytes()
    manifest = {
        "format": FORMAT,
        "model": model_path,
        "sha256": sha256_hex(model_bytes),
        "tokenizer_sha256": sha256_hex((staging / TOKENIZER_FILE).read_bytes()),
        "max_seq_length": int(model.max_seq_length or 0),
        "dimension": int(reference.encode(["x"]).shape[1]),
        "pad_id": pad_id,
        "pad_token": pad_token,
        "torch": torch.__version__,
        "opset": OPSET,
    }
    (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    _check_against(staging, reference.encode(list(PROBES)), np)


def _check_against(staging: Path, expected, np) -> None:
    """Refuse an export whose embeddings differ from the torch model's on the probe texts."""
    got = OnnxSession(read_export(staging)).encode(list(PROBES))
    cosine = float(np.min(np.sum(got * expected, axis=1)))
    if cosine < MIN_COSINE:
        raise ModelLoadError(f"the ONNX export disagrees with the model (cosine {cosine:.6f} < {MIN_COSINE}).")
    log.debug("ONNX export matches the torch model (min cosine %.7f)", cosine)
