"""A smoke run of the reader's training code: a handful of pairs, two steps, a resumed third, an export that the
run-time loader verifies and scores with (seconds; skipped where torch is not installed)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from devtools.reader_training.data import Group, Validation
from devtools.reader_training.metrics import auroc, curve_point, declined_at
from embeddings.models import Candidate, Reader

pytest.importorskip("torch")
pytest.importorskip("transformers")

MOSCOW = Candidate("Moscow declared victory over the area on Monday.", "", "Fighting went on in the east.")
RAIN = Candidate("It rained all day in the capital.", "The match was delayed.", "")


def groups() -> list[Group]:
    return [
        Group("What did Moscow claim about the area?", [MOSCOW, RAIN], [1.0, 0.0], "squad"),
        Group("was it sunny", [RAIN, MOSCOW], [0.0, 0.0], "unanswerable"),
        Group("moscow claim?", [RAIN, MOSCOW], [0.0, 1.0], "short"),
        Group("How many tanks does Germany have?", [MOSCOW, RAIN], [0.0, 0.0], "unanswerable"),
    ]


def validation() -> Validation:
    return Validation([("What did Moscow say?", [RAIN, MOSCOW], [1])], [("Who won the cup?", [RAIN, MOSCOW])])


def test_a_smoke_run_trains_resumes_and_exports_a_reader_that_loads(tmp_path: Path):
    from devtools.reader_training.export import export
    from devtools.reader_training.train import Settings, train

    out = tmp_path / "run"
    curve = train(groups(), validation(), out, Settings(steps=2, groups=2, warmup=1, eval_every=2))
    assert [point["step"] for point in curve] == [0, 2]
    assert set(curve[-1]) >= {"r_at_1", "auroc", "declined_at_5fa", "loss"}
    resumed = train(groups(), validation(), out, Settings(steps=3, groups=2, warmup=1, eval_every=2), resume=True)
    assert [point["step"] for point in resumed] == [0, 2, 3]
    assert json.loads((out / "curve.json").read_text())[-1]["step"] == 3

    manifest = export(out / "model", tmp_path / "onnx")
    reader = Reader(tmp_path / "onnx")
    scores = reader.score("What did Moscow claim about the area?", [MOSCOW, RAIN])
    assert scores.shape == (2,) and np.all(np.isfinite(scores))
    assert reader.manifest["sha256"] == manifest["sha256"]


def test_the_curve_figures():
    assert auroc([3.0, 2.0], [1.0, 0.0]) == 1.0
    assert auroc([1.0], [1.0]) == 0.5
    assert declined_at(list(range(100)), [-1.0, 50.0]) == 0.5  # below the answerable's 5th percentile
    point = curve_point([(np.array([0.1, 0.9]), [1]), (np.array([0.8, 0.2]), [1])], [np.array([0.0, 0.3])])
    assert point["r_at_1"] == 0.5 and point["auroc"] == 1.0
