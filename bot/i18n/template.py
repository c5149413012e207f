"""``python -m bot.i18n.template``: writes the translators' template ``locales/article_bot.pot`` from the source
locale (``en``): every message id with an empty translation and its English as the translator's note (``#.``),
which Poedit and Weblate show beside the id. ``make translations-update`` then merges it into every locale
(``pybabel update``) and ``make translations`` compiles them (``pybabel compile``). Development only: it needs
Babel, which the bot itself does not import.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from .catalogue import DOMAIN, LOCALES, SOURCE, po_path

TEMPLATE = LOCALES / f"{DOMAIN}.pot"


def template(source: Catalog) -> Catalog:
    """The template of ``source``: its ids (and plural ids), no translations, the English as a note."""
    pot = Catalog(domain=DOMAIN, project=source.project, version=source.version,
                  copyright_holder="article-bot contributors", creation_date=source.creation_date,
                  revision_date=source.revision_date, fuzzy=False)
    for entry in source:
        if not entry.id:
            continue
        english = entry.string if isinstance(entry.string, str) else " | ".join(entry.string or ())
        empty = "" if isinstance(entry.id, str) else ("",) * len(entry.id)
        pot.add(entry.id, empty, auto_comments=[english], flags=entry.flags)
    return pot


def main(out: Path = TEMPLATE) -> None:
    with po_path(SOURCE).open("rb") as file:
        source = read_po(file, locale=SOURCE, domain=DOMAIN)
    with out.open("wb") as file:
        write_po(file, template(source), width=120, sort_output=False)
    sys.stdout.write(f"{out}: {len(source)} messages\n")


if __name__ == "__main__":
    main()
