"""The ``watch`` subcommand's arguments, apart from :mod:`bot.watch` (which imports the article parser), so
building the command line's parser imports nothing the other commands do not need."""

from __future__ import annotations

import argparse

from .refresh_timing import DurationError, parse_duration


def _every(value: str) -> float:
    try:
        seconds = parse_duration(value)
    except DurationError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if seconds <= 0:
        raise argparse.ArgumentTypeError("must be longer than 0s")
    return seconds


def _count(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def add_watch_parser(commands: argparse._SubParsersAction) -> None:
    """The ``watch`` subcommand."""
    watch = commands.add_parser("watch", help="fetch a page on a schedule and print the diff of each change")
    watch.add_argument("url", help="the http(s) page to watch")
    watch.add_argument("--every", type=_every, default=600.0, help="time between checks: 30s, 10m, 1h30m (default 10m)")
    watch.add_argument("--count", type=_count, help="stop after this many checks (default: until Ctrl-C)")
