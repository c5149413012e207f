"""The lock (constraints.txt): generated pins that cover the project's requirements and are what is installed."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;#]+)$")


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = PIN.match(line.strip())
        assert match, f"not an exact pin: {line!r}"
        pins[canonicalize_name(match["name"])] = match["version"]
    return pins


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project.get("optional-dependencies", {})
    return [Requirement(text) for text in [*project["dependencies"], *extras.get("dev", [])]]


def test_lock_pins_every_requirement_within_its_range():
    """Each runtime and dev requirement of pyproject.toml is pinned, to a version its range allows."""
    pins = _lock()
    for requirement in _requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in constraints.txt: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"constraints.txt pins {requirement.name}=={pins[name]}, outside {requirement.specifier}: run `make lock`"
        )


def test_installed_versions_are_the_locked_ones():
    """Every installed distribution the lock names has the locked version (installs go through the lock)."""
    pins = _lock()
    drift = {}
    for dist in metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        if name in pins and dist.version != pins[name]:
            drift[name] = (dist.version, pins[name])
    assert not drift, f"installed != locked (run `make .venv/.installed-dev`): {drift}"
    assert {canonicalize_name(r.name) for r in _requirements()} <= {
        canonicalize_name(d.metadata["Name"]) for d in metadata.distributions()
    }
