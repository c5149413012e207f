"""PDF articles: the text of each page (pypdf, layout mode), paragraphs recovered from the page layout, and the
page each paragraph starts on.

The article's text is built here from the pages: every paragraph one line (hyphenated line breaks joined, other
line breaks a space), paragraphs separated by a blank line, running headers, footers and page numbers dropped.
:func:`~embeddings.text.article.parse_pdf` then splits that text like any other, so quotes stay verbatim
slices of it, and gives each paragraph its page and its number on that page.

pypdf was chosen by measurement (a generated 200-page article: pypdf 8-9 ms a page, pdfminer.six 98 ms; on two
real manuals 64 against 78-100 ms), and its layout mode keeps the reading order and the blank lines between
paragraphs, where pdfminer.six put a running header mid-page. It is imported only when a PDF is parsed.
PDFs that are encrypted, have no text layer (scans) or are built to exhaust the reader (page counts, page-tree
depth, decompression bombs, deeply nested objects) are refused with a message, within the parse budget. pypdf
reads in a worker process (:mod:`.pdf_worker`, its memory capped) that is killed when the budget runs out: one
page's text extraction cannot be interrupted, and a few kilobytes can ask it for minutes of layout work.
"""

from __future__ import annotations

import bisect
import dataclasses
import io
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import ArticleBotError, ArticleTooComplexError, PdfRefusedError
from .budget import ParseBudget

__all__ = ["MAX_PDF_PAGES", "PdfText", "read_pdf"]

log = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
MAX_PDF_PAGES = 1000  # a 1,000-page report parses in about 10 s; more is a book, or a bomb
MAX_STREAM_BYTES = 16 * 1024 * 1024  # one decompressed stream (a page's text is kilobytes)
MAX_DECODING_BYTES = 64 * 1024 * 1024  # decoding work for one stream, all its filters
MAX_TREE_DEPTH = 32  # page-tree levels (real files have 2-4)
WORKER_MEMORY_BYTES = 1024 * 1024 * 1024  # the reading process's address space (a bomb is stopped by it)
WORKER_POLL_SECONDS = 0.1  # how often the budget is checked while the worker reads
EDGE_LINES = 2  # a running header or footer is among the first or last this many lines of a page
_SPACES = re.compile(r"[ \t\u00a0]{2,}|\t")
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|seite|página|strona|стр\.?|сторінка)\s*)?\d{1,5}(?:\s*(?:of|/|von|de|z|из|з)\s*\d{1,5})?$"
    r"|^[-–—]\s*\d{1,5}\s*[-–—]$|^[ivxlcdm]{1,7}$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"[.!?…:;\"”’»)\]]$")
_HYPHENATED = re.compile(r"\w[-\u00ad]$")


@dataclasses.dataclass(frozen=True, slots=True)
class _Line:
    text: str  # stripped, inner runs of spaces made one
    indent: int  # leading spaces in the layout


def _lines(page_text: str) -> list[_Line | None]:
    """The page's lines (None: a blank line), spaces normalised."""
    lines: list[_Line | None] = []
    for raw in page_text.splitlines():
        stripped = raw.strip()
        if not stripped:
            lines.append(None)
            continue
        lines.append(_Line(_SPACES.sub(" ", stripped).replace("\t", " "), len(raw) - len(raw.lstrip())))
    return lines


def _edges(lines: list[_Line | None]) -> list[int]:
    """Indexes of the first and last EDGE_LINES non-blank lines of a page."""
    filled = [i for i, line in enumerate(lines) if line is not None]
    return sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))


def _edge_lines(lines: list[_Line | None]) -> list[_Line]:
    return [line for line in (lines[i] for i in _edges(lines)) if line is not None]


def _furniture_key(text: str) -> str:
    return _DIGITS.sub("#", text.lower())


