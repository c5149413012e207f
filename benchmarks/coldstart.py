"""Cold start to first answer: a new ``article-bot ask`` process with warm caches, beside the floor.

The floor (``benchmarks/floor.py``) is the least any process can do to answer: import numpy,
onnxruntime and tokenizers, load the same exported model and encode the same question. Ours,
the floor and (optionally) the torch baseline run interleaved, so load changes hit all alike;
each run's wall time and peak RSS are its own (``os.wait4`` in a small launcher process).
"""

from __future__ import annotations

import compileall
import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

from embeddings.models import OnnxEncoder, export_directory

from .common import ROOT, median, ratio

log = logging.getLogger(__name__)

QUESTION = "Who commands the Azov Regiment?"
FLOOR_SCRIPT = ROOT / "benchmarks" / "floor.py"
# Packages the fast path must not import (tests/bot/test_fast_path_imports.py asserts it too).
HEAVY = ("torch", "scipy", "sklearn", "trafilatura", "bm25s")


class Run(NamedTuple):
    """One finished process: wall seconds, peak RSS (MB), stdout and stderr."""

    seconds: float
    peak_mb: float
    stdout: str
    stderr: str


# Runs argv[2:] and writes its wall time and peak RSS to the file argv[1]. A small interpreter forks
# and execs the command: Linux carries a process's peak RSS across fork and exec, so the command must
# not be started from the (large) benchmark process itself.
_MEASURE = """
import json, os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    json.dump({"seconds": elapsed, "peak_kb": usage.ru_maxrss, "status": os.waitstatus_to_exitcode(status)}, out)
"""


def measured_run(command: list[str], env: dict[str, str]) -> Run:
    """Run ``command`` to completion; its wall time and its own peak RSS (failure raises RuntimeError)."""
    with tempfile.TemporaryDirectory(prefix="article-bot-run-") as temp:
        report = Path(temp) / "run.json"
        result = subprocess.run([sys.executable, "-I", "-S", "-c", _MEASURE, str(report), *command],
                                capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
        measured = json.loads(report.read_text()) if report.exists() else {"status": result.returncode}
    if result.returncode != 0 or measured["status"] != 0:
        raise RuntimeError(f"{' '.join(command[:4])} ... failed: {result.stderr[-2000:]}")
    return Run(measured["seconds"], measured["peak_kb"] / 1024, result.stdout, result.stderr)


def cli_environment(cache_dir: Path, backend: str) -> dict[str, str]:
    """The environment of a CLI run: private cache, the seed article, no Discord token."""
    drop = {"DISCORD_TOKEN", "ARTICLE_PATH", "MODEL"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(CACHE_DIR=str(cache_dir), EMBEDDING_BACKEND=backend, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    return env


def ask_once(cache_dir: Path, backend: str, *, importtime: bool = False) -> tuple[Run, dict]:
    """Run ``python -m bot.cli ask QUESTION --json``; the run and its answer JSON."""
    flags = ["-X", "importtime"] if importtime else []
    run = measured_run([sys.executable, *flags, "-m", "bot.cli", "ask", QUESTION, "--json"],
                       cli_environment(cache_dir, backend))
    return run, json.loads(run.stdout)


def floor_once(export: Path) -> Run:
    """Run the floor script on the export in ``export`` with the same question."""
    return measured_run([sys.executable, str(FLOOR_SCRIPT), str(export), QUESTION], cli_environment(export, "onnx"))


def imported(stderr: str, package: str) -> bool:
    """True when ``python -X importtime`` output shows ``package`` (or a submodule) imported."""
    for line in stderr.splitlines():
        name = line.rsplit("|", 1)[-1].strip()
        if name == package or name.startswith(package + "."):
            return True
    return False


def compile_project() -> None:
    """Write the bytecode of our packages, as the floor's (installed) packages have theirs: an
    editable install compiles on first import, never when PYTHONDONTWRITEBYTECODE is set, and then
    every start would compile ~40 modules again (about 25 ms)."""
    for package in ("bot", "embeddings"):
        compileall.compile_dir(ROOT / package, quiet=1)


def run(cache_dir: Path, *, runs: int, baseline_runs: int) -> dict:
    """Median cold start and peak RSS of ours (onnx), the floor and the baseline (torch), interleaved."""
    export = export_directory(cache_dir, OnnxEncoder(None, cache_dir).identity)
    compile_project()
    ask_once(cache_dir, "onnx")  # warm-up: embeddings cached, export present
    floor_once(export)
    traced, answer = ask_once(cache_dir, "onnx", importtime=True)
    if baseline_runs:
        ask_once(cache_dir, "torch")  # warm-up (the embedding cache is shared: same model identity)
    ours: list[Run] = []
    floor: list[Run] = []
    baseline: list[Run] = []
    for turn in range(max(runs, baseline_runs)):
        if turn < runs:
            floor.append(floor_once(export))
            ours.append(ask_once(cache_dir, "onnx")[0])
        if turn < baseline_runs:
            baseline.append(ask_once(cache_dir, "torch")[0])
    ours_s, floor_s = median([r.seconds for r in ours]), median([r.seconds for r in floor])
    ours_mb, floor_mb = median([r.peak_mb for r in ours]), median([r.peak_mb for r in floor])
    figure = {
        "ours_s": round(ours_s, 3),
        "floor_s": round(floor_s, 3),
        "time_over_floor": round(ours_s / floor_s, 2),
        "ours_peak_rss_mb": round(ours_mb, 1),
        "floor_peak_rss_mb": round(floor_mb, 1),
        "rss_over_floor": round(ours_mb / floor_mb, 2),
        "floor": "benchmarks/floor.py: numpy + onnxruntime + tokenizers, same model.onnx, same question",
        "runs": runs,
        "torch_imported": imported(traced.stderr, "torch"),
        "heavy_imported": [name for name in HEAVY if imported(traced.stderr, name)],
        "answered": bool(answer["answered"]),
    }
    if baseline:
        baseline_s = median([r.seconds for r in baseline])
        figure |= {
            "baseline_s": round(baseline_s, 3),
            "baseline_peak_rss_mb": round(median([r.peak_mb for r in baseline]), 1),
            "baseline": "EMBEDDING_BACKEND=torch (plain sentence-transformers)",
            "speedup": ratio(baseline_s, ours_s),
        }
    return figure
