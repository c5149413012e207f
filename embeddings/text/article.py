"""Articles: paragraphs and sentences with exact character spans into the loaded text."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..defaults import MIN_SENTENCES, MIN_WORDS
from ..errors import (
    ArticleSourceError,
    ArticleTooComplexError,
    ArticleTooLargeError,
    EmptyArticleError,
    NotAnArticleError,
    UnsupportedFormatError,
)
from .blocks import is_boilerplate, paragraph_blocks
from .budget import ParseBudget
from .encodings import charset_of, decode_text
from .page_checks import check_not_junk
from .sentences import Span, split_sentences
from .split_cache import ParagraphSpans, SplitCache, valid_spans

__all__ = ["Article", "ArticleRequirements", "Paragraph", "is_boilerplate", "load_article", "parse_pdf",
           "parse_text"]

log = logging.getLogger(__name__)

ArticleKind = Literal["text", "html", "pdf"]  # how a source is parsed
MAX_ARTICLE_BYTES = 16 * 1024 * 1024
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
PDF_SUFFIXES = frozenset({".pdf"})

# Above this many characters an article's sentences are split by rules alone (linear), not pysbd
# (about 2-5 µs a character here): any article up to the upload cap then parses in seconds.
PYSBD_MAX_CHARS = 300_000
# More paragraphs or sentences than this is not an article (and would take hours to embed).
MAX_PARAGRAPHS = 200_000
MAX_SENTENCES = 300_000
METADATA_CHARS = 200_000  # the title is read from the start of an HTML page
_WORD = re.compile(r"\w+")
# Sentences that mark a page as furniture rather than news: error pages, cookie and login walls.
_NOT_ARTICLE = re.compile(
    r"\b(?:(?:page|article)\s+(?:was\s+)?not\s+found|404|cookies?|consent|enable\s+javascript|"
    r"access\s+denied|(?:subscribe|sign\s+in|log\s+in)\s+to\s+(?:continue|read))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph: its 1-based number, span in the article, and sentence spans; in a PDF, the page it starts
    on and its number on that page (both 1-based; None in articles without pages)."""

    number: int
    start: int
    end: int
    text: str
    sentences: tuple[Span, ...]
    page: int | None = None
    page_paragraph: int | None = None

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

    @property
    def paragraph_texts(self) -> tuple[str, ...]:
        """The paragraphs' texts, ¶1 first (what versions are compared by)."""
        return tuple(paragraph.text for paragraph in self.paragraphs)

    def sentence_text(self, span: Span) -> str:
        """The verbatim text of a sentence span."""
        return self.text[span.start : span.end]


