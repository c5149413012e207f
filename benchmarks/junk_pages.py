"""How often real articles carry the phrases of walls, geo-blocks, rate-limit and challenge pages, and how
large a share of their text those sentences are (the features embeddings/text/page_checks.py decides on).

Run: ``python -m benchmarks.junk_pages [DATA_DIR]`` (DATA_DIR: the shared data, default ../shared/data).
Reads 1,149 CNN/DailyMail test articles and the XQuAD contexts in en, de, es and ru (each context one
article), plus the seed article; prints how many carry any phrase, the largest marked share, and how many
would be refused.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from embeddings.errors import ArticleError
from embeddings.text import MAX_MARKED_SHARE, check_not_junk, default_article_path, marked_share, parse_text


def corpora(data: Path) -> dict[str, list[str]]:
    """Each corpus's article texts."""
    found: dict[str, list[str]] = {"seed": [default_article_path().read_text(encoding="utf-8")]}
    cnndm = data / "cnndm-test-part-a.jsonl"
    if cnndm.exists():
        found["cnndm"] = [json.loads(line)["article"] for line in cnndm.read_text(encoding="utf-8").splitlines()]
    for language in ("en", "de", "es", "ru"):
        xquad = data / "xquad-part-a" / f"xquad.{language}.json"
        if xquad.exists():
            articles = json.loads(xquad.read_text(encoding="utf-8"))["data"]
            found[f"xquad.{language}"] = ["\n\n".join(p["context"] for p in a["paragraphs"]) for a in articles]
    return found


def measure(texts: list[str]) -> dict[str, object]:
    """Articles with any marked sentence, the largest marked share, the kinds seen and the refusals."""
    with_phrase, largest, kinds, refused = 0, 0.0, Counter(), 0
    for text in texts:
        article = parse_text(text)
        share, found = marked_share(article)
        with_phrase += bool(found)
        largest = max(largest, share)
        kinds.update(found)
        try:
            check_not_junk(article)
        except ArticleError:
            refused += 1
    return {"articles": len(texts), "with_phrase": with_phrase, "largest_share": round(largest, 4),
            "kinds": dict(kinds), "refused": refused, "threshold": MAX_MARKED_SHARE}


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data")
    for name, texts in corpora(data).items():
        print(name, json.dumps(measure(texts)))


if __name__ == "__main__":
    main()
