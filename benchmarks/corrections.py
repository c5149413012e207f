"""Answer corrections under a cap: ``python -m benchmarks.corrections [--answers 200] [--cap 100] [--period 10]``.

The real ArticleBot against the local Discord-compatible server: one real answer citing the paragraph a
/reload will change, copied into ``answers`` posted answers (each its own message), then the /reload;
measured at the server: how long until every answer is edited, the edit rate, and the most edits seen
in any ``period`` seconds (the cap allows ``cap``; a test-sized cap and period stand in for the
per-minute setting). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from embeddings.models import Encoder

from .common import onnx_encoder, production, quiet_logs

QUESTION = "How many people were evacuated?"


def copy_answer(server, database_path: Path, original: dict, count: int) -> list[str]:
    """``count`` more posted answers like ``original`` (same citations, each its own message); their ids."""
    body, ids = {"embeds": server.messages[original["id"]]["embeds"]}, []
    with sqlite3.connect(database_path) as connection:
        for _ in range(count):
            message = server.bot_message(original["channel_id"], body)
            connection.execute(
                "INSERT INTO answers (message_id, user_id, guild_id, channel_id, question, answered, confidence, cited,"
                " asked_at, message_channel_id, thread_id, posted, served_by, place_channel_id) SELECT ?, user_id,"
                " guild_id, channel_id, question, answered, confidence, cited, asked_at, message_channel_id,"
                " thread_id, posted, served_by, place_channel_id FROM answers WHERE message_id = ?",
                (int(message["id"]), int(original["id"])))
            ids.append(message["id"])
    return ids


async def _measure(encoder: Encoder, workdir: Path, *, answers: int, cap: int, period: float) -> dict:
    from bot.gateway import RateCap
    from devtools.article_bot import make_bot
    from devtools.discord_fake import FakeDiscord, running_bot

    async with FakeDiscord(heartbeat_interval_ms=5000, validate_openapi=False) as server:
        bot, article = make_bot(server, encoder, workdir)
        async with running_bot(server, bot, ready_timeout=120, check_openapi=False):
            channel = server.channel_ids["articles"]
            question = await server.send_message(QUESTION, author="bob", channel_id=channel)
            reply = await server.wait_for_request(
                "POST", r"/channels/\d+/messages",
                lambda r: str((r.json or {}).get("message_reference", {}).get("message_id")) == question["id"],
                timeout=60)
            while await bot.database.answer_for_message(int(reply.response["id"])) is None:
                await asyncio.sleep(0.01)
            copy_answer(server, bot.database.path, reply.response, answers - 1)
            cog = bot.get_cog("Corrections")
            cog.queue.cap = RateCap(cap, period)  # type: ignore[attr-defined]
            article.write_text(article.read_text(encoding="utf-8").replace("More than 300", "More than 450"),
                               encoding="utf-8")
            started = time.monotonic()
            await server.send_interaction("reload", member="alice")
            while len(server.edits) < answers:
                await asyncio.sleep(0.05)
            await cog.queue.join()  # type: ignore[attr-defined]
            times = sorted(edit["time"] for edit in server.edits)
    elapsed = times[-1] - started
    return {
        "answers": answers, "cap": cap, "period_s": period, "edited": len(times),
        "reload_to_last_edit_s": round(elapsed, 2),
        "edits_per_minute_overall": round(len(times) / elapsed * 60, 1),
        "cap_per_minute": round(cap * 60 / period, 1),
        "most_edits_in_any_period_at_the_server": (most := max(
            (sum(1 for t in times if start <= t < start + period) for start in times), default=0)),
        "most_edits_in_any_period_over_cap": round(most / cap, 3),
    }


def run(encoder: Encoder, workdir: Path, *, answers: int = 200, cap: int = 100, period: float = 10.0) -> dict:
    """The figure for one correction of ``answers`` answers."""
    workdir.mkdir(parents=True, exist_ok=True)
    return asyncio.run(_measure(encoder, workdir, answers=answers, cap=cap, period=period))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corrections", description=__doc__)
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--cap", type=int, default=100, help="edits allowed per period")
    parser.add_argument("--period", type=float, default=10.0, help="seconds (the bot's setting uses 60)")
    parser.add_argument("--cache-dir", type=Path, default=Path(".cache/article-bot"))
    args = parser.parse_args(argv)
    quiet_logs()
    encoder = production(onnx_encoder(args.cache_dir))
    with tempfile.TemporaryDirectory() as work:
        figure = run(encoder, Path(work), answers=args.answers, cap=args.cap, period=args.period)
    print(json.dumps(figure, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
