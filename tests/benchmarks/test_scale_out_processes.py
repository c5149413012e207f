"""The scale-out benchmark on a tiny load: real cluster processes, both process counts measured, target checked."""

from __future__ import annotations

import pytest

from benchmarks.common import TINY
from benchmarks.runner import run_all


def test_scale_out_processes_measures_one_and_two_processes(onnx_encoder):
    """Replies/s with 1 and 2 bot processes under the same closed-loop load, their ratio, the CPU the bots
    used, and the 1.6x target checked against that ratio."""
    report = run_all(TINY, onnx_encoder.cache_dir, ("scale_out_processes",), ours=onnx_encoder,
                     with_baseline=False)
    figure = report["scale_out_processes"]
    for processes in (1, 2):
        run = figure[f"processes_{processes}"]
        assert run["answers"] > 0 and run["qps"] > 0 and run["p99_ms"] >= run["p50_ms"] > 0
        assert run["bot_cpu_cores"] > 0
    assert figure["speedup"] == pytest.approx(figure["processes_2"]["qps"] / figure["processes_1"]["qps"], abs=0.01)
    target = report["targets"]["2 processes >= 1.6x the questions/s of 1"]
    assert target["value"] == figure["speedup"] and target["met"] == (figure["speedup"] >= 1.6)
