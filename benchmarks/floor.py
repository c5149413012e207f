"""The floor: the least a process can do to answer, i.e. embed one question with the exported model.

Imports only numpy, onnxruntime and tokenizers (plus the standard library), loads the same
``model.onnx`` and ``tokenizer.json`` the bot uses, encodes one question and prints its vector's
dimension. Run as a script (not through ``benchmarks``, whose imports would count):
``python benchmarks/floor.py EXPORT_DIR QUESTION``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import onnxruntime
from tokenizers import Tokenizer


def encode(directory: Path, question: str) -> np.ndarray:
    """The unit (d,) float32 embedding of ``question``: tokenize, run the graph, normalise."""
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=int(manifest["max_seq_length"]))
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(str(directory / "model.onnx"), options, providers=["CPUExecutionProvider"])
    encoding = tokenizer.encode(question)
    columns = {
        "input_ids": encoding.ids, "attention_mask": encoding.attention_mask, "token_type_ids": encoding.type_ids,
    }
    feeds = {spec.name: np.asarray([columns[spec.name]], dtype=np.int64) for spec in session.get_inputs()}
    vector = session.run(None, feeds)[0][0]
    return vector / np.linalg.norm(vector)


def main(argv: list[str]) -> int:
    """Encode ``argv[1]`` with the export in ``argv[0]``; print ``{"dimension": d}``."""
    directory, question = Path(argv[0]), argv[1]
    print(json.dumps({"dimension": int(encode(directory, question).shape[0])}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
