"""The ``watch`` subcommand's arguments, apart from :mod:`bot.cli.watch` (which imports the article parser), so
building the command line's parser imports nothing the other commands do not need."""

from __future__ import annotations

import argparse

from ..pages import MAX_INTERVAL, DurationError, describe_interval, parse_duration
from ..terminal import shown
from .arguments import whole_number

MAX_COUNT = 1_000_000_000  # checks: more than a lifetime at --every 1s


def _every(value: str) -> float:
    try:
        seconds = parse_duration(value)
    except DurationError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if not 0 < seconds <= MAX_INTERVAL:  # inf too (a number too large for a float)
        raise argparse.ArgumentTypeError(
            f"{shown(value)} is out of range: check every more than 0s and at most {describe_interval(MAX_INTERVAL)}."
        )
    return seconds


def add_watch_parser(commands: argparse._SubParsersAction) -> None:
    """The ``watch`` subcommand."""
    watch = commands.add_parser("watch", help="fetch a page on a schedule and print the diff of each change")
    watch.add_argument("url", help="the http(s) page to watch")
    watch.add_argument("--every", type=_every, default=600.0,
                       help="time between checks: 30s, 10m, 1h30m, up to 7d (default 10m)")
    watch.add_argument("--count", type=whole_number(1, MAX_COUNT, "checks"),
                       help="stop after this many checks (default: until Ctrl-C)")
