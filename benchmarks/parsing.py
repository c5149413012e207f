"""Parse time against input size (10 k to 5 MB) for the shapes a moderator may upload.

Shapes: blank-line paragraphs, one single line (no breaks at all), hard-wrapped lines with no blank
lines, and HTML, all built from the seed article's prose; and two hostile ones: "Ab. " repeated (a
tiny sentence every 4 characters) and one-character lines. Times cover decoding and parsing
(``parse_bytes``) up to an article or a refusal (too many paragraphs or sentences), not indexing.
"""

from __future__ import annotations

import html
import textwrap
import time

from embeddings.errors import ArticleTooComplexError
from embeddings.text import Article, default_article_path, parse_bytes

SIZES = (10_000, 100_000, 300_000, 1_000_000, 5_000_000)
TINY_SIZES = (2_000, 20_000)


def _prose(size: int) -> list[str]:
    seed = default_article_path().read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in seed.split("\n\n") if p.strip() and not p.startswith("Also Read")]
    return paragraphs * (size // len(seed) + 2)


def inputs(size: int) -> dict[str, tuple[bytes, str]]:
    """Each shape's bytes (cut to ``size``) and kind."""
    paragraphs = _prose(size)
    page = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    shapes = {
        "paragraphs": ("\n\n".join(paragraphs), "text"),
        "one_line": (" ".join(paragraphs), "text"),
        "hard_wrapped": ("\n".join(textwrap.fill(p, 72) for p in paragraphs), "text"),
        "html": (f"<html><head><title>Bench</title></head><body><article>{page}</article></body></html>", "html"),
    }
    shapes["tiny_sentences"] = ("Ab. " * (size // 4 + 1), "text")
    shapes["short_lines"] = ("x\n" * (size // 2 + 1), "text")
    return {name: (text.encode("utf-8")[:size], kind) for name, (text, kind) in shapes.items()}


def _timed_parse(data: bytes, kind: str, source: str, limit: int) -> tuple[Article | str, float]:
    """The article (or the refusal's error class name) and the seconds taken."""
    started = time.perf_counter()
    try:
        article: Article | str = parse_bytes(data, source=source, kind=kind, max_bytes=limit)
    except ArticleTooComplexError as error:
        article = type(error).__name__
    return article, time.perf_counter() - started


def run(sizes: tuple[int, ...] = SIZES) -> dict:
    """Seconds to parse each shape at each size, the worst of them, and the paragraph count of each
    (or the refusal)."""
    figures: dict = {}
    worst = 0.0
    for size in sizes:
        row: dict = {}
        for name, (data, kind) in inputs(size).items():
            article, seconds = _timed_parse(data, kind, f"{name}-{size}", max(sizes) + 1)
            row[f"{name}_s"] = round(seconds, 3)
            row[f"{name}_paragraphs"] = article if isinstance(article, str) else len(article.paragraphs)
            worst = max(worst, seconds)
        figures[str(size)] = row
    return {"sizes": figures, "worst_s": round(worst, 3)}


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
