"""The gateway: the discord.py client (:class:`ArticleBot`, sharded or not), slash-command sync, sharding and the
multi-process cluster, the runner that starts the bot, moderator permissions, cooldowns, the
rate-capped edit queue, Discord endpoints, logging, the Discord places that become the door's ``Place``, and the
:class:`Services` protocol the cogs type against (engine, records, settings). The bot itself is put together by
the composition root (``bot.compose``).
Cogs (``bot.exts``) are loaded by module path strings, never imported from here; cogs may use this face (the bot
type, ``moderator_only``, places, the edit queue), never its modules.

This face is what other layers, benchmarks and devtools may use (``__all__``); each name is imported from its
module on first use (PEP 562), so importing the face costs nothing and the fast path stays lean.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from embeddings.faces import lazy_face

if TYPE_CHECKING:
    from .app import ArticleBot as ArticleBot
    from .app import ShardedArticleBot as ShardedArticleBot
    from .cluster import run_cluster as run_cluster
    from .discord_endpoints import configure_endpoints as configure_endpoints
    from .edit_queue import EditQueue as EditQueue
    from .edit_queue import RateCap as RateCap
    from .logs import configure_logging as configure_logging
    from .permissions import guild_moderator_role as guild_moderator_role
    from .permissions import is_moderator as is_moderator
    from .permissions import manage_server_only as manage_server_only
    from .permissions import moderator_only as moderator_only
    from .places import article_choices as article_choices
    from .places import interaction_place as interaction_place
    from .places import load_scope as load_scope
    from .places import place_of as place_of
    from .runner import run_bot as run_bot
    from .services import Services as Services
    from .sharding import describe_shards as describe_shards
    from .sync import SyncState as SyncState

# name -> the module of this package that defines it
SOURCES: dict[str, str] = {
    "ArticleBot": "app",
    "EditQueue": "edit_queue",
    "RateCap": "edit_queue",
    "Services": "services",
    "ShardedArticleBot": "app",
    "SyncState": "sync",
    "article_choices": "places",
    "configure_endpoints": "discord_endpoints",
    "configure_logging": "logs",
    "describe_shards": "sharding",
    "guild_moderator_role": "permissions",
    "interaction_place": "places",
    "is_moderator": "permissions",
    "load_scope": "places",
    "manage_server_only": "permissions",
    "moderator_only": "permissions",
    "place_of": "places",
    "run_bot": "runner",
    "run_cluster": "cluster",
}

__all__ = [
    "ArticleBot",
    "EditQueue",
    "RateCap",
    "Services",
    "ShardedArticleBot",
    "SyncState",
    "article_choices",
    "configure_endpoints",
    "configure_logging",
    "describe_shards",
    "guild_moderator_role",
    "interaction_place",
    "is_moderator",
    "load_scope",
    "manage_server_only",
    "moderator_only",
    "place_of",
    "run_bot",
    "run_cluster",
]

__getattr__, __dir__ = lazy_face(__name__, SOURCES, globals())
