"""Where a question is asked and which scopes' libraries may answer there, most specific first."""

from __future__ import annotations

from dataclasses import dataclass

from ..storage import Scope


@dataclass(frozen=True, slots=True)
class Place:
    """Where a question was asked: its guild (None in DMs) and channel (a thread's parent channel)."""

    guild_id: int | None = None
    channel_id: int | None = None

    def scopes(self) -> tuple[Scope, ...]:
        """The scopes that may hold its library, most specific first."""
        if self.guild_id is None:
            return ()
        guild = Scope(self.guild_id)
        return (Scope(self.guild_id, self.channel_id), guild) if self.channel_id is not None else (guild,)


def place_of_scope(scope: Scope | None) -> Place:
    """The place whose answers a scope's library serves (None: the default article, as in DMs)."""
    return Place() if scope is None else Place(scope.guild_id, scope.channel_id)
