"""deploy/: the systemd unit passes ``systemd-analyze verify`` (where the tool exists) with the project's own
``article-bot`` in place of /opt/article-bot; the Prometheus example scrapes METRICS_ADDR's default."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bot.setting_values import DEFAULT_METRICS_ADDR

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "article-bot.service"
INSTALLED = "/opt/article-bot"


def verify(unit_text: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    unit = tmp_path / "article-bot.service"
    unit.write_text(unit_text.replace(INSTALLED, str(ROOT)))
    return subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)


@pytest.fixture
def systemd_analyze() -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here")
    if not (ROOT / ".venv" / "bin" / "article-bot").exists():
        pytest.skip("the project's .venv/bin/article-bot is not installed")


def test_the_unit_verifies(systemd_analyze, tmp_path: Path):
    """No error and no warning from ``systemd-analyze verify``; it runs `article-bot cluster`, drains on stop
    (SIGTERM, a stop timeout beyond SHUTDOWN_GRACE + 5 s) and restarts on failure."""
    text = UNIT.read_text()
    result = verify(text, tmp_path)
    assert result.returncode == 0 and "article-bot.service" not in result.stderr, result.stderr
    assert f"ExecStart={INSTALLED}/.venv/bin/article-bot cluster" in text
    assert "KillSignal=SIGTERM" in text and "TimeoutStopSec=40" in text and "Restart=on-failure" in text


def test_verify_catches_a_broken_unit(systemd_analyze, tmp_path: Path):
    """The check can fail: a unit whose command does not exist, or with a bad setting, is reported."""
    missing = verify(UNIT.read_text().replace(f"{INSTALLED}/.venv/bin/article-bot", "/nonexistent/article-bot"),
                     tmp_path)
    assert missing.returncode != 0
    bogus = verify(UNIT.read_text().replace("Type=exec", "Type=bogus"), tmp_path)
    assert "Failed to parse service type" in bogus.stderr


def test_the_prometheus_example_scrapes_the_default_address():
    text = (ROOT / "deploy" / "prometheus.yml").read_text()
    assert f'targets: ["{DEFAULT_METRICS_ADDR}"]' in text and "metrics_path: /metrics" in text
