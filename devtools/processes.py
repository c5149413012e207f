"""Real ``article-bot`` processes against the fake Discord server: their environment, logs and children."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path

from devtools.discord_fake import FakeDiscord

ROOT = Path(__file__).resolve().parents[1]
# Settings of the developer's environment that would change what the processes under test do.
UNSET = ("ARTICLE_PATH", "GUILD_ID", "ASK_CHANNEL_IDS", "SHARD_COUNT", "SHARD_IDS", "ARTICLE_BOT_CLUSTER_SOCKET",
         "EMBEDDING_THREADS", "CLUSTER_IDENTIFY_INTERVAL", "DATABASE_URL")


def bot_env(server: FakeDiscord, *, cache: Path, data: Path, **extra: str) -> dict[str, str]:
    """The environment of a bot process on ``server``: every guild synced, every "articles" channel an ask
    channel, private URLs allowed (the fake serves the pages), no cooldowns."""
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update({
        "DISCORD_TOKEN": server.token, "DISCORD_API_BASE": server.api_base,
        "DISCORD_GATEWAY_URL": server.gateway_url, "GUILD_ID": ",".join(server.guilds),
        "ASK_CHANNEL_IDS": ",".join(g.channel_ids["articles"] for g in server.guilds.values()),
        "CACHE_DIR": str(cache), "DATA_DIR": str(data), "HF_HUB_OFFLINE": "1", "LOG_LEVEL": "INFO",
        "EMBEDDING_BACKEND": "onnx", "RELOAD_ALLOW_PRIVATE_URLS": "1", "USER_COOLDOWN": "off",
        "CHANNEL_COOLDOWN": "off", "METRICS_ADDR": "off", **extra,
    })
    return env


class BotProcess:
    """``python -m bot.cli ARGS`` with its output (stdout and stderr) in a log file."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.process: asyncio.subprocess.Process | None = None

    async def start(self, args: list[str], env: dict[str, str]) -> BotProcess:
        with self.log_path.open("ab") as log_file:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.cli", *args, cwd=ROOT, env=env, stdout=log_file, stderr=log_file,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    async def wait_for_output(self, pattern: str, *, count: int = 1, timeout: float = 120.0) -> str:
        """Until ``pattern`` (a regex) has appeared ``count`` times in the output; fails if the process ends."""
        async with asyncio.timeout(timeout):
            while len(re.findall(pattern, self.output(), re.MULTILINE)) < count:
                if self.process is not None and self.process.returncode is not None:
                    raise AssertionError(f"process exited {self.process.returncode} before {pattern!r}:\n"
                                         + self.output()[-4000:])
                await asyncio.sleep(0.1)
        return self.output()

    async def stop(self, signum: int = signal.SIGTERM, timeout: float = 60.0) -> int:
        """Send ``signum`` and wait for the exit status (SIGKILL after ``timeout``)."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signum)
        try:
            return await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise AssertionError(f"pid {self.pid} did not exit within {timeout}s of signal {signum}") from None

    async def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


def children_of(pid: int) -> dict[int, dict[str, str]]:
    """The live child processes of ``pid``, each with its environment (read from /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[1]) != pid or fields[0] == "Z":
                continue
            raw = (entry / "environ").read_bytes()
        except (OSError, ValueError):
            continue
        found[int(entry.name)] = dict(
            item.split("=", 1) for item in raw.decode(errors="replace").split("\0") if "=" in item)
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` is a running (not zombie) process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2:].split()[0] != "Z"
