"""A sentence-transformers model exported once to ONNX, cached and verified by SHA-256.

Loading a verified export needs neither torch nor sentence-transformers; exporting (first run,
or after the export was found corrupt) loads the model with them and checks the ONNX graph
against it before keeping the files.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from .errors import ModelLoadError

log = logging.getLogger(__name__)

FORMAT = 1
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
MANIFEST_FILE = "manifest.json"
VERIFIED_FILE = "verified.json"  # the model file's stamp when it last hashed right
OPSET = 17
MIN_COSINE = 0.9999
PROBES = (
    "Who commands the Azov Regiment?",
    "a",
    "Ünïcödé, emoji 🙂 and numbers: 1,234.5 — “quoted” text.",
    "A long paragraph that is truncated at the model's maximum sequence length. " * 40,
)


@dataclass(frozen=True, slots=True)
class OnnxExport:
    """A verified export: the ONNX file (checked against its hash, loaded by path so the bytes are
    never held twice), the tokenizer JSON and how to feed them."""

    directory: Path
    model_file: Path
    tokenizer_json: str
    max_seq_length: int
    dimension: int
    pad_id: int
    pad_token: str


def export_directory(cache_dir: Path, identity: str) -> Path:
    """Where the export of the model with ``identity`` lives: ``cache_dir/onnx/<identity>``."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in identity)[-80:]
    if safe != identity:
        safe = f"{safe}-{hashlib.sha256(identity.encode()).hexdigest()[:12]}"
    return cache_dir / "onnx" / safe


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_stamp(path: Path, sha256: str) -> dict:
    """What identifies this very file: any write changes ``ctime_ns`` (which cannot be set back)."""
    info = path.stat()
    return {"sha256": sha256, "size": info.st_size, "mtime_ns": info.st_mtime_ns, "ctime_ns": info.st_ctime_ns,
            "inode": info.st_ino, "device": info.st_dev}


def _model_verified(model_file: Path, sha256: str) -> bool:
    """True when ``model_file`` hashes to ``sha256``.

    Hashing 90 MB costs about a tenth of a cold start, so a good hash is remembered in
    ``VERIFIED_FILE`` with the file's stamp; while the stamp matches the file was not written since.
    """
    stamp_file = model_file.parent / VERIFIED_FILE
    stamp = _file_stamp(model_file, sha256)
    try:
        if json.loads(stamp_file.read_text(encoding="utf-8")) == stamp:
            return True
    except (OSError, ValueError):
        pass
    with model_file.open("rb") as handle:  # streamed: the model is not read into memory
        if hashlib.file_digest(handle, "sha256").hexdigest() != sha256:
            return False
    try:
        staged = stamp_file.with_name(f".{VERIFIED_FILE}.{os.getpid()}.{threading.get_ident()}")
        staged.write_text(json.dumps(stamp), encoding="utf-8")
        os.replace(staged, stamp_file)
    except OSError as error:  # a read-only cache: verify again next time
        log.debug("cannot record the verified ONNX model in %s: %s", stamp_file, error)
    return True


def read_export(directory: Path) -> OnnxExport:
    """Read and verify an export; raises ValueError or OSError when it is missing or corrupt."""
    manifest = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
    if not isinstance(manifest, dict):
        raise ValueError(f"{MANIFEST_FILE} holds {type(manifest).__name__}, not an object")
    if manifest.get("format") != FORMAT:
        raise ValueError(f"export format {manifest.get('format')!r}, expected {FORMAT}")
    model_file = directory / MODEL_FILE
    if not _model_verified(model_file, manifest["sha256"]):
        raise ValueError(f"{MODEL_FILE} does not match its recorded SHA-256")
    tokenizer_bytes = (directory / TOKENIZER_FILE).read_bytes()
    if _sha256(tokenizer_bytes) != manifest["tokenizer_sha256"]:
        raise ValueError(f"{TOKENIZER_FILE} does not match its recorded SHA-256")
    return OnnxExport(
        directory=directory,
        model_file=model_file,
        tokenizer_json=tokenizer_bytes.decode("utf-8"),
        max_seq_length=int(manifest["max_seq_length"]),
        dimension=int(manifest["dimension"]),
        pad_id=int(manifest["pad_id"]),
        pad_token=str(manifest["pad_token"]),
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

    from .encoder import SentenceTransformerEncoder

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
        "sha256": _sha256(model_bytes),
        "tokenizer_sha256": _sha256((staging / TOKENIZER_FILE).read_bytes()),
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
    from .onnx_encoder import OnnxSession

    got = OnnxSession(read_export(staging)).encode(list(PROBES))
    cosine = float(np.min(np.sum(got * expected, axis=1)))
    if cosine < MIN_COSINE:
        raise ModelLoadError(f"the ONNX export disagrees with the model (cosine {cosine:.6f} < {MIN_COSINE}).")
    log.debug("ONNX export matches the torch model (min cosine %.7f)", cosine)
