"""The scheduled-refresh fixtures (a page that changes, a clock the test moves), for corrections after a refresh."""

from tests.bot.exts.refresh.conftest import page, start_refreshing

__all__ = ["page", "start_refreshing"]
