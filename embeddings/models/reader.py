"""The reader: a cross-encoder that reads a question and one sentence (with its neighbours) together and scores
how well the sentence answers it, on ONNX Runtime (no torch at run time).

Its files live in one directory (``model.onnx``, ``tokenizer.json``, ``manifest.json``); the manifest records the
SHA-256 of both files and what the model was trained with (vocabulary size, special token ids, sequence
length). :func:`read_reader_files` refuses a changed file and a tokenizer that does not fit the model, each with a
clear :class:`ReaderFileError`; :class:`Reader` loads on first use (lazily: nothing is read at import).
Training and export: ``devtools/reader_training`` (``make train-reader``).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ModelLoadError
from .reader_input import READER_MAX_LENGTH, Candidate, configure_reader_tokenizer, encode_reader_pairs

FORMAT = 1
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
MANIFEST_FILE = "manifest.json"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
SHIPPED = Path(__file__).with_name("reader_files")


class ReaderFileError(ModelLoadError):
    """The reader's files are missing, changed since they were recorded, or do not fit together."""


def file_sha256(path: Path) -> str:
    """The hex SHA-256 of a file, streamed."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@dataclass(frozen=True, slots=True)
class ReaderFiles:
    """A verified reader directory and what its manifest says."""

    directory: Path
    model_file: Path
    tokenizer_json: str
    manifest: dict


def read_reader_files(directory: Path) -> ReaderFiles:
    """Read ``directory``'s manifest and verify both files against their SHA-256 (raises ReaderFileError)."""
    try:
        manifest = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ReaderFileError(f"The reader has no readable {MANIFEST_FILE} in {directory}: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ReaderFileError(f"{directory / MANIFEST_FILE} is not a reader manifest of format {FORMAT}")
    for name, key in ((MODEL_FILE, "sha256"), (TOKENIZER_FILE, "tokenizer_sha256")):
        path = directory / name
        try:
            found = file_sha256(path)
        except OSError as error:
            raise ReaderFileError(f"The reader's {name} cannot be read: {error}") from error
        if found != manifest.get(key):
            raise ReaderFileError(
                f"The reader's {path} was changed: its SHA-256 is {found}, the manifest records "
                f"{manifest.get(key)}. Refusing to load it; restore the shipped file or export the reader again."
            )
    return ReaderFiles(directory, directory / MODEL_FILE, (directory / TOKENIZER_FILE).read_text(encoding="utf-8"),
                       manifest)


def check_tokenizer(tokenizer, manifest: dict) -> None:
    """Raise ReaderFileError when the tokenizer is not the one the model was trained with."""
    found = {
        "vocab_size": tokenizer.get_vocab_size(),
        "cls_id": tokenizer.token_to_id("[CLS]"),
        "sep_id": tokenizer.token_to_id("[SEP]"),
        "pad_id": tokenizer.token_to_id("[PAD]"),
    }
    wrong = {key: (value, manifest.get(key)) for key, value in found.items() if value != manifest.get(key)}
    if wrong:
        details = ", ".join(f"{key} {have} (model: {want})" for key, (have, want) in wrong.items())
        raise ReaderFileError(f"The reader's tokenizer does not fit its model: {details}")


class Reader:
    """The reader model, loaded on first use from ``directory`` (default: the files shipped in the package)."""

    def __init__(self, directory: str | Path | None = None, *, threads: int = 1, batch_size: int = 16) -> None:
        self.directory = Path(directory) if directory else SHIPPED
        self.threads = threads
        self.batch_size = batch_size
        self._state: tuple | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """True once the session is ready."""
        return self._state is not None

    @property
    def manifest(self) -> dict:
        """The verified manifest (loads the reader)."""
        return self.load()[2]

    def load(self) -> tuple:
        """Verify and load (once): (session, tokenizer, manifest)."""
        if self._state is None:
            with self._lock:
                if self._state is None:
                    self._state = self._load()
        return self._state

    def _load(self) -> tuple:
        import onnxruntime
        from tokenizers import Tokenizer

        files = read_reader_files(self.directory)
        try:
            tokenizer = Tokenizer.from_str(files.tokenizer_json)
        except Exception as error:  # a tokenizer file the library cannot read
            raise ReaderFileError(f"The reader's {TOKENIZER_FILE} is not a tokenizer: {error}") from error
        check_tokenizer(tokenizer, files.manifest)
        if int(files.manifest.get("max_length", READER_MAX_LENGTH)) != READER_MAX_LENGTH:
            raise ReaderFileError(f"The reader was trained on {files.manifest.get('max_length')} tokens, "
                                  f"this code feeds it {READER_MAX_LENGTH}")
        configure_reader_tokenizer(tokenizer)
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        options.intra_op_num_threads = self.threads
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            session = onnxruntime.InferenceSession(str(files.model_file), options, providers=["CPUExecutionProvider"])
        except Exception as error:  # not an ONNX graph ONNX Runtime can run
            raise ReaderFileError(f"The reader's {MODEL_FILE} cannot be loaded: {error}") from error
        names = tuple(spec.name for spec in session.get_inputs())
        if sorted(names) != sorted(INPUTS):
            raise ReaderFileError(f"The reader's graph takes {names}, not {INPUTS}")
        probe = np.array([[tokenizer.token_to_id("[CLS]"), tokenizer.get_vocab_size() - 1,
                           tokenizer.token_to_id("[SEP]")]], dtype=np.int64)
        try:  # the tokenizer's highest id must exist in the model's embedding table
            session.run(None, {"input_ids": probe, "attention_mask": np.ones_like(probe),
                               "token_type_ids": np.zeros_like(probe)})
        except Exception as error:
            raise ReaderFileError(f"The reader's tokenizer does not fit its model: {error}") from error
        return session, tokenizer, files.manifest

    def score(self, question: str, candidates: Sequence[Candidate]) -> np.ndarray:
        """(n,) float32 logits: how well each candidate sentence answers ``question`` (higher: better)."""
        session, tokenizer, _ = self.load()
        out = np.empty(len(candidates), dtype=np.float32)
        for start in range(0, len(candidates), self.batch_size):
            batch = encode_reader_pairs(tokenizer, [(question, c) for c in candidates[start:start + self.batch_size]])
            feeds = {"input_ids": batch.input_ids, "attention_mask": batch.attention_mask,
                     "token_type_ids": batch.token_type_ids}
            out[start:start + len(batch.input_ids)] = np.asarray(session.run(None, feeds)[0]).reshape(-1)
        return out
