"""``python -m bot.cli``: the ``article-bot`` command."""

from .main import run

run()
