"""Point discord.py at a Discord-compatible server (REST base and gateway URL)."""

from __future__ import annotations

import logging

import discord.gateway
import discord.http
import yarl

log = logging.getLogger(__name__)


def configure_endpoints(api_base: str | None, gateway_url: str | None) -> None:
    """Set the REST base (e.g. ``http://host/api/v10``) and gateway URL; None keeps the current one."""
    # Call before bot.start(), and after discord.http._set_api_version(), which resets Route.BASE.
    if api_base is not None:
        discord.http.Route.BASE = api_base.rstrip("/")
        log.info("discord REST base set to %s", discord.http.Route.BASE)
    if gateway_url is not None:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
        log.info("discord gateway set to %s", gateway_url)
