"""The README is a landing page of a few screens; the reference lives in ``docs/``, and every link between them
leads somewhere."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    lines, in_code = [], False
    for line in page.read_text().splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            lines.append(slug(line.lstrip("#")))
    return set(lines)


def broken_links(page: Path) -> list[str]:
    broken = []
    for target in LINK.findall(page.read_text()):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no such heading")
    return broken


def test_readme_stays_a_landing_page():
    assert len((ROOT / "README.md").read_text().splitlines()) <= 300


def test_readme_links_every_document():
    readme = (ROOT / "README.md").read_text()
    missing = [page.name for page in PAGES[1:] if page.name != "README.md" and f"docs/{page.name}" not in readme]
    assert missing == []


def test_links_lead_somewhere():
    assert {page.relative_to(ROOT).as_posix(): broken_links(page) for page in PAGES} == {
        page.relative_to(ROOT).as_posix(): [] for page in PAGES
    }


def test_broken_links_are_found(tmp_path: Path):
    page = tmp_path / "page.md"
    page.write_text("# Top\n\n[ok](#top) [gone](missing.md) [nowhere](#no-such) [web](https://example.org)\n")
    assert broken_links(page) == ["missing.md: no such file", "#no-such: no such heading"]
