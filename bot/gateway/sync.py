"""Slash-command sync: to the configured guilds or globally, only when the command set changed."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import discord
from discord import app_commands

log = logging.getLogger(__name__)


async def commands_hash(tree: app_commands.CommandTree) -> str:
    """A stable hash of the command definitions as Discord receives them, translations included (a changed
    translation syncs again)."""
    translator = tree.translator
    payload = [command.to_dict(tree) if translator is None else await command.get_translated_payload(tree, translator)
               for command in tree.get_commands()]
    canonical = json.dumps(sorted(payload, key=lambda c: c["name"]), sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class SyncState:
    """Remembers the hash last synced per target (guild id or global) in a small JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.error: str | None = None  # why the last record could not be saved

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def synced(self, target: str) -> str | None:
        """The hash last synced to ``target``."""
        return self._read().get(target)

    def record(self, target: str, digest: str) -> bool:
        """Atomically record that ``digest`` was synced to ``target``; False (logged) when it cannot."""
        data = self._read()
        data[target] = digest
        temp: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1, sort_keys=True)
            os.replace(temp, self.path)
        except OSError as error:
            if temp is not None:
                Path(temp).unlink(missing_ok=True)
            self.error = error.strerror or str(error)
            log.error("cannot save the command-sync state to %s (%s): commands will be synced again at the next"
                      " start", self.path, error)
            return False
        self.error = None
        return True


@dataclass
class SyncReport:
    """Where slash commands were synced, and where Discord refused them (target -> reason)."""

    synced: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


async def sync_commands(
    tree: app_commands.CommandTree, guild_ids: tuple[int, ...], state: SyncState, *, force: bool = False
) -> SyncReport:
    """Sync where the command set changed (or everywhere with ``force``).

    A target Discord refuses (e.g. the bot is not in that guild, or was invited without the
    applications.commands scope) is logged and reported, and the others still sync: the bot runs on.
    """
    digest = await commands_hash(tree)
    report = SyncReport()
    targets: list[tuple[str, discord.Object | None]] = (
        [(str(gid), discord.Object(gid)) for gid in guild_ids] if guild_ids else [("global", None)]
    )
    for name, guild in targets:
        if not force and await asyncio.to_thread(state.synced, name) == digest:
            log.info("slash commands unchanged for %s; not syncing", name)
            continue
        if guild is not None:
            tree.copy_global_to(guild=guild)
        try:
            commands = await tree.sync(guild=guild)
        except discord.HTTPException as error:
            report.failed[name] = f"{error.status} {error.text}".strip()
            log.error(
                "Discord refused the slash commands for %s (%s): check GUILD_ID and that the bot was invited "
                "to that server with the applications.commands scope; it keeps running and retries at the "
                "next start", name, report.failed[name],
            )
            continue
        await asyncio.to_thread(state.record, name, digest)
        report.synced.append(name)
        log.info("synced %d slash commands to %s", len(commands), name)
    return report
