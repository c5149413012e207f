"""Pages on the web: fetching an article by URL (http(s) only, capped, no internal hosts, conditional requests)
and when scheduled refreshes happen (durations, jitter, backoff; pure functions). The bottom of the bot's layers.

This face is what other layers, benchmarks and devtools may use (``__all__``); each name is imported from its
module on first use (PEP 562), so importing the face costs nothing and the fast path stays lean.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from embeddings.faces import lazy_face

if TYPE_CHECKING:
    from .feeds import FEED_USER_AGENT as FEED_USER_AGENT
    from .feeds import FeedEntry as FeedEntry
    from .feeds import FeedError as FeedError
    from .feeds import HostTurns as HostTurns
    from .feeds import ParsedFeed as ParsedFeed
    from .feeds import parse_feed as parse_feed
    from .fetch import BOT_VERSION as BOT_VERSION
    from .fetch import REFRESH_USER_AGENT as REFRESH_USER_AGENT
    from .fetch import FetchedPage as FetchedPage
    from .fetch import Validators as Validators
    from .fetch import fetch_article as fetch_article
    from .fetch import public_part as public_part
    from .refresh_timing import MAX_INTERVAL as MAX_INTERVAL
    from .refresh_timing import MIN_INTERVAL as MIN_INTERVAL
    from .refresh_timing import DurationError as DurationError
    from .refresh_timing import DurationRangeError as DurationRangeError
    from .refresh_timing import Rng as Rng
    from .refresh_timing import Timing as Timing
    from .refresh_timing import backoff_delay as backoff_delay
    from .refresh_timing import by_guild as by_guild
    from .refresh_timing import describe_interval as describe_interval
    from .refresh_timing import due as due
    from .refresh_timing import effective_interval as effective_interval
    from .refresh_timing import jittered as jittered
    from .refresh_timing import next_wake as next_wake
    from .refresh_timing import parse_duration as parse_duration
    from .refresh_timing import parse_every as parse_every
    from .refresh_timing import unplanned as unplanned

# name -> the module of this package that defines it
SOURCES: dict[str, str] = {
    "FEED_USER_AGENT": "feeds",
    "FeedEntry": "feeds",
    "FeedError": "feeds",
    "HostTurns": "feeds",
    "ParsedFeed": "feeds",
    "parse_feed": "feeds",
    "BOT_VERSION": "fetch",
    "DurationError": "refresh_timing",
    "DurationRangeError": "refresh_timing",
    "FetchedPage": "fetch",
    "MAX_INTERVAL": "refresh_timing",
    "MIN_INTERVAL": "refresh_timing",
    "REFRESH_USER_AGENT": "fetch",
    "Rng": "refresh_timing",
    "Timing": "refresh_timing",
    "Validators": "fetch",
    "backoff_delay": "refresh_timing",
    "by_guild": "refresh_timing",
    "describe_interval": "refresh_timing",
    "due": "refresh_timing",
    "effective_interval": "refresh_timing",
    "fetch_article": "fetch",
    "jittered": "refresh_timing",
    "next_wake": "refresh_timing",
    "parse_duration": "refresh_timing",
    "parse_every": "refresh_timing",
    "public_part": "fetch",
    "unplanned": "refresh_timing",
}

__all__ = [
    "BOT_VERSION",
    "FEED_USER_AGENT",
    "MAX_INTERVAL",
    "MIN_INTERVAL",
    "REFRESH_USER_AGENT",
    "DurationError",
    "DurationRangeError",
    "FeedEntry",
    "FeedError",
    "FetchedPage",
    "HostTurns",
    "ParsedFeed",
    "Rng",
    "Timing",
    "Validators",
    "backoff_delay",
    "by_guild",
    "describe_interval",
    "due",
    "effective_interval",
    "fetch_article",
    "jittered",
    "next_wake",
    "parse_duration",
    "parse_every",
    "parse_feed",
    "public_part",
    "unplanned",
]

__getattr__, __dir__ = lazy_face(__name__, SOURCES, globals())
