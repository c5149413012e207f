"""The reader's loader: it verifies the files against their SHA-256, refuses a changed file with a clear error,
catches a tokenizer that does not fit the model, loads lazily, and scores pairs without torch.

The graphs here are small real ONNX graphs (built with ``onnx.helper``: a per-token weight summed over the
attention mask) with the bundled tokenizer: what is under test is the loader's contract, not the trained
weights (the trained reader's own behaviour is in ``docs/reader.md``)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from embeddings.models import (
    READER_MAX_LENGTH,
    Candidate,
    Reader,
    ReaderFileError,
    bundled_model_path,
    read_reader_files,
)

VOCAB = 30522  # the bundled tokenizer's


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def token_sum_graph(path: Path, rows: int) -> None:
    """score = sum over unmasked tokens of weight[token] (weights 0..1 by id), for ``rows`` token ids."""
    import onnx
    from onnx import TensorProto, helper

    weights = helper.make_tensor("weights", TensorProto.FLOAT, [rows], (np.arange(rows) / rows).astype(np.float32))
    nodes = [
        helper.make_node("Gather", ["weights", "input_ids"], ["per_token"]),
        helper.make_node("Cast", ["attention_mask"], ["mask"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["per_token", "mask"], ["kept"]),
        helper.make_node("Cast", ["token_type_ids"], ["types"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["types", "mask"], ["unused"]),
        helper.make_node("ReduceSum", ["kept", "axis"], ["score"], keepdims=0),
    ]
    axis = helper.make_tensor("axis", TensorProto.INT64, [1], [1])
    inputs = [helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "tokens"])
              for name in ("input_ids", "attention_mask", "token_type_ids")]
    graph = helper.make_graph(nodes, "reader", inputs, [helper.make_tensor_value_info("score", TensorProto.FLOAT,
                                                                                        ["batch"])],
                              initializer=[weights, axis])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))


def reader_files(directory: Path, rows: int = VOCAB, **manifest_changes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    token_sum_graph(directory / "model.onnx", rows)
    shutil.copyfile(bundled_model_path() / "tokenizer.json", directory / "tokenizer.json")
    manifest = {"format": 1, "sha256": sha(directory / "model.onnx"),
                "tokenizer_sha256": sha(directory / "tokenizer.json"), "vocab_size": VOCAB, "cls_id": 101,
                "sep_id": 102, "pad_id": 0, "max_length": READER_MAX_LENGTH, **manifest_changes}
    (directory / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return directory


def test_a_verified_reader_scores_each_candidate(tmp_path: Path):
    reader = Reader(reader_files(tmp_path / "reader"))
    scores = reader.score("Who won?", [Candidate("The home side won."), Candidate("It rained.", "A", "B")])
    assert scores.shape == (2,) and scores.dtype == np.float32
    assert np.all(np.isfinite(scores)) and scores[0] != scores[1]


def test_the_reader_loads_on_first_use_only(tmp_path: Path):
    directory = reader_files(tmp_path / "reader")
    reader = Reader(directory)
    (directory / "model.onnx").write_bytes(b"changed after construction")  # not read yet: no error
    assert not reader.loaded
    with pytest.raises(ReaderFileError):
        reader.score("q", [Candidate("s")])


def test_a_changed_model_file_is_refused_with_a_clear_error(tmp_path: Path):
    directory = reader_files(tmp_path / "reader")
    data = bytearray((directory / "model.onnx").read_bytes())
    data[-1] ^= 1
    (directory / "model.onnx").write_bytes(bytes(data))
    with pytest.raises(ReaderFileError, match=r"model\.onnx was changed: its SHA-256 is [0-9a-f]{64}.*Refusing"):
        read_reader_files(directory)


def test_a_changed_tokenizer_file_is_refused(tmp_path: Path):
    directory = reader_files(tmp_path / "reader")
    with open(directory / "tokenizer.json", "a", encoding="utf-8") as handle:
        handle.write(" ")
    with pytest.raises(ReaderFileError, match=r"tokenizer\.json was changed"):
        read_reader_files(directory)


def test_a_missing_manifest_is_a_clear_error(tmp_path: Path):
    directory = reader_files(tmp_path / "reader")
    (directory / "manifest.json").unlink()
    with pytest.raises(ReaderFileError, match=r"no readable manifest\.json"):
        Reader(directory).load()


def test_a_tokenizer_other_than_the_models_is_caught(tmp_path: Path):
    """The manifest says the model was trained with another vocabulary than the tokenizer shipped beside it."""
    directory = reader_files(tmp_path / "reader", vocab_size=50265, sep_id=2)
    with pytest.raises(ReaderFileError, match=r"tokenizer does not fit its model: vocab_size 30522 \(model: 50265\)"):
        Reader(directory).load()


def test_a_model_smaller_than_its_tokenizer_is_caught(tmp_path: Path):
    """A graph whose embedding table has fewer rows than the tokenizer's ids (the manifest copied blindly)."""
    directory = reader_files(tmp_path / "reader", rows=1000)
    with pytest.raises(ReaderFileError, match="tokenizer does not fit its model"):
        Reader(directory).load()


def test_loading_and_scoring_import_no_torch(tmp_path: Path):
    directory = reader_files(tmp_path / "reader")
    code = ("import sys; from embeddings.models import Reader, Candidate; "
            f"Reader({str(directory)!r}).score('q', [Candidate('s')]); "
            "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[3])
    assert out.stdout.strip() == "[]"


def test_a_reader_trained_on_another_input_length_is_refused(tmp_path: Path):
    directory = reader_files(tmp_path / "reader", max_length=READER_MAX_LENGTH * 2)
    with pytest.raises(ReaderFileError, match=f"trained on {READER_MAX_LENGTH * 2} tokens"):
        Reader(directory).load()
