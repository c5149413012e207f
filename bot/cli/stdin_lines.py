"""Lines of standard input for the CLI and the console: bounded in length, decoded one at a time.

An undecodable or over-long line is reported as an error for that line; the next line is read as usual.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import BinaryIO

from embeddings.errors import QuestionEncodingError, QuestionError, QuestionTooLongError

MAX_LINE_BYTES = 64 * 1024


def read_line(stream: BinaryIO, max_bytes: int = MAX_LINE_BYTES) -> str | QuestionError | None:
    """The next line (without its newline), its error, or None at end of input; reads ≤ max_bytes at a time."""
    raw = stream.readline(max_bytes + 1)
    if not raw:
        return None
    if len(raw) > max_bytes and not raw.endswith(b"\n"):
        while raw and not raw.endswith(b"\n"):  # skip the rest of the line, a bounded chunk at a time
            raw = stream.readline(max_bytes)
        return QuestionTooLongError(f"That line is longer than {max_bytes:,} bytes; it was skipped.")
    try:
        return raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as error:
        return QuestionEncodingError(f"That line is not valid UTF-8 (bad byte at position {error.start}).")


def stdin_lines(stream: BinaryIO | None = None) -> Iterator[str | QuestionError]:
    """Every line of ``stream`` (default: standard input's bytes; none when it is closed), or its error."""
    stream = stream if stream is not None else getattr(sys.stdin, "buffer", None)
    if stream is None:
        return
    while (line := read_line(stream)) is not None:
        yield line


def check_argument(text: str) -> str:
    """A command-line argument, refused when it held bytes that are not UTF-8 (Python keeps them as
    lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise QuestionEncodingError(
            f"The question is not valid UTF-8 (bad byte at position {error.start})."
        ) from None
    return text
