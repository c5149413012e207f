"""When refreshes happen: reading durations, jitter, backoff, and which articles are due."""

from __future__ import annotations

import pytest

from bot.pages.refresh_timing import (
    MAX_BACKOFF,
    DurationError,
    Timing,
    backoff_delay,
    by_guild,
    describe_interval,
    due,
    effective_interval,
    jittered,
    next_wake,
    parse_duration,
    parse_every,
    unplanned,
)


@pytest.mark.parametrize(("text", "seconds"), [
    ("15m", 900), ("2h", 7200), ("1d", 86_400), ("1h30m", 5400), ("7d", 604_800), (" 1H 30M ", 5400),
])
def test_parse_every_reads_durations(text: str, seconds: int):
    """15m, 2h, 1d and combinations like 1h30m are read as seconds (case and spaces ignored)."""
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["off", "OFF", "none", "0"])
def test_parse_every_off(text: str):
    """off (and none, 0) switches the refresh off."""
    assert parse_every(text) is None


@pytest.mark.parametrize(("text", "message"), [
    ("14m", "out of range"), ("7d1s", "out of range"), ("soon", "not a duration"), ("2x", "not a duration"),
    ("", "not a duration"), ("h", "not a duration"),
])
def test_parse_every_refuses_with_a_clear_message(text: str, message: str):
    """Under 15 minutes, over 7 days, or not a duration: DurationError saying which."""
    with pytest.raises(DurationError, match=message):
        parse_every(text)


def test_parse_duration_accepts_short_and_fractional_seconds():
    """The CLI's intervals may be short: 0.5s and 2s are read as such."""
    assert parse_duration("0.5s") == 0.5 and parse_duration("1m2s") == 62


def test_describe_interval_round_trips():
    """An interval is described in the form it is written in."""
    for text in ("15m", "1h30m", "1d", "2d3h"):
        assert describe_interval(parse_duration(text)) == text


def test_effective_interval():
    """An article's own interval wins; 0 is off; unset follows the default (which may be off)."""
    assert effective_interval(7200, 3600) == 7200
    assert effective_interval(0, 3600) is None
    assert effective_interval(None, 3600) == 3600
    assert effective_interval(None, None) is None


def test_jitter_stretches_by_at_most_a_tenth():
    """rng 0 keeps the delay, rng just under 1 stretches it by just under 10 %."""
    assert jittered(1000, lambda: 0.0) == 1000
    assert jittered(1000, lambda: 0.5) == 1050
    assert 1099 < jittered(1000, lambda: 0.9999) < 1100


def test_backoff_doubles_per_failure_up_to_a_day():
    """Failures double the wait from the interval, capped at a day, or at the interval when it is longer."""
    assert [backoff_delay(3600, n) for n in (1, 2, 3, 4, 5, 6)] == [7200, 14400, 28800, 57600, MAX_BACKOFF,
                                                                  MAX_BACKOFF]
    assert backoff_delay(3 * 86_400, 1) == 3 * 86_400
    assert backoff_delay(900, 1000) == MAX_BACKOFF  # no overflow on a very long streak


def test_due_unplanned_and_next_wake():
    """Due: planned at or before now, earliest first; off articles are never due or planned."""
    timings = [
        Timing(1, 10, 3600, 500.0), Timing(2, 10, 3600, 100.0), Timing(3, 20, 3600, 900.0),
        Timing(4, 20, None, 50.0), Timing(5, 20, 3600, None),
    ]
    assert [t.article_id for t in due(timings, 500.0)] == [2, 1]
    assert [t.article_id for t in unplanned(timings)] == [5]
    assert next_wake(timings) == 100.0
    assert next_wake([Timing(4, 20, None, 50.0)]) is None
    assert {guild: [t.article_id for t in group] for guild, group in by_guild(timings).items()} == {
        10: [1, 2], 20: [3, 4, 5]}
