"""``python -m embeddings.text.pdf_worker SECONDS MAX_BYTES``: read the PDF on stdin (:func:`.pdf.read_pages`) in
a process of its own, its address space capped at MAX_BYTES, and print ``{"texts": [...], "title": ...}`` or
``{"refused": message id, "fields": {...}}`` as JSON. :func:`.pdf.read_pages_isolated` runs it and kills it when
the parse budget runs out."""

from __future__ import annotations

import json
import resource
import sys

from ..errors import ArticleBotError
from .budget import ParseBudget
from .pdf import read_pages


def main(argv: list[str]) -> int:
    seconds, max_bytes = float(argv[0]), int(argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))
    data = sys.stdin.buffer.read()
    try:
        texts, title = read_pages(data, ParseBudget(seconds))
        result: dict = {"texts": texts, "title": title}
    except ArticleBotError as error:
        result = {"refused": error.key, "fields": dict(error.fields)}
    except MemoryError:
        result = {"refused": "pdf_too_complex", "fields": {}}
    sys.stdout.write(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