def drop_furniture(pages: list[list[_Line | None]]) -> list[list[_Line | None]]:
    """The pages without page numbers and running headers/footers (a line at a page's top or bottom whose text,
    digits aside, is at the top or bottom of at least half the pages, and of two at least)."""
    seen = Counter(key for lines in pages for key in {_furniture_key(line.text) for line in _edge_lines(lines)})
    repeated = max(2, (len(pages) + 1) // 2)
    cleaned = []
    for lines in pages:
        lines = list(lines)
        for i in _edges(lines):
            line = lines[i]
            if line is not None and (_PAGE_NUMBER.match(line.text) or seen[_furniture_key(line.text)] >= repeated):
                lines[i] = None
        cleaned.append(lines)
    return cleaned


def _join(lines: list[str]) -> str:
    """One paragraph from its lines: a hyphen that breaks a word at a line end goes, other breaks are a space."""
    text = lines[0]
    for line in lines[1:]:
        broken = _HYPHENATED.search(text) and line[:1].islower()
        text = text[:-1] + line if broken else f"{text} {line}"
    return text


def page_paragraphs(lines: list[_Line | None]) -> list[str]:
    """The paragraphs of one page: blank lines separate them, and so does a line that is indented against the
    page's margin after a short line ending a sentence (paragraphs set without space between them)."""
    filled = [line for line in lines if line is not None]
    if not filled:
        return []
    margin = min(line.indent for line in filled)
    widths = sorted(len(line.text) + line.indent for line in filled)
    short = 0.8 * widths[(3 * len(widths)) // 4]
    paragraphs: list[str] = []
    current: list[str] = []
    previous: _Line | None = None
    for line in lines:
        if line is None:
            if current:
                paragraphs.append(_join(current))
            current, previous = [], None
            continue
        if current and previous is not None:
            ended = bool(_SENTENCE_END.search(previous.text))
            if ended and (len(previous.text) + previous.indent < short or line.indent > margin + 1 >= previous.indent):
                paragraphs.append(_join(current))
                current = []
        current.append(line.text)
        previous = line
    if current:
        paragraphs.append(_join(current))
    return paragraphs


# pypdf turns a RecursionError or MemoryError while reading an object (nesting deeper than Python's stack) into
# this, and in its lenient mode only logs it and goes on with the object cut short
_EXHAUSTED = "Error reading PDF file"


class _ReaderTrouble(logging.Handler):
    """Notes pypdf's log records of objects it could not read for exhausting the stack or memory (only this
    thread's: PDFs may be parsed in several threads at once)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.exhausted = False

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread and _EXHAUSTED in record.getMessage():
            self.exhausted = True


def _refuse(key: str, **fields: object) -> PdfRefusedError:
    return PdfRefusedError(key=key, **fields)


def read_pages(data: bytes, budget: ParseBudget) -> tuple[list[str], str | None]:
    """Each page's text (layout mode) and the document's title, under pypdf limits that refuse bombs. Runs in
    the worker process (:mod:`.pdf_worker`): one page's extraction cannot be interrupted, so only a process can
    be stopped at the budget's end."""
    import pypdf
    from pypdf.errors import FileNotDecryptedError, LimitReachedError, PyPdfError

    limits: dict[str, Any] = {
        "zlib_maximum_output_length": MAX_STREAM_BYTES, "lzw_maximum_output_length": MAX_STREAM_BYTES,
        "run_length_maximum_output_length": MAX_STREAM_BYTES, "brotli_maximum_output_length": MAX_STREAM_BYTES,
        "array_based_stream_maximum_output_length": MAX_STREAM_BYTES, "jbig2_maximum_output_length": MAX_STREAM_BYTES,
        "image_maximum_buffer_size": MAX_STREAM_BYTES, "stream_decoding_work_maximum_length": MAX_DECODING_BYTES,
        "maximum_declared_stream_length": MAX_STREAM_BYTES, "page_tree_maximum_depth": MAX_TREE_DEPTH,
        "page_tree_maximum_entries": 4 * MAX_PDF_PAGES, "page_tree_maximum_page_entries": 64 * MAX_PDF_PAGES,
    }
    trouble = _ReaderTrouble()
    pypdf_log = logging.getLogger("pypdf")
    pypdf_log.addHandler(trouble)
    with pypdf.apply_configuration(None, **limits):
        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not _opened(reader):
                raise _refuse("pdf_encrypted")
            claimed = _claimed_pages(reader)
            if claimed > MAX_PDF_PAGES:
                raise _refuse("pdf_too_many_pages", pages=f"{claimed:,}", limit=f"{MAX_PDF_PAGES:,}")
            count = len(reader.pages)
            if count > MAX_PDF_PAGES:
                raise _refuse("pdf_too_many_pages", pages=f"{count:,}", limit=f"{MAX_PDF_PAGES:,}")
            texts = []
            for page in reader.pages:
                budget.check()
                texts.append(page.extract_text(extraction_mode="layout") or "")
                if trouble.exhausted:
                    raise RecursionError("an object nested too deep to read")
            title = _title(reader)
        except ArticleBotError:  # a refusal above, the budget spent or the load stopped
            raise
        except FileNotDecryptedError as error:
            raise _refuse("pdf_encrypted") from error
        except (LimitReachedError, RecursionError) as error:
            log.info("refused a PDF built to exhaust the reader: %s", error)
            raise _refuse("pdf_too_complex") from error
        except (PyPdfError, Exception) as error:  # a damaged file fails anywhere in the reader
            log.info("unreadable PDF: %s: %s", type(error).__name__, error)
            raise _refuse("pdf_unreadable") from error
        finally:
            pypdf_log.removeHandler(trouble)
    return texts, title


def read_pages_isolated(data: bytes, budget: ParseBudget) -> tuple[list[str], str | None]:
    """:func:`read_pages` in a child process (:mod:`.pdf_worker`, its address space capped at
    :data:`WORKER_MEMORY_BYTES`), killed when the budget runs out or the load is stopped: a page whose text
    takes minutes to lay out (a few kilobytes can ask for that) costs the budget, not the loads thread."""
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
    seconds = max(budget.deadline - budget.clock(), 0.0)
    command = [sys.executable, "-m", "embeddings.text.pdf_worker", f"{seconds:.3f}", str(WORKER_MEMORY_BYTES)]
    with tempfile.TemporaryFile() as source:  # a file, not a pipe: communicate() with a timeout cannot go on
        source.write(data)                      # writing its input after the first timeout
        source.seek(0)
        child = subprocess.Popen(command, stdin=source, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        try:
            while True:
                try:
                    out, err = child.communicate(timeout=WORKER_POLL_SECONDS)
                    break
                except subprocess.TimeoutExpired:
                    budget.check()  # out of time or stopped: raises, and the child is killed below
        finally:
            if child.poll() is None:
                child.kill()
                child.communicate()
    return _worker_result(child.returncode, out, err)


def _worker_result(returncode: int, out: bytes, err: bytes) -> tuple[list[str], str | None]:
    try:
        result = json.loads(out) if returncode == 0 else None
    except ValueError:
        result = None
    if not isinstance(result, dict):  # killed by the memory cap, or crashed
        log.info("the PDF worker failed (exit %s): %s", returncode, err[-500:].decode("utf-8", "replace"))
        raise _refuse("pdf_too_complex")
    if "refused" in result:
        key = str(result["refused"])
        if key == "article_too_slow":
            raise ArticleTooComplexError(key=key, **result.get("fields", {}))
        raise _refuse(key, **result.get("fields", {}))
    return [str(text) for text in result["texts"]], result["title"]


def _opened(reader: object) -> bool:
    """Open a PDF encrypted with an empty user password (readable by any viewer); False when it needs one."""
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception as error:  # a cipher pypdf cannot run here, a damaged encryption dictionary
        log.info("cannot open an encrypted PDF: %s", error)
        return False


def _claimed_pages(reader: object) -> int:
    """The page count the page tree's root declares (read before the tree is walked)."""
    try:
        count = reader.trailer["/Root"]["/Pages"]["/Count"]  # type: ignore[attr-defined]
        return int(count)
    except Exception:  # no or a damaged count: the walk itself is bounded
        return 0


def _title(reader: object) -> str | None:
    try:
        metadata = reader.metadata  # type: ignore[attr-defined]
        title = metadata.title if metadata is not None else None
    except Exception:  # a damaged info dictionary: no title
        return None
    title = " ".join(str(title).split()) if title else ""
    return title or None


def is_pdf(data: bytes) -> bool:
    """True when the bytes start like a PDF (the header may follow up to 1 KiB of junk)."""
    return PDF_MAGIC in data[:1024]


@dataclasses.dataclass(frozen=True, slots=True)
class PdfText:
    """A PDF's article text (paragraphs one a line, a blank line between them), where each paragraph starts in it
    and on which page, and the document's title (None: it has none)."""

    text: str
    starts: tuple[int, ...]
    pages: tuple[int, ...]
    title: str | None

    def page_at(self, offset: int) -> int:
        """The page of the paragraph holding ``offset`` of the text."""
        return self.pages[bisect.bisect_right(self.starts, offset) - 1]


def read_pdf(data: bytes, budget: ParseBudget | None = None) -> PdfText:
    """The article text of PDF bytes, paragraphs recovered from the page layout. Raises PdfRefusedError
    (encrypted, no text, too many pages, a bomb, not a PDF) or the budget's errors."""
    budget = budget or ParseBudget()
    if not is_pdf(data):
        raise _refuse("pdf_unreadable")
    texts, title = read_pages_isolated(data, budget)
    pages = drop_furniture([_lines(text) for text in texts])
    paragraphs: list[tuple[int, str]] = []  # (page, text)
    for number, lines in enumerate(pages, start=1):
        budget.check()
        for index, paragraph in enumerate(page_paragraphs(lines)):
            if index == 0 and paragraphs and _continues(paragraphs[-1][1], paragraph):
                paragraphs[-1] = (paragraphs[-1][0], _join([paragraphs[-1][1], paragraph]))
            else:
                paragraphs.append((number, paragraph))
    if not any(any(c.isalnum() for c in text) for _, text in paragraphs):
        raise _refuse("pdf_no_text", pages=f"{len(texts):,}")
    starts, position = [], 0
    for _, text in paragraphs:
        starts.append(position)
        position += len(text) + 2
    text = "\n\n".join(text for _, text in paragraphs) + "\n"
    return PdfText(text, tuple(starts), tuple(page for page, _ in paragraphs), title)


def _continues(previous: str, first: str) -> bool:
    """True when a page's first paragraph carries on the last one of the page before (no sentence end there,
    a lower-case start here)."""
    return not _SENTENCE_END.search(previous) and first[:1].islower()
