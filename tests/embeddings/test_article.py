"""Article loading: paragraphs, spans, boilerplate and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from embeddings.article import (
    decode_bytes,
    is_boilerplate,
    kind_for_name,
    load_article,
    parse_html,
    parse_text,
)
from embeddings.errors import (
    ArticleEncodingError,
    ArticleSourceError,
    ArticleTooLargeError,
    BinaryArticleError,
    EmptyArticleError,
    UnsupportedFormatError,
)


def test_seed_paragraphs_are_numbered_in_reading_order(seed_article):
    """The seed article has 9 content paragraphs numbered 1..9."""
    assert [p.number for p in seed_article.paragraphs] == list(range(1, 10))
    assert seed_article.paragraphs[1].text.startswith("Lt. Col. Denys Prokopenko")


def test_paragraph_spans_index_the_loaded_text(seed_article):
    """Every paragraph and sentence span slices its exact text out of the article."""
    for paragraph in seed_article.paragraphs:
        assert seed_article.text[paragraph.start : paragraph.end] == paragraph.text
        for span in paragraph.sentences:
            sentence = seed_article.sentence_text(span)
            assert sentence and sentence == sentence.strip()
            assert paragraph.start <= span.start < span.end <= paragraph.end


def test_also_read_teasers_are_dropped(seed_article):
    """'Also Read: …' lines are not paragraphs."""
    assert not any("Also Read" in p.text for p in seed_article.paragraphs)
    assert "Also Read" in seed_article.text


@pytest.mark.parametrize(
    "line",
    ["Also Read: Russia pounds railroad stations", "READ MORE: something", "Advertisement",
     "Related stories: a, b", "Click here to subscribe"],
)
def test_boilerplate_lines_are_recognised(line):
    """Common page furniture is recognised as boilerplate."""
    assert is_boilerplate(line)


def test_content_mentioning_reading_is_not_boilerplate():
    """A sentence that merely contains 'read' is content."""
    assert not is_boilerplate("Readers also asked the minister about the plan.")


def test_markdown_heading_becomes_title_not_paragraph():
    """A Markdown heading block titles the article and is not quoted."""
    article = parse_text("# The Title\n\nFirst paragraph here.\n\nSecond one.\n", source="a.md")
    assert article.title == "The Title"
    assert [p.text for p in article.paragraphs] == ["First paragraph here.", "Second one."]


def test_one_paragraph_per_line_without_blank_lines():
    """Text with no blank lines and sentence-ending lines is read one paragraph a line."""
    article = parse_text("One sentence here.\nAnother line ends.\nThird one too.\n")
    assert len(article.paragraphs) == 3


def test_crlf_is_normalised_and_spans_still_hold():
    """Windows line endings load with spans into the normalised text."""
    text = decode_bytes(b"First para.\r\n\r\nSecond para.\r\n")
    article = parse_text(text)
    assert [article.text[p.start : p.end] for p in article.paragraphs] == ["First para.", "Second para."]


def test_html_main_text_is_extracted():
    """trafilatura extracts the article body and title from a page."""
    body = "".join(
        f"<p>Paragraph {i} tells how the city council approved the new budget for schools.</p>"
        for i in range(6)
    )
    html = (
        "<html><head><title>Budget news</title></head><body><nav>Home | About</nav>"
        f"<article><h1>Council passes budget</h1>{body}</article><footer>Copyright</footer></body></html>"
    )
    article = parse_html(html, source="page.html")
    assert len(article.paragraphs) == 6
    assert all("budget" in p.text for p in article.paragraphs)
    assert "Home | About" not in article.text


def test_html_without_text_is_empty():
    """A page with no article text raises EmptyArticleError."""
    with pytest.raises(EmptyArticleError):
        parse_html("<html><head><title>t</title></head><body></body></html>")


def test_empty_text_raises():
    """Whitespace-only input is an empty article."""
    with pytest.raises(EmptyArticleError):
        parse_text("  \n\n \t\n")


def test_only_boilerplate_is_empty():
    """An article of nothing but teasers is empty."""
    with pytest.raises(EmptyArticleError):
        parse_text("Also Read: one\n\nAlso Read: two\n")


def test_binary_raises():
    """Bytes with NULs are refused as binary."""
    with pytest.raises(BinaryArticleError):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_non_utf8_raises():
    """Latin-1 bytes are refused with the byte position."""
    with pytest.raises(ArticleEncodingError, match="position 3"):
        decode_bytes("café au lait".encode("latin-1"))


def test_oversized_raises():
    """Input over the byte limit is refused."""
    with pytest.raises(ArticleTooLargeError):
        decode_bytes(b"a" * 101, max_bytes=100)


def test_oversized_file_is_refused_before_reading(tmp_path: Path):
    """load_article checks the size limit on the file."""
    path = tmp_path / "big.txt"
    path.write_text("word " * 100)
    with pytest.raises(ArticleTooLargeError):
        load_article(path, max_bytes=50)


def test_unsupported_suffix_raises():
    """A .pdf is not a supported article type."""
    with pytest.raises(UnsupportedFormatError):
        kind_for_name("report.pdf")


def test_missing_file_raises(tmp_path: Path):
    """A missing file is a clear ArticleSourceError."""
    with pytest.raises(ArticleSourceError):
        load_article(tmp_path / "nope.txt")


def test_content_type_decides_kind():
    """A text/html Content-Type means HTML whatever the name."""
    assert kind_for_name("download", "text/html; charset=utf-8") == "html"
    assert kind_for_name("notes.md") == "text"
