"""Sliding-window cooldowns with an injected clock."""

from __future__ import annotations

from bot.gateway.cooldowns import Cooldowns


class Clock:
    """A hand-driven monotonic clock."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_user_limit_then_recovery():
    """The third question in 60 s waits until the first one ages out."""
    clock = Clock()
    cooldowns = Cooldowns((2, 60.0), None, clock=clock)
    assert cooldowns.check(1, 10) == 0 and cooldowns.check(1, 10) == 0
    clock.now = 15.0
    assert cooldowns.check(1, 10) == 45.0
    clock.now = 60.0
    assert cooldowns.check(1, 10) == 0


def test_channel_limit_applies_across_users():
    """The channel window counts every user's questions."""
    cooldowns = Cooldowns(None, (2, 30.0), clock=Clock())
    assert cooldowns.check(1, 7) == 0 and cooldowns.check(2, 7) == 0
    assert cooldowns.check(3, 7) == 30.0
    assert cooldowns.check(3, 8) == 0


def test_refused_questions_do_not_count():
    """A refused question does not extend the wait."""
    clock = Clock()
    cooldowns = Cooldowns((1, 10.0), None, clock=clock)
    cooldowns.check(1, 1)
    for _ in range(5):
        cooldowns.check(1, 1)
    clock.now = 10.0
    assert cooldowns.check(1, 1) == 0


def test_disabled_limits_never_refuse():
    """No limits: always allowed."""
    cooldowns = Cooldowns(None, None)
    assert all(cooldowns.check(1, 1) == 0 for _ in range(100))
