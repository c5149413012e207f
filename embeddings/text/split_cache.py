"""Sentence splits kept on disk, so an article already seen is not split again.

Splitting prose needs pysbd: importing it compiles ~300 regular expressions (about 20 ms) and
segmenting the bundled article takes ~25 ms more, a sixth of a cold ``article-bot ask``. The
spans depend only on the text and the splitting code, so they are stored per article text
(SHA-256) under ``CACHE_DIR/splits/``, stamped with a fingerprint of the splitting modules'
source: editing the splitter makes every stored split stale. Bad or stale files are ignored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

# Relative (start, end) sentence spans of each paragraph, ¶1 first.
ParagraphSpans = list[list[tuple[int, int]]]
_SPLITTING_MODULES = ("article.py", "blocks.py", "sentences.py")


@lru_cache(maxsize=1)
def splitter_fingerprint() -> str:
    """A digest of the source of the modules that decide paragraphs and sentences."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _SPLITTING_MODULES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


class SplitCache:
    """Sentence spans per article text, as JSON files in ``directory`` (None: keeps nothing)."""

    def __init__(self, directory: str | Path | None) -> None:
        self.directory = Path(directory) / "splits" if directory else None

    def _path(self, digest: str) -> Path | None:
        return self.directory / f"{digest}.json" if self.directory is not None else None

    def read(self, digest: str) -> ParagraphSpans | None:
        """The stored spans of the text with SHA-256 ``digest``, or None (none, stale or unreadable)."""
        path = self._path(digest)
        if path is None:
            return None
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            if stored.get("fingerprint") != splitter_fingerprint():
                return None
            return [[(int(start), int(end)) for start, end in spans] for spans in stored["paragraphs"]]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
            log.debug("ignoring stored sentence splits %s: %s", path, error)
            return None

    def write(self, digest: str, paragraphs: ParagraphSpans) -> None:
        """Store the spans of the text with ``digest`` (atomically; a failure only logs)."""
        path = self._path(digest)
        if path is None:
            return
        import tempfile  # (and shutil): only when a text is split for the first time

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            payload = json.dumps({"fingerprint": splitter_fingerprint(), "paragraphs": paragraphs},
                                 separators=(",", ":"))
            handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".split-", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(payload)
            os.replace(temp, path)
        except OSError as error:
            log.debug("could not store sentence splits in %s: %s", path.parent, error)  # the cache reports it


def valid_spans(spans: list[tuple[int, int]], length: int) -> bool:
    """True when ``spans`` are non-empty, in order, inside a paragraph of ``length`` characters."""
    previous = 0
    for start, end in spans:
        if not previous <= start < end <= length:
            return False
        previous = end
    return bool(spans)
