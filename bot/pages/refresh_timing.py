"""When scheduled refreshes happen: durations, jitter, backoff and what is due (pure functions).

Times are unix seconds (floats); intervals are whole seconds. ``rng`` is any ``() -> float in [0, 1)``
(``random.random`` in the bot, a constant in tests), so every result here is reproducible.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..terminal import shown

Rng = Callable[[], float]

MIN_INTERVAL = 15 * 60
MAX_INTERVAL = 7 * 86_400
MAX_BACKOFF = 86_400  # a failing page is retried at least once a day (or on its own, longer, schedule)
JITTER = 0.1  # each wait is stretched by up to 10 %, so articles loaded together spread out
OFF = ("off", "none", "never", "0")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")


class DurationError(ValueError):
    """A duration that cannot be read or is out of range; the message is fit for users."""


class DurationRangeError(DurationError):
    """A duration that reads well but is shorter or longer than accepted."""


def parse_duration(text: str) -> float:
    """``"15m"``, ``"2h"``, ``"1d"``, ``"1h30m"``, ``"0.5s"`` → seconds (``inf`` for a number too large for a
    float: callers check their range); DurationError when it is not a duration."""
    compact = text.strip().lower().replace(" ", "")
    if not compact or _PART.sub("", compact):
        raise DurationError(f"{shown(text.strip())} is not a duration: write it like 15m, 2h, 1d or 1h30m.")
    return sum(float(number) * UNITS[unit] for number, unit in _PART.findall(compact))


def parse_every(text: str) -> int | None:
    """A refresh interval: ``off`` → None, else whole seconds from 15 minutes to 7 days."""
    if text.strip().lower() in OFF:
        return None
    seconds = parse_duration(text)
    if not MIN_INTERVAL <= seconds <= MAX_INTERVAL:  # before int(): inf has no whole number of seconds
        raise DurationRangeError(f"{shown(text.strip())} is out of range: refresh every "
                                 f"{describe_interval(MIN_INTERVAL)} to {describe_interval(MAX_INTERVAL)}, or off.")
    return int(seconds)


def describe_interval(seconds: float) -> str:
    """3600 → ``1h``, 5400 → ``1h30m``, 86400 → ``1d`` (the form :func:`parse_duration` reads)."""
    remaining, parts = int(seconds), []
    for unit, size in (("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)):
        if remaining >= size:
            parts.append(f"{remaining // size}{unit}")
            remaining %= size
    return "".join(parts) or "0s"


def effective_interval(own: int | None, default: int | None) -> int | None:
    """An article's interval: its own (``0``: off), else the default (None: follow the default)."""
    if own is None:
        return default
    return own or None


def jittered(delay: float, rng: Rng) -> float:
    """``delay`` stretched by up to :data:`JITTER` of itself."""
    return delay * (1.0 + JITTER * rng())


def backoff_delay(interval: int, failures: int) -> float:
    """The wait after ``failures`` failures in a row (≥ 1): the interval doubled per failure, capped at
    a day (or at the interval itself when that is longer)."""
    return float(min(interval * 2 ** min(failures, 30), max(interval, MAX_BACKOFF)))


@dataclass(frozen=True, slots=True)
class Timing:
    """One URL article's schedule as stored: its interval (None: off) and when it is next checked."""

    article_id: int
    guild_id: int
    interval: int | None
    next_check_at: float | None  # None: not planned yet


def unplanned(timings: Iterable[Timing]) -> list[Timing]:
    """Articles that should be checked but have no next check yet (new, or just switched on)."""
    return [t for t in timings if t.interval is not None and t.next_check_at is None]


def due(timings: Iterable[Timing], now: float) -> list[Timing]:
    """Articles whose next check is at or before ``now``, earliest first."""
    ready = [t for t in timings if t.interval is not None and t.next_check_at is not None and t.next_check_at <= now]
    return sorted(ready, key=lambda t: (t.next_check_at, t.article_id))


def next_wake(timings: Iterable[Timing]) -> float | None:
    """The earliest planned check (None: nothing is scheduled)."""
    planned = [t.next_check_at for t in timings if t.interval is not None and t.next_check_at is not None]
    return min(planned, default=None)


def by_guild(timings: Iterable[Timing]) -> dict[int, list[Timing]]:
    """Timings grouped per guild, each group in the given order (one article at a time per guild)."""
    groups: dict[int, list[Timing]] = {}
    for timing in timings:
        groups.setdefault(timing.guild_id, []).append(timing)
    return groups