def text_digest(text: str) -> str:
    """SHA-256 hex digest of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode_bytes(
    data: bytes, *, max_bytes: int = MAX_ARTICLE_BYTES, charset: str | None = None, html: bool = False
) -> str:
    """Decode article bytes (a BOM, ``charset`` as declared by HTTP, an HTML page's ``<meta>`` declaration
    when ``html``, else UTF-8 or the detected encoding), refusing binary, oversized and undecodable input."""
    if len(data) > max_bytes:
        raise ArticleTooLargeError(key="article_too_large", size=f"{len(data):,}", limit=f"{max_bytes:,}")
    return decode_text(data, charset=charset, html=html)


def _is_heading(block: str) -> bool:
    return block.lstrip().startswith("#") and "\n" not in block.strip()


def parse_text(
    text: str, *, source: str = "<text>", title: str | None = None, budget: ParseBudget | None = None,
    splits: SplitCache | None = None, headings: bool = True,
) -> Article:
    """Split plain text or Markdown into paragraphs (blank-line separated, one a line, or hard-wrapped)
    and sentences; ``budget`` (default: PARSE_SECONDS) bounds the time taken. ``splits`` keeps the
    sentence spans of texts already split (a text seen before is not split again). ``headings``: a one-line
    block starting with ``#`` is a Markdown heading (the first one the title), not a paragraph."""
    budget = budget or ParseBudget()
    digest = text_digest(text)
    known = splits.read(digest) if splits is not None else None
    found_spans: ParagraphSpans = []
    fast = len(text) > PYSBD_MAX_CHARS
    paragraphs: list[Paragraph] = []
    found_title = title
    blocks = paragraph_blocks(text)
    if len(blocks) > MAX_PARAGRAPHS:
        raise ArticleTooComplexError(key="article_too_many_paragraphs", paragraphs=f"{len(blocks):,}",
                                     limit=f"{MAX_PARAGRAPHS:,}")
    sentence_count = 0
    for block_start, block_end in blocks:
        budget.check()
        raw = text[block_start:block_end]
        stripped = raw.strip()
        if not stripped:
            continue
        start = block_start + raw.index(stripped)
        end = start + len(stripped)
        if headings and _is_heading(stripped):
            if found_title is None:
                found_title = stripped.lstrip("#").strip()
            continue
        index = len(paragraphs)
        if known is not None and index < len(known) and valid_spans(known[index], len(stripped)):
            sentences = tuple(Span(start + low, start + high) for low, high in known[index])
        else:
            known = None  # stale: split the rest
            sentences = tuple(split_sentences(stripped, offset=start, fast=fast, budget=budget))
        found_spans.append([(span.start - start, span.end - start) for span in sentences])
        sentence_count += len(sentences)
        if sentence_count > MAX_SENTENCES:
            raise ArticleTooComplexError(key="article_too_many_sentences", limit=f"{MAX_SENTENCES:,}")
        paragraphs.append(Paragraph(len(paragraphs) + 1, start, end, stripped, sentences))
    if not paragraphs:
        raise EmptyArticleError(key="article_empty")
    if splits is not None and (known is None or len(known) != len(paragraphs)):
        splits.write(digest, found_spans)
    return Article(text, tuple(paragraphs), found_title or _lead_title(paragraphs[0]), source, digest)


def _lead_title(first: Paragraph, limit: int = 80) -> str:
    """A title for an untitled text: its first sentence, clipped."""
    span = first.sentences[0] if first.sentences else Span(first.start, first.end)
    lead = " ".join(first.text[span.start - first.start : span.end - first.start].split())
    return lead if len(lead) <= limit else lead[: limit - 1].rstrip() + "…"


def parse_html(
    html: str, *, source: str = "<html>", budget: ParseBudget | None = None, splits: SplitCache | None = None
) -> Article:
    """Extract the main text of an HTML page (trafilatura), one paragraph a line."""
    import trafilatura

    budget = budget or ParseBudget()
    extracted = trafilatura.extract(
        html, include_comments=False, include_tables=False, include_links=False, favor_precision=True
    )
    if not extracted or not extracted.strip():
        raise EmptyArticleError(key="article_html_empty")
    budget.check()
    metadata = trafilatura.extract_metadata(html[:METADATA_CHARS])  # the head; the whole page costs seconds
    title = metadata.title if metadata is not None and metadata.title else None
    lines = [line.strip() for line in extracted.splitlines() if line.strip()]
    if title and len(lines) > 1 and " ".join(lines[0].split()) == " ".join(title.split()):
        lines = lines[1:]  # the headline repeated as the first line of the body
    return parse_text("\n\n".join(lines) + "\n", source=source, title=title, budget=budget, splits=splits)


def parse_pdf(
    data: bytes, *, source: str = "<pdf>", budget: ParseBudget | None = None, splits: SplitCache | None = None
) -> Article:
    """An article from PDF bytes (:mod:`.pdf` recovers the paragraphs from the page layout) whose paragraphs
    know their page and their number on it. Raises PdfRefusedError (encrypted, scanned, too many pages, a bomb,
    damaged) or what :func:`parse_text` raises."""
    from .pdf import read_pdf  # pypdf is imported only when a PDF is parsed

    budget = budget or ParseBudget()
    pdf = read_pdf(data, budget)
    article = parse_text(pdf.text, source=source, title=pdf.title, budget=budget, splits=splits, headings=False)
    numbered, on_page = [], Counter[int]()
    for paragraph in article.paragraphs:
        page = pdf.page_at(paragraph.start)
        on_page[page] += 1
        numbered.append(dataclasses.replace(paragraph, page=page, page_paragraph=on_page[page]))
    return dataclasses.replace(article, paragraphs=tuple(numbered))


