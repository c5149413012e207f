"""An ONNX export on disk: its files, its manifest, and reading it back verified by SHA-256.

Reading needs neither torch nor sentence-transformers (:mod:`.onnx_export` writes exports)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

FORMAT = 1
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
MANIFEST_FILE = "manifest.json"
VERIFIED_FILE = "verified.json"  # the model file's stamp when it last hashed right


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


def sha256_hex(data: bytes) -> str:
    """The hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def file_stamp(path: Path, sha256: str) -> dict:
    """What identifies this very file: any write changes ``ctime_ns`` (which cannot be set back)."""
    info = path.stat()
    return {"sha256": sha256, "size": info.st_size, "mtime_ns": info.st_mtime_ns, "ctime_ns": info.st_ctime_ns,
            "inode": info.st_ino, "device": info.st_dev}


def model_verified(model_file: Path, sha256: str) -> bool:
    """True when ``model_file`` hashes to ``sha256``.

    Hashing 90 MB costs about a tenth of a cold start, so a good hash is remembered in
    ``VERIFIED_FILE`` with the file's stamp; while the stamp matches the file was not written since.
    """
    stamp_file = model_file.parent / VERIFIED_FILE
    stamp = file_stamp(model_file, sha256)
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
    if not model_verified(model_file, manifest["sha256"]):
        raise ValueError(f"{MODEL_FILE} does not match its recorded SHA-256")
    tokenizer_bytes = (directory / TOKENIZER_FILE).read_bytes()
    if sha256_hex(tokenizer_bytes) != manifest["tokenizer_sha256"]:
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
