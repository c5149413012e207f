"""The Discord bot: a thin discord.py layer over the injected engine."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from embeddings.errors import ArticleBotError

from .config import Settings
from .engine_async import AsyncEngine
from .permissions import NotModerator
from .render import ALLOWED_MENTIONS, plain
from .sync import SyncState, sync_commands

log = logging.getLogger(__name__)

EXTENSIONS = ("bot.exts.asking", "bot.exts.summary", "bot.exts.admin")


class ArticleBot(commands.Bot):
    """Answers questions about the article; dependencies come in through the constructor."""

    def __init__(
        self,
        *,
        settings: Settings,
        engine: AsyncEngine,
        sync_state: SyncState,
        force_sync: bool = False,
        guild_ready_timeout: float = 2.0,
    ) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=ALLOWED_MENTIONS,
            help_command=None,
            guild_ready_timeout=guild_ready_timeout,
        )
        self.settings = settings
        self.engine = engine
        self.sync_state = sync_state
        self.force_sync = force_sync
        self.tree.on_error = self.on_app_command_error

    async def setup_hook(self) -> None:
        """Load the article, the extensions, then sync slash commands if they changed."""
        report = await self.engine.start()
        if report is not None:
            log.info("serving %s", report.describe())
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await sync_commands(self.tree, self.settings.guild_ids, self.sync_state, force=self.force_sync)

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: questions are handled by the Asking cog's listener."""

    async def on_ready(self) -> None:
        """Log who we are once connected."""
        log.info("connected as %s (%s) to %d guild(s)", self.user, getattr(self.user, "id", "?"),
                 len(self.guilds))

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """One handler: a short ephemeral message for the user, the traceback for the logs."""
        original = getattr(error, "original", error)
        if isinstance(error, NotModerator):
            message = str(error)
        elif isinstance(error, app_commands.CheckFailure):
            message = "You can't use this command here."
        elif isinstance(original, ArticleBotError):
            message = str(original)
        else:
            log.error("error in /%s", getattr(interaction.command, "name", "?"), exc_info=error)
            message = "Sorry, something went wrong answering that. It has been logged."
        if isinstance(error, app_commands.CheckFailure):
            log.info("refused /%s for %s: %s", getattr(interaction.command, "name", "?"),
                     interaction.user.id, message)
        try:
            if interaction.response.is_done():
                await interaction.followup.send(plain(message), ephemeral=True,
                                                allowed_mentions=ALLOWED_MENTIONS)
            else:
                await interaction.response.send_message(plain(message), ephemeral=True,
                                                        allowed_mentions=ALLOWED_MENTIONS)
        except discord.HTTPException:
            log.exception("could not report an error to the user")

    async def close(self) -> None:
        """Close the connection, then the engine's threads."""
        await super().close()
        self.engine.close()
