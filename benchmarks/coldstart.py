"""Cold start to first answer: a new ``article-bot ask`` process with warm caches, per backend."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from .common import ROOT, median, ratio

log = logging.getLogger(__name__)

QUESTION = "Who commands the Azov Regiment?"


def cli_environment(cache_dir: Path, backend: str) -> dict[str, str]:
    """The environment of a CLI run: private cache, the seed article, no Discord token."""
    drop = {"DISCORD_TOKEN", "ARTICLE_PATH", "MODEL"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(CACHE_DIR=str(cache_dir), EMBEDDING_BACKEND=backend, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    return env


def ask_once(cache_dir: Path, backend: str, *, importtime: bool = False) -> tuple[float, dict, str]:
    """Run ``python -m bot.cli ask QUESTION --json``; returns (wall seconds, answer JSON, stderr)."""
    flags = ["-X", "importtime"] if importtime else []
    command = [sys.executable, *flags, "-m", "bot.cli", "ask", QUESTION, "--json"]
    started = time.perf_counter()
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=ROOT, env=cli_environment(cache_dir, backend), timeout=600,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"article-bot ask failed ({backend}): {result.stderr[-2000:]}")
    return elapsed, json.loads(result.stdout), result.stderr


def imported(stderr: str, package: str) -> bool:
    """True when ``python -X importtime`` output shows ``package`` (or a submodule) imported."""
    for line in stderr.splitlines():
        name = line.rsplit("|", 1)[-1].strip()
        if name == package or name.startswith(package + "."):
            return True
    return False


def run(cache_dir: Path, *, runs: int, baseline_runs: int) -> dict:
    """Median cold start of ours (onnx) and of the baseline (torch), interleaved, after warm-ups."""
    ask_once(cache_dir, "onnx")  # warm-up: embeddings cached, export present
    _, answer, stderr = ask_once(cache_dir, "onnx", importtime=True)
    if baseline_runs:
        ask_once(cache_dir, "torch")  # warm-up (the embedding cache is shared: same model identity)
    ours, baseline = [], []
    for turn in range(max(runs, baseline_runs)):  # interleaved, so load changes hit both alike
        if turn < runs:
            ours.append(ask_once(cache_dir, "onnx")[0])
        if turn < baseline_runs:
            baseline.append(ask_once(cache_dir, "torch")[0])
    figure = {
        "ours_s": round(median(ours), 3),
        "runs": runs,
        "torch_imported": imported(stderr, "torch"),
        "answered": bool(answer["answered"]),
    }
    if baseline:
        figure |= {
            "baseline_s": round(median(baseline), 3),
            "baseline": "EMBEDDING_BACKEND=torch (plain sentence-transformers)",
            "speedup": ratio(median(baseline), median(ours)),
        }
    return figure
