"""``python -m bot.cli``: the ``article-bot`` command."""

from .commands import run

run()
