"""Development tools: the real local servers the tests and the benchmarks run the bot against.

Not part of the bot; nothing in ``bot/`` or ``embeddings/`` imports it. The tests and the benchmarks both import
it, and it imports nothing from ``tests/`` (``tests/test_devtools_boundary.py`` checks that).

- ``devtools.discord_fake``: a Discord-compatible REST + gateway server on 127.0.0.1 for a real, unmodified
  discord.py client (its own tests are in ``tests/devtools/discord_fake``).
- ``devtools.postgres_server``: a real PostgreSQL server, initdb'd in a temporary directory.
- ``devtools.local_http``: an aiohttp site on 127.0.0.1 serving pages (articles to fetch).
- ``devtools.article_bot``: a real ``ArticleBot`` set up for the fake Discord server.
- ``devtools.processes``: real ``article-bot`` processes against the fake Discord server.
"""
