"""Articles: paragraphs and sentences with exact character spans into the loaded text."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import (
    ArticleEncodingError,
    ArticleSourceError,
    ArticleTooLargeError,
    BinaryArticleError,
    EmptyArticleError,
    UnsupportedFormatError,
)
from .sentences import Span, split_sentences

log = logging.getLogger(__name__)

MAX_ARTICLE_BYTES = 16 * 1024 * 1024
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})

# Lines that are page furniture, not article content ("Also Read: ..." teasers and the like).
BOILERPLATE = re.compile(
    r"""^\s*(?:
        (?:also|read|see|watch)\s+(?:read|more|also|this)\b.*      # Also Read:, Read more, See also
      | (?:related|recommended|trending|more\s+from)\s*(?:stories|articles|reading|news)?\s*:.*
      | (?:advertisement|sponsored(?:\s+content)?|ad)\s*$
      | (?:click\s+here|subscribe|sign\s+up|follow\s+us|share\s+this|download\s+the\s+app)\b.*
      | (?:photo|image|video|getty\s+images)\s*(?:credit)?\s*:.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_SENTENCE_END = re.compile(r"[.!?…:;\"”’)\]]\s*$")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph: its 1-based number, span in the article, and sentence spans."""

    number: int
    start: int
    end: int
    text: str
    sentences: tuple[Span, ...]

    @property
    def digest(self) -> str:
        """SHA-256 of the paragraph text, used to diff versions."""
        return text_digest(self.text)


@dataclass(frozen=True, slots=True)
class Article:
    """A loaded article: the text as loaded, its title and source, and its paragraphs."""

    text: str
    paragraphs: tuple[Paragraph, ...]
    title: str
    source: str
    digest: str = field(default="")

    def sentence_text(self, span: Span) -> str:
        """The verbatim text of a sentence span."""
        return self.text[span.start : span.end]


def text_digest(text: str) -> str:
    """SHA-256 hex digest of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_boilerplate(line: str) -> bool:
    """True when a line is page furniture rather than article content."""
    return bool(BOILERPLATE.match(line))


def decode_bytes(data: bytes, *, max_bytes: int = MAX_ARTICLE_BYTES) -> str:
    """Decode article bytes as UTF-8, refusing binary, oversized and non-UTF-8 input."""
    if len(data) > max_bytes:
        raise ArticleTooLargeError(
            f"The article is {len(data):,} bytes; the limit is {max_bytes:,} bytes."
        )
    if b"\x00" in data[:65536]:
        raise BinaryArticleError("The input looks like a binary file, not text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleEncodingError(
            f"The input is not valid UTF-8 (bad byte at position {error.start})."
        ) from error
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    if controls > max(8, len(text[:65536]) // 100):
        raise BinaryArticleError("The input looks like a binary file, not text.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _blocks(text: str, *, line_paragraphs: bool) -> list[tuple[int, int]]:
    """Spans of paragraph blocks; boilerplate and blank lines separate blocks."""
    blocks: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for start, end in _line_spans(text):
        line = text[start:end]
        if not line.strip() or is_boilerplate(line):
            if current:
                blocks.append(current)
            current = None
            continue
        if current is None or line_paragraphs:
            if current:
                blocks.append(current)
            current = (start, end)
        else:
            current = (current[0], end)
    if current:
        blocks.append(current)
    return blocks


def _looks_line_per_paragraph(text: str) -> bool:
    """True for text with no blank lines whose lines end like sentences (one paragraph a line)."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 2 or re.search(r"\n[ \t]*\n", text):
        return False
    ended = sum(1 for line in lines if _SENTENCE_END.search(line))
    return ended >= 0.8 * len(lines)


def _is_heading(block: str) -> bool:
    return block.lstrip().startswith("#") and "\n" not in block.strip()


def parse_text(text: str, *, source: str = "<text>", title: str | None = None) -> Article:
    """Split plain text or Markdown into paragraphs (blank-line separated) and sentences."""
    line_paragraphs = _looks_line_per_paragraph(text)
    paragraphs: list[Paragraph] = []
    found_title = title
    for block_start, block_end in _blocks(text, line_paragraphs=line_paragraphs):
        raw = text[block_start:block_end]
        stripped = raw.strip()
        start = block_start + raw.index(stripped)
        end = start + len(stripped)
        if _is_heading(stripped):
            if found_title is None:
                found_title = stripped.lstrip("#").strip()
            continue
        sentences = tuple(split_sentences(stripped, offset=start))
        paragraphs.append(Paragraph(len(paragraphs) + 1, start, end, stripped, sentences))
    if not paragraphs:
        raise EmptyArticleError("The article has no text to answer from.")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Article(text, tuple(paragraphs), found_title or _lead_title(paragraphs[0]), source, digest)


def _lead_title(first: Paragraph, limit: int = 80) -> str:
    """A title for an untitled text: its first sentence, clipped."""
    span = first.sentences[0] if first.sentences else Span(first.start, first.end)
    lead = " ".join(first.text[span.start - first.start : span.end - first.start].split())
    return lead if len(lead) <= limit else lead[: limit - 1].rstrip() + "…"


def parse_html(html: str, *, source: str = "<html>") -> Article:
    """Extract the main text of an HTML page (trafilatura), one paragraph a line."""
    import trafilatura

    extracted = trafilatura.extract(
        html, include_comments=False, include_tables=False, include_links=False, favor_precision=True
    )
    if not extracted or not extracted.strip():
        raise EmptyArticleError("No article text was found in the HTML page.")
    metadata = trafilatura.extract_metadata(html)
    title = metadata.title if metadata is not None and metadata.title else None
    lines = [line.strip() for line in extracted.splitlines() if line.strip()]
    if title and len(lines) > 1 and " ".join(lines[0].split()) == " ".join(title.split()):
        lines = lines[1:]  # the headline repeated as the first line of the body
    return parse_text("\n\n".join(lines) + "\n", source=source, title=title)


def parse_bytes(data: bytes, *, source: str, kind: str, max_bytes: int = MAX_ARTICLE_BYTES) -> Article:
    """Parse raw bytes of the given kind (``"text"`` or ``"html"``)."""
    text = decode_bytes(data, max_bytes=max_bytes)
    if kind == "html":
        return parse_html(text, source=source)
    return parse_text(text, source=source)


def kind_for_name(name: str, content_type: str | None = None) -> str:
    """``"html"`` or ``"text"`` from a file name or a Content-Type; unsupported raises."""
    if content_type:
        base = content_type.split(";", 1)[0].strip().lower()
        if base in {"text/html", "application/xhtml+xml"}:
            return "html"
        if base in {"text/plain", "text/markdown", "text/x-markdown"}:
            return "text"
    suffix = Path(name.split("?", 1)[0]).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    raise UnsupportedFormatError(
        f"Unsupported file type {suffix!r}: use .txt, .md or .html."
    )


def load_article(path: str | Path, *, max_bytes: int = MAX_ARTICLE_BYTES) -> Article:
    """Load a .txt/.md/.html file into an Article."""
    path = Path(path)
    kind = kind_for_name(path.name)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ArticleTooLargeError(
                f"The article is {size:,} bytes; the limit is {max_bytes:,} bytes."
            )
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, PermissionError) as error:
        raise ArticleSourceError(f"Cannot read {path}: {error.strerror or error}.") from error
    log.debug("read %d bytes from %s", len(data), path)
    return parse_bytes(data, source=str(path), kind=kind, max_bytes=max_bytes)


def default_article_path() -> Path:
    """The seed article that ships inside the package."""
    return Path(__file__).resolve().parent / "seed" / "article.txt"
