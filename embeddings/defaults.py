"""Defaults the engine and the bot's settings share: the engine falls back on them, and the settings
(MAX_ARTICLES_PER_SCOPE, INDEX_MEMORY_MB, ARTICLE_MIN_WORDS, ARTICLE_MIN_SENTENCES) declare them as their
defaults. Apart from the modules that use them, importing nothing, so the command line reads its settings
before any engine code is imported (the model starts loading first)."""

DEFAULT_MAX_ARTICLES = 10  # articles searched together in one scope
DEFAULT_MEMORY_MB = 512  # indexes kept in memory (least recently used dropped; rebuilt from the cache)
MIN_WORDS = 50  # fewer words is not an article
MIN_SENTENCES = 3  # nor fewer sentences
