"""The gettext catalogues: one folder per locale, ``locales/<code>/LC_MESSAGES/article_bot.po`` (the source a
translator edits, with Poedit, Weblate or Crowdin) compiled to ``article_bot.mo`` beside it (read here with the
standard library's :mod:`gettext`; ``make translations`` compiles them with Babel's ``pybabel compile``).

Messages are keyed by stable ids (``not_answered``, ``command.ask``), not by their English: code names what it
says, English wording can be improved without touching code or losing the other languages, and ``en`` is the
source locale (Weblate's "monolingual gettext" with ``en`` as the base file). Texts are Python format strings
with ``{name}`` fields. A message with plural forms (``msgid_plural``) is chosen by its ``count`` field with
each language's ``Plural-Forms`` rule.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).with_name("locales")
DOMAIN = "article_bot"
SOURCE = "en"  # the locale every message id is written in first, and the fallback of the others
_NOT_PLURAL = "\x00"  # a msgid_plural no message has: ngettext hands it back when the message has no plural


def mo_path(code: str) -> Path:
    return LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.mo"


def po_path(code: str) -> Path:
    return LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def locale_codes() -> tuple[str, ...]:
    """The locales with a compiled catalogue, sorted by code."""
    return tuple(sorted(path.name for path in LOCALES.iterdir() if mo_path(path.name).is_file()))


@cache
def translations(code: str) -> gettext.GNUTranslations:
    """``code``'s compiled catalogue (read once)."""
    with mo_path(code).open("rb") as file:
        return gettext.GNUTranslations(file)


def lookup(key: str, code: str, count: object = None) -> str | None:
    """Message ``key`` in locale ``code`` (its plural form for an int ``count`` where it has plurals), or None
    where the locale does not have it."""
    catalogue = translations(code)
    if isinstance(count, int) and not isinstance(count, bool):
        plural = catalogue.ngettext(key, _NOT_PLURAL, count)
        if plural not in (key, _NOT_PLURAL):
            return plural
    single = catalogue.gettext(key)
    return single if single != key else None


def message(key: str, code: str, count: object = None) -> str:
    """Message ``key`` in ``code``, else in English; KeyError for an id no catalogue has."""
    found = lookup(key, code, count) if code != SOURCE else None
    found = found if found is not None else lookup(key, SOURCE, count)
    if found is None:
        raise KeyError(key)
    return found
