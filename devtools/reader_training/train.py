"""Train the reader: a cross-encoder (question, sentence with neighbours) → score, from the bundled MiniLM.

    python -m devtools.reader_training.train --out .cache/reader/run [--steps 400] [--resume]

Loss per group: binary cross-entropy on every candidate (absolute scores decide answerability) plus a softmax
over the group's candidates where it has a positive (ranking). Checkpoints every ``--eval-every`` steps
(model, optimiser, schedule, step) and resumes from the latest; validation on the held-out fold is printed as it
goes (a learning curve: steps, R@1, AUROC answerable vs unanswerable, unanswerable declined at ≤5 % false
abstention). torch is needed here only; the run-time reader reads the ONNX export (:mod:`.export`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from embeddings.models import Candidate, bundled_model_path, configure_reader_tokenizer, encode_reader_pairs

from .data import Group, Validation, training_groups, validation_set
from .metrics import curve_point


def load_tokenizer(model_dir: Path):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    configure_reader_tokenizer(tokenizer)
    return tokenizer


def build_model(model_dir: Path):
    from transformers import AutoModelForSequenceClassification

    return AutoModelForSequenceClassification.from_pretrained(str(model_dir), num_labels=1)


def tensors(tokenizer, pairs: list[tuple[str, Candidate]]):
    import torch

    batch = encode_reader_pairs(tokenizer, pairs)
    return {"input_ids": torch.from_numpy(batch.input_ids), "attention_mask": torch.from_numpy(batch.attention_mask),
            "token_type_ids": torch.from_numpy(batch.token_type_ids)}


def score(model, tokenizer, question: str, candidates: list[Candidate], chunk: int = 64) -> np.ndarray:
    import torch

    out = []
    with torch.inference_mode():
        for start in range(0, len(candidates), chunk):
            pairs = [(question, c) for c in candidates[start:start + chunk]]
            out.append(model(**tensors(tokenizer, pairs)).logits[:, 0].float().numpy())
    return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)


def validate(model, tokenizer, validation: Validation) -> dict:
    model.eval()
    answerable = [(score(model, tokenizer, q, c), pos) for q, c, pos in validation.answerable]
    unanswerable = [score(model, tokenizer, q, c) for q, c in validation.unanswerable]
    model.train()
    return curve_point(answerable, unanswerable)


def group_loss(model, tokenizer, groups: list[Group]):
    import torch
    import torch.nn.functional as functional

    pairs = [(g.question, c) for g in groups for c in g.candidates]
    logits = model(**tensors(tokenizer, pairs)).logits[:, 0]
    labels = torch.tensor([label for g in groups for label in g.labels], dtype=torch.float32)
    loss = functional.binary_cross_entropy_with_logits(logits, labels)
    listwise = []
    start = 0
    for g in groups:
        n = len(g.candidates)
        if 1.0 in g.labels:
            listwise.append(functional.cross_entropy(logits[start:start + n].unsqueeze(0),
                                                     torch.tensor([g.labels.index(1.0)])))
        start += n
    if listwise:
        loss = loss + torch.stack(listwise).mean()
    return loss


def save_model(model, model_dir: Path, out: Path) -> None:
    """The weights and the tokenizer files in ``out/model``."""
    model.save_pretrained(out / "model")
    for name in ("tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"):
        source = Path(model_dir) / name
        if source.exists():
            (out / "model" / name).write_bytes(source.read_bytes())


def checkpoint_path(out: Path) -> Path:
    return out / "checkpoint.pt"


def save(out: Path, model, optimizer, scheduler, step: int, curve: list[dict]) -> None:
    import torch

    staged = out / "checkpoint.pt.tmp"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(), "step": step, "curve": curve,
                "rng": random.getstate(), "torch_rng": torch.get_rng_state()}, staged)
    os.replace(staged, checkpoint_path(out))
    (out / "curve.json").write_text(json.dumps(curve, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(".cache/reader/run"))
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--groups", type=int, default=8, help="groups per step (4 candidates each)")
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--eval-every", type=int, default=80)
    parser.add_argument("--validation", type=int, default=80, help="held-out questions of each kind")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--held-out", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="train on this many groups only (smoke runs)")
    parser.add_argument("--cnndm-limit", type=int, default=None)
    parser.add_argument("--model", type=Path, default=None, help="base model directory (default: bundled MiniLM)")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--no-initial-eval", action="store_true", help="skip step 0 of the curve")
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(args.threads)
    started = time.monotonic()
    groups = training_groups(held_out=args.held_out, seed=args.seed, cnndm_limit=args.cnndm_limit)
    if args.limit is not None:
        groups = groups[: args.limit]
    validation = validation_set(held_out=args.held_out, limit=args.validation)
    sources: dict[str, int] = {}
    for g in groups:
        sources[g.source] = sources.get(g.source, 0) + 1
    print(f"data: {len(groups)} groups {sources}; validation {len(validation.answerable)} answerable, "
          f"{len(validation.unanswerable)} unanswerable; built in {time.monotonic() - started:.0f}s", flush=True)
    train(groups, validation, args.out, Settings(steps=args.steps, groups=args.groups, lr=args.lr,
                                                 warmup=args.warmup, eval_every=args.eval_every, seed=args.seed,
                                                 initial_eval=not args.no_initial_eval),
          model_dir=args.model, resume=args.resume)
    return 0


@dataclass(frozen=True)
class Settings:
    steps: int = 400
    groups: int = 8  # groups per step
    lr: float = 5e-5
    warmup: int = 30
    eval_every: int = 80
    seed: int = 13
    freeze_embeddings: bool = True  # the word embeddings stay the bundled model's (a third of the weights)
    initial_eval: bool = True  # validate the untrained model first (step 0 of the curve)


def train(groups: list[Group], validation: Validation, out: Path, settings: Settings, *,
          model_dir: Path | None = None, resume: bool = False) -> list[dict]:
    """Train on ``groups`` (checkpoints and the learning curve in ``out``); returns the curve. The model is saved
    in ``out/model`` with the tokenizer, ready for :mod:`.export`."""
    import torch

    args = settings
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    model_dir = model_dir or bundled_model_path()
    out.mkdir(parents=True, exist_ok=True)
    tokenizer = load_tokenizer(model_dir)
    model = build_model(model_dir)
    if args.freeze_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    trained = [parameter for parameter in model.parameters() if parameter.requires_grad]
    optimizer = torch.optim.AdamW(trained, lr=args.lr, weight_decay=0.01)
    total = args.steps

    def schedule(step: int) -> float:
        if step < args.warmup:
            return (step + 1) / args.warmup
        return max(0.05, 1 - (step - args.warmup) / max(1, total - args.warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    step = 0
    curve: list[dict] = []
    if resume and checkpoint_path(out).exists():
        state = torch.load(checkpoint_path(out), weights_only=False)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        step, curve = state["step"], state["curve"]
        random.setstate(state["rng"])
        torch.set_rng_state(state["torch_rng"])
        print(f"resumed at step {step}", flush=True)
    elif args.initial_eval:
        point = {"step": 0, **validate(model, tokenizer, validation), "seconds": 0.0}
        curve.append(point)
        print(json.dumps(point), flush=True)
    model.train()
    tick = time.monotonic()
    losses: list[float] = []
    while step < total:
        offset = (step * args.groups) % max(1, len(groups))
        batch = groups[offset: offset + args.groups] or groups[: args.groups]
        loss = group_loss(model, tokenizer, batch)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        step += 1
        losses.append(float(loss.detach()))
        if step % 25 == 0:
            print(f"step {step} loss {np.mean(losses[-25:]):.4f} {(time.monotonic() - tick) / len(losses):.2f}s/step",
                  flush=True)
        if step % args.eval_every == 0 or step == total:
            point = {"step": step, "epoch": round(step * args.groups / len(groups), 3),
                     **validate(model, tokenizer, validation), "loss": round(float(np.mean(losses[-100:])), 4),
                     "seconds": round(time.monotonic() - tick, 1)}
            curve.append(point)
            print(json.dumps(point), flush=True)
            save(out, model, optimizer, scheduler, step, curve)
            save_model(model, model_dir, out)
    save_model(model, model_dir, out)
    return curve

if __name__ == "__main__":
    sys.exit(main())
