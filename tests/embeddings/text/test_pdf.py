"""PDF articles: paragraphs recovered from the page layout, each knowing its page and its number there, and the
PDFs that are refused (encrypted, scanned, bombs, damaged) refused with their message within the parse budget."""

from __future__ import annotations

import threading
import time

import pytest

from embeddings.errors import LoadCancelledError, PdfRefusedError
from embeddings.text import MAX_PDF_PAGES, ParseBudget, kind_for_name, load_article, parse_bytes, parse_pdf
from tests.pdfs import (
    HEADER,
    KEEPER,
    REPORT_PAGES,
    REPORT_TITLE,
    article_pdf,
    deep_tree_pdf,
    many_pages_pdf,
    nested_objects_pdf,
    report_pdf,
    scanned_pdf,
    slow_page_pdf,
    zip_bomb_pdf,
)

BUDGET_SECONDS = 10.0


@pytest.fixture(scope="module")
def report():
    return parse_pdf(report_pdf(), source="report.pdf")


def test_each_paragraph_knows_its_page_and_its_number_there(report):
    """Two paragraphs on pages 1 and 2, one on page 3 (its first carries on page 2's last): ¶ and p. N ¶n."""
    assert [(p.number, p.page, p.page_paragraph) for p in report.paragraphs] == [
        (1, 1, 1), (2, 1, 2), (3, 2, 1), (4, 2, 2), (5, 3, 1)]
    assert report.paragraphs[2].text.startswith(KEEPER)


def test_paragraphs_are_verbatim_slices_of_the_article_text(report):
    """Every paragraph and sentence is its span of the article's text."""
    for paragraph in report.paragraphs:
        assert report.text[paragraph.start : paragraph.end] == paragraph.text
        assert all(paragraph.start <= s.start < s.end <= paragraph.end for s in paragraph.sentences)
    assert report.sentence_text(report.paragraphs[2].sentences[0]) == KEEPER


def test_a_word_hyphenated_at_a_line_break_is_joined(report):
    """"coun-" at a line's end and "cil" on the next make "council"; lines of a paragraph are one line."""
    assert "Engineers from the county council inspected the damage" in report.text
    assert "coun-" not in report.text


def test_running_headers_and_page_numbers_are_dropped(report):
    """The header on every page and the "Page N of 3" footers are not in the text."""
    assert HEADER not in report.text
    assert "Page " not in report.text and " of 3" not in report.text


def test_a_paragraph_carried_over_a_page_is_one_paragraph_on_its_first_page(report):
    """Page 2's last paragraph ends mid-sentence and page 3 starts lower-case: one paragraph, on page 2."""
    carried = report.paragraphs[3]
    assert "over the season while the new cold store on the east quay" in carried.text
    assert (carried.page, carried.page_paragraph) == (2, 2)


def test_the_title_is_the_documents(report):
    """The PDF's /Title is the article's title."""
    assert report.title == REPORT_TITLE


def test_a_pdf_file_loads_by_its_suffix(tmp_path):
    """load_article reads a .pdf (the CLI's --article) as a PDF."""
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf())
    article = load_article(path)
    assert kind_for_name(path.name) == "pdf"
    assert [p.page for p in article.paragraphs] == [1, 1, 2, 2, 3]


def test_a_pdf_readable_without_a_password_loads():
    """Encrypted with an empty user password (only an owner password): any viewer opens it, so do we."""
    article = parse_pdf(article_pdf(REPORT_PAGES, user_password=""), source="open.pdf")
    assert article.paragraphs[2].text.startswith(KEEPER)


def test_a_stopped_load_stops_reading_pages():
    """The parse budget is checked between pages: a stopped load raises LoadCancelledError."""
    stop = threading.Event()
    stop.set()
    with pytest.raises(LoadCancelledError):
        parse_pdf(report_pdf(), source="r.pdf", budget=ParseBudget(stop=stop))


REFUSED = {  # name: (the PDF, the message id it is refused with)
    "encrypted": (lambda: report_pdf(user_password="secret"), "pdf_encrypted"),
    "scanned": (lambda: scanned_pdf(3), "pdf_no_text"),
    "claims too many pages": (lambda: many_pages_pdf(3, claimed=MAX_PDF_PAGES * 50), "pdf_too_many_pages"),
    "holds too many pages": (lambda: many_pages_pdf(MAX_PDF_PAGES * 5, claimed=1), "pdf_too_complex"),
    "a page tree 200 deep": (lambda: deep_tree_pdf(200), "pdf_too_complex"),
    "objects nested 100,000 deep": (lambda: nested_objects_pdf(100_000), "pdf_too_complex"),
    "a 40 MB decompression bomb": (lambda: zip_bomb_pdf(40_000_000), "pdf_too_complex"),
    "cut short": (lambda: report_pdf()[:400], "pdf_unreadable"),
    "not a PDF": (lambda: b"PK\x03\x04 a zip file, named .pdf", "pdf_unreadable"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_refused_pdfs_get_their_message_within_the_budget(name):
    """Each is refused with its own message (not the budget's "took longer than") well within the budget."""
    make, key = REFUSED[name]
    data = make()
    started = time.monotonic()
    with pytest.raises(PdfRefusedError) as raised:
        parse_bytes(data, source=f"{name}.pdf", kind="pdf", budget=ParseBudget(BUDGET_SECONDS))
    assert raised.value.key == key, str(raised.value)
    assert time.monotonic() - started < BUDGET_SECONDS
    assert "pdf" in str(raised.value).lower() and "Traceback" not in str(raised.value)


def test_a_page_that_takes_minutes_to_read_is_stopped_at_the_budget():
    """A 9 KB page of 200,000 lines (minutes of pypdf's layout work, which no check can interrupt) is read in a
    worker process that is killed when the budget runs out: the budget's refusal, on time."""
    from embeddings.errors import ArticleTooComplexError

    started = time.monotonic()
    with pytest.raises(ArticleTooComplexError) as raised:
        parse_bytes(slow_page_pdf(200_000), source="slow.pdf", kind="pdf", budget=ParseBudget(2.0))
    assert raised.value.key == "article_too_slow"
    assert time.monotonic() - started < 2.0 + 3.0  # the budget, then killing the worker


def test_a_pdf_over_the_size_limit_is_refused_before_reading():
    """The upload cap applies to PDF bytes too."""
    from embeddings.errors import ArticleTooLargeError

    with pytest.raises(ArticleTooLargeError):
        parse_bytes(report_pdf(), source="r.pdf", kind="pdf", max_bytes=100)
