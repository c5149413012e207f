"""Export a trained reader to ONNX with its manifest (SHA-256 of the model and the tokenizer, what the tokenizer
must be), checked against torch on probe pairs; ``--int8`` also writes a dynamically quantised copy.

    python -m devtools.reader_training.export --model .cache/reader/run/model --out DIR [--int8]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from embeddings.models import (
    READER_MAX_LENGTH,
    Candidate,
    Reader,
    bundled_model_path,
    configure_reader_tokenizer,
    encode_reader_pairs,
)

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
MANIFEST_FILE = "manifest.json"
OPSET = 17
PROBES = [
    ("What did Moscow claim about the area?", Candidate("Moscow declared victory over the area on Monday.")),
    ("How many tanks does Germany have?", Candidate("The evacuees carried nothing but their clothes.", "A", "B")),
    ("who won", Candidate("The home side won the final 3-1.", "It rained all day.", "")),
]


def sha256(path: Path) -> str:
    import hashlib

    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_manifest(out: Path, tokenizer, extra: dict) -> dict:
    manifest = {
        "format": 1,
        "sha256": sha256(out / MODEL_FILE),
        "tokenizer_sha256": sha256(out / TOKENIZER_FILE),
        "vocab_size": tokenizer.get_vocab_size(),
        "cls_id": tokenizer.token_to_id("[CLS]"),
        "sep_id": tokenizer.token_to_id("[SEP]"),
        "pad_id": tokenizer.token_to_id("[PAD]"),
        "max_length": READER_MAX_LENGTH,
        "size_bytes": (out / MODEL_FILE).stat().st_size,
        **extra,
    }
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def export(model_dir: Path, out: Path, *, int8: bool = False, extra: dict | None = None) -> dict:
    """Write ``out/model.onnx``, the tokenizer and the manifest; returns the manifest. Raises when ONNX Runtime
    disagrees with torch on the probes."""
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModelForSequenceClassification

    out.mkdir(parents=True, exist_ok=True)
    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir)).eval()
    tokenizer_source = model_dir / TOKENIZER_FILE
    if not tokenizer_source.exists():  # a checkpoint saved mid-run: the base model's tokenizer
        tokenizer_source = bundled_model_path() / TOKENIZER_FILE
    shutil.copyfile(tokenizer_source, out / TOKENIZER_FILE)
    tokenizer = Tokenizer.from_file(str(out / TOKENIZER_FILE))
    configure_reader_tokenizer(tokenizer)
    batch = encode_reader_pairs(tokenizer, PROBES)
    feeds = (torch.from_numpy(batch.input_ids), torch.from_numpy(batch.attention_mask),
             torch.from_numpy(batch.token_type_ids))

    class Logits(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).logits[:, 0]

    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {name: {0: "batch", 1: "tokens"} for name in names} | {"score": {0: "batch"}}
    with torch.inference_mode():
        expected = Logits()(*feeds).numpy()
        torch.onnx.export(Logits().eval(), feeds, str(out / MODEL_FILE), input_names=names, output_names=["score"],
                          dynamic_axes=axes, opset_version=OPSET, dynamo=False)
    settings = {"precision": "fp32", "opset": OPSET, **(extra or {})}
    if int8:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        fp32 = out / "model-fp32.onnx"
        (out / MODEL_FILE).rename(fp32)
        quantize_dynamic(str(fp32), str(out / MODEL_FILE), weight_type=QuantType.QInt8, per_channel=True)
        fp32.unlink()
        settings["precision"] = "int8 (dynamic, per channel)"
    manifest = write_manifest(out, tokenizer, settings)
    found = Reader(out).score(PROBES[0][0], [PROBES[0][1]])
    tolerance = 0.3 if int8 else 1e-3
    if abs(float(found[0]) - float(expected[0])) > tolerance:
        raise RuntimeError(f"ONNX export disagrees with torch: {found[0]} vs {expected[0]}")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True, help="a trained model directory (train.py's out/model)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--int8", action="store_true")
    parser.add_argument("--curve", type=Path, default=None, help="curve.json of the run, recorded in the manifest")
    args = parser.parse_args(argv)
    extra = {"base_model": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0)"}
    if args.curve and args.curve.exists():
        extra["validation"] = json.loads(args.curve.read_text(encoding="utf-8"))[-1]
    manifest = export(args.model, args.out, int8=args.int8, extra=extra)
    print(json.dumps({k: v for k, v in manifest.items() if k != "validation"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
