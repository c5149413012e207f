"""Two real `article-bot start` processes, shards 0 and 1 of 2, sharing one store (end to end)."""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools.discord_fake import FakeDiscord
from devtools.discord_fake.payloads import dm_channel
from devtools.processes import BotProcess, bot_env
from tests.bot.conftest import MESSAGES, Discord
from tests.bot.test_tenancy import sub
from tests.conftest import copy_export
from tests.texts import HARBOUR

AZOV = "Who commands the Azov Regiment?"
HARBOUR_MASTER = "Who is the harbour master?"
MANAGE_GUILD = 1 << 5


def _guild_on(server: FakeDiscord, shard: int):
    """A guild on ``shard`` of 2 where alice manages the server and bob is a member."""
    guild = server.add_guild(f"Shard {shard} Guild", shard=(shard, 2))
    managers = server._add_role("managers", MANAGE_GUILD, guild_id=guild.id)
    server.add_member(server.users["alice"]["id"], roles=[managers], guild_id=guild.id)
    server.add_member(server.users["bob"]["id"], roles=["member"], guild_id=guild.id)
    return guild


async def _ask(server: FakeDiscord, question: str, channel_id: str) -> str:
    """Ask as bob in ``channel_id``; the description of the answer's embed."""
    message = await server.send_message(question, author="bob", channel_id=channel_id)
    request = await server.wait_for_request(
        "POST", MESSAGES, lambda r: r.status == 200
        and str((r.json or {}).get("message_reference", {}).get("message_id")) == message["id"], timeout=180)
    return request.json["embeds"][0]["description"]


def _answered_line(shard: int, channel_id: str) -> str:
    return rf"\[shard {shard}\] bot\.exts\.asking\.cog: answered in channel {channel_id} "


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
async def test_two_shard_processes_share_articles_and_history(store: str, request, onnx_encoder, tmp_path: Path):
    """Processes on shards 0 and 1 of 2 sharing one store (one SQLite DATA_DIR, or one PostgreSQL
    DATABASE_URL with a DATA_DIR each): each answers only its guilds and DMs go to shard 0;
    a guild on shard 1 adds an article by URL; its process is killed and restarted with an empty CACHE_DIR,
    and still answers from that article without fetching the URL again; /insights in either guild reads
    the shared history (questions asked before the restart included)."""
    for cache in ("cache0", "cache1"):
        copy_export(onnx_encoder, tmp_path / cache)
    async with FakeDiscord(heartbeat_interval_ms=1000) as server:
        guilds = [_guild_on(server, 0), _guild_on(server, 1)]
        channels = [g.channel_ids["articles"] for g in guilds]
        url = server.add_page("/news/harbour.md", HARBOUR, "text/markdown; charset=utf-8")
        dm = dm_channel(server.ids.next(), server.users["bob"])
        server.channels[dm["id"]] = dm

        database = {"DATABASE_URL": request.getfixturevalue("postgres_url")} if store == "postgresql" else {}

        def start(shard: int, cache: str, run: int = 1, **extra: str):
            data = tmp_path / (f"data-{shard}-{run}" if database else "data")  # PostgreSQL: nothing shared here
            env = bot_env(server, cache=tmp_path / cache, data=data, SHARD_COUNT="2", SHARD_IDS=str(shard),
                          **database, **extra)
            return BotProcess(tmp_path / f"shard{shard}-run{run}.log").start(["start"], env)

        processes = [await start(0, "cache0"), await start(1, "cache1")]
        discord = Discord(server, None, tmp_path)  # type: ignore[arg-type]  # its helpers need only the server
        try:
            for process in processes:
                await process.wait_for_output("connected as")
            for shard, process in enumerate(processes):
                assert "Prokopenko" in await _ask(server, AZOV, channels[shard])
                assert server.gateway.deliveries[-1] == ("MESSAGE_CREATE", shard)
                await process.wait_for_output(_answered_line(shard, channels[shard]))
            assert "More than 300" in await _ask(server, "How many people were evacuated?", dm["id"])
            await processes[0].wait_for_output(_answered_line(0, dm["id"]))
            for shard, process in enumerate(processes):  # nobody answered another process's guild or the DM
                assert channels[1 - shard] not in process.output()
            assert dm["id"] not in processes[1].output()

            _, followup = await discord.command("article", sub("add", {"name": "url", "type": 3, "value": url}),
                                                channel=channels[1])
            assert followup is not None and "Harbour news" in followup.json["content"]
            assert "Ingrid Olsen" in await _ask(server, HARBOUR_MASTER, channels[1])
            await processes[1].wait_for_output(_answered_line(1, channels[1]), count=2)  # stored after sending

            await processes[1].kill()
            processes[1] = await start(1, "empty-cache", run=2, EMBEDDING_BACKEND="torch")
            await processes[1].wait_for_output("connected as")
            assert "Ingrid Olsen" in await _ask(server, HARBOUR_MASTER, channels[1])
            assert len(server.find_requests("GET", "/news/harbour.md", lambda r: not r.api)) == 1
            await processes[1].wait_for_output(_answered_line(1, channels[1]))

            reports = []
            for channel in channels:
                _, followup = await discord.command("insights", [{"name": "window", "type": 3, "value": "all"}],
                                                    channel=channel)
                assert followup is not None
                reports.append(followup.json["embeds"][0]["description"])
            assert "**1 question(s)**" in reports[0] and "Azov" in reports[0]
            assert "**3 question(s)**" in reports[1] and f"{HARBOUR_MASTER} ×2" in reports[1], reports[1]
        finally:
            for process in processes:
                await process.kill()