def parse_bytes(
    data: bytes, *, source: str, kind: ArticleKind, max_bytes: int = MAX_ARTICLE_BYTES,
    budget: ParseBudget | None = None, splits: SplitCache | None = None, content_type: str | None = None,
) -> Article:
    """Parse raw bytes of the given kind (``"text"``, ``"html"`` or ``"pdf"``); ``content_type`` (as an HTTP
    server sent it) may declare their charset."""
    budget = budget or ParseBudget()
    if kind == "pdf":
        if len(data) > max_bytes:
            raise ArticleTooLargeError(key="article_too_large", size=f"{len(data):,}", limit=f"{max_bytes:,}")
        return parse_pdf(data, source=source, budget=budget, splits=splits)
    text = decode_bytes(data, max_bytes=max_bytes, charset=charset_of(content_type), html=kind == "html")
    if kind == "html":
        return parse_html(text, source=source, budget=budget, splits=splits)
    return parse_text(text, source=source, budget=budget, splits=splits)


def kind_for_name(name: str, content_type: str | None = None) -> ArticleKind:
    """``"html"``, ``"text"`` or ``"pdf"`` from a file name or a Content-Type; unsupported raises."""
    if content_type:
        base = content_type.split(";", 1)[0].strip().lower()
        if base in {"text/html", "application/xhtml+xml"}:
            return "html"
        if base in {"application/pdf", "application/x-pdf"}:
            return "pdf"
        if base in {"text/plain", "text/markdown", "text/x-markdown"}:
            return "text"
    suffix = Path(name.split("?", 1)[0]).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in PDF_SUFFIXES:
        return "pdf"
    raise UnsupportedFormatError(key="article_unsupported_type", suffix=repr(suffix))


def read_capped(path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path``, reading at most ``max_bytes + 1`` (devices and pipes have no size)."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ArticleTooLargeError(key="article_too_large", size=f"{size:,}", limit=f"{max_bytes:,}")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:  # missing, a directory, a file as a parent, a name too long, no permission...
        reason = str(error.strerror or error)
        raise ArticleSourceError(key="article_unreadable", path=str(path), reason=reason) from error
    if len(data) > max_bytes:
        raise ArticleTooLargeError(key="article_over_limit", limit=f"{max_bytes:,}")
    return data


def load_article(
    path: str | Path, *, max_bytes: int = MAX_ARTICLE_BYTES, budget: ParseBudget | None = None,
    splits: SplitCache | None = None,
) -> Article:
    """Load a .txt/.md/.html/.pdf file into an Article (``splits``: sentence spans kept from earlier loads)."""
    path = Path(path)
    kind = kind_for_name(path.name)
    data = read_capped(path, max_bytes)
    log.debug("read %d bytes from %s", len(data), path)
    return parse_bytes(data, source=str(path), kind=kind, max_bytes=max_bytes, budget=budget, splits=splits)


@dataclass(frozen=True, slots=True)
class ArticleRequirements:
    """What a text needs to count as an article (ARTICLE_MIN_WORDS, ARTICLE_MIN_SENTENCES)."""

    min_words: int = MIN_WORDS
    min_sentences: int = MIN_SENTENCES


def check_article(article: Article, requirements: ArticleRequirements) -> None:
    """Refuse a text too thin to be an article: too few words or sentences, (when short) mostly error-page,
    cookie-notice or login-wall sentences, or a subscriber wall, geo-block, rate-limit or bot-challenge page
    (embeddings/text/page_checks.py). Raises NotAnArticleError."""
    words = sum(len(_WORD.findall(p.text)) for p in article.paragraphs)
    sentences = [article.sentence_text(s) for p in article.paragraphs for s in p.sentences]
    if words < requirements.min_words or len(sentences) < requirements.min_sentences:
        raise NotAnArticleError(key="article_too_thin", words=words, sentences=len(sentences),
                                min_words=requirements.min_words, min_sentences=requirements.min_sentences)
    furniture = sum(1 for sentence in sentences if _NOT_ARTICLE.search(sentence))
    if words < 4 * requirements.min_words and furniture * 3 >= len(sentences):
        raise NotAnArticleError(key="article_error_page")
    check_not_junk(article)


def default_article_path() -> Path:
    """The seed article that ships inside the package."""
    return Path(__file__).resolve().parents[1] / "seed" / "article.txt"
