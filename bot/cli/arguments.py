"""Command-line option types shared by the subcommands: whole numbers within a range, and a parser whose
errors are one line (``article-bot: argument --every: …; see article-bot watch --help``), like every
other error of the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import NoReturn

from ..terminal import shown, terminal_text


def whole_number(low: int, high: int, what: str) -> Callable[[str], int]:
    """An argparse ``type``: a whole number from ``low`` to ``high`` ``what`` (``"checks"``), or an error that
    names the value and the range."""

    def parse(value: str) -> int:
        try:
            number = int(value.strip())
        except ValueError:  # also a number of more digits than int() reads
            raise argparse.ArgumentTypeError(f"{shown(value)} is not a whole number of {what}.") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{shown(value)} is out of range: from {low} to {high:,} {what}.")
        return number

    parse.__name__ = what  # argparse names the type in some of its own messages
    return parse


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line on stderr with exit status 2 (no usage block)."""

    def error(self, message: str) -> NoReturn:
        print(terminal_text(f"article-bot: {message.rstrip('.')}; see {self.prog} --help"), file=sys.stderr)
        sys.exit(2)
