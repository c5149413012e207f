"""Article loading: paragraphs, spans, boilerplate and bad input."""

from __future__ import annotations

import textwrap
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import embeddings.text.article as article_module
from embeddings.errors import (
    ArticleEncodingError,
    ArticleError,
    ArticleSourceError,
    ArticleTooComplexError,
    ArticleTooLargeError,
    BinaryArticleError,
    EmptyArticleError,
    LoadCancelledError,
    NotAnArticleError,
    UnsupportedFormatError,
)
from embeddings.text.article import (
    ArticleRequirements,
    check_article,
    decode_bytes,
    default_article_path,
    kind_for_name,
    load_article,
    parse_bytes,
    parse_html,
    parse_text,
)
from embeddings.text.blocks import MAX_PARAGRAPH_CHARS, is_boilerplate
from embeddings.text.budget import ParseBudget


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


def test_a_nul_past_the_first_64_kib_is_refused_too():
    """A NUL anywhere is refused (the store's PostgreSQL text cannot hold one), not only near the start."""
    with pytest.raises(BinaryArticleError):
        decode_bytes(("Plain prose sentence here. " * 4000).encode() + b"\x00 and more.")


def test_a_bom_before_bytes_in_another_encoding_raises():
    """A UTF-8 byte-order mark before Latin-1 bytes is refused as not UTF-8 (tests/embeddings/text/test_encodings.py
    has the encodings that load)."""
    with pytest.raises(ArticleEncodingError, match="not valid UTF-8"):
        decode_bytes(b"\xef\xbb\xbf" + "café au lait".encode("latin-1"))


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
    """A .docx is not a supported article type."""
    with pytest.raises(UnsupportedFormatError):
        kind_for_name("report.docx")


def test_pdf_is_a_kind_by_name_or_content_type():
    """A .pdf name or an application/pdf Content-Type is a PDF."""
    assert kind_for_name("report.pdf") == "pdf"
    assert kind_for_name("download", "application/pdf") == "pdf"


def test_missing_file_raises(tmp_path: Path):
    """A missing file is a clear ArticleSourceError."""
    with pytest.raises(ArticleSourceError):
        load_article(tmp_path / "nope.txt")


def test_content_type_decides_kind():
    """A text/html Content-Type means HTML whatever the name."""
    assert kind_for_name("download", "text/html; charset=utf-8") == "html"
    assert kind_for_name("notes.md") == "text"


SEED_PROSE = " ".join(
    p.strip() for p in default_article_path().read_text(encoding="utf-8").split("\n\n")
    if p.strip() and not p.startswith("Also Read")
)


def assert_exact_spans(article) -> None:
    """Every paragraph and sentence span slices its own trimmed text out of the article."""
    for paragraph in article.paragraphs:
        assert article.text[paragraph.start : paragraph.end] == paragraph.text
        assert paragraph.text and paragraph.text == paragraph.text.strip()
        for span in paragraph.sentences:
            sentence = article.sentence_text(span)
            assert sentence and sentence == sentence.strip()
            assert paragraph.start <= span.start < span.end <= paragraph.end


def test_hard_wrapped_text_without_blank_lines_keeps_its_paragraphs():
    """Text wrapped at 60 columns with no blank lines splits where a short line ends a sentence."""
    paragraphs = [SEED_PROSE[:400].rsplit(". ", 1)[0] + ".", SEED_PROSE[600:1000].rsplit(". ", 1)[0] + "."]
    text = "\n".join(textwrap.fill(p, 60) for p in paragraphs) + "\n"
    article = parse_text(text)
    assert [" ".join(p.text.split()) for p in article.paragraphs] == paragraphs
    assert_exact_spans(article)


def test_an_over_long_block_is_cut_into_paragraphs_at_sentence_ends():
    """One 25 k-character line becomes several paragraphs of at most MAX_PARAGRAPH_CHARS, each ending a sentence."""
    text = (SEED_PROSE + " ") * (25_000 // len(SEED_PROSE) + 1)
    article = parse_text(text)
    assert len(article.paragraphs) > 1
    assert all(len(p.text) <= MAX_PARAGRAPH_CHARS for p in article.paragraphs)
    assert all(p.text[-1] in ".”\"" for p in article.paragraphs[:-1])
    assert_exact_spans(article)


def test_a_very_large_article_is_split_by_rules(monkeypatch):
    """Past PYSBD_MAX_CHARS the sentence rules alone are used (pysbd would take minutes)."""
    import embeddings.text.sentences as sentences

    monkeypatch.setattr(article_module, "PYSBD_MAX_CHARS", 1_000)
    monkeypatch.setattr(sentences, "_segmenter", lambda: pytest.fail("pysbd was called"))
    article = parse_text(SEED_PROSE)
    assert sum(len(p.sentences) for p in article.paragraphs) > 5
    assert_exact_spans(article)


@pytest.mark.parametrize(("limit", "text"), [("MAX_PARAGRAPHS", "One.\n\nTwo.\n\nThree.\n\nFour.\n"),
                                            ("MAX_SENTENCES", "One. Two. Three. Four.\n")])
def test_too_many_paragraphs_or_sentences_is_a_clear_error(monkeypatch, limit, text):
    """Past MAX_PARAGRAPHS paragraphs or MAX_SENTENCES sentences, the text is refused (it is not an article,
    and would take hours to embed)."""
    monkeypatch.setattr(article_module, limit, 3)
    with pytest.raises(ArticleTooComplexError, match="3"):
        parse_text(text)


def test_parsing_past_its_budget_is_a_clear_error():
    """A parse whose time budget runs out stops with ArticleTooComplexError, which says what to do."""
    clock = iter([0.0] + [100.0] * 1000)
    with pytest.raises(ArticleTooComplexError, match="smaller files"):
        parse_text(SEED_PROSE, budget=ParseBudget(30, clock=lambda: next(clock)))


def test_a_stopped_parse_gives_up():
    """Setting the budget's stop event (shutdown) makes parsing stop with LoadCancelledError."""
    stop = threading.Event()
    stop.set()
    with pytest.raises(LoadCancelledError):
        parse_bytes(SEED_PROSE.encode(), source="x", kind="text", budget=ParseBudget(stop=stop))


def test_a_device_is_read_only_up_to_the_limit():
    """/dev/zero (no size, no end) is refused after max_bytes + 1 bytes, not read until memory runs out."""
    with pytest.raises(ArticleTooLargeError):
        load_article("/dev/zero", max_bytes=1_000)


@pytest.mark.parametrize("name", ["parent-is-a-file", "too-long"])
def test_unreadable_paths_are_source_errors(tmp_path: Path, name):
    """A path through a file and a name too long for the file system are clear ArticleSourceErrors."""
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    path = blocker / "article.txt" if name == "parent-is-a-file" else tmp_path / ("a" * 300 + ".txt")
    with pytest.raises(ArticleSourceError, match="Cannot read"):
        load_article(path)


@pytest.mark.parametrize(
    "text",
    [
        "Home\nNews\nSport\nWeather\nContact us\n",
        "Page not found. Sorry, the page you are looking for does not exist. Return to the home page.\n",
        "We value your privacy. We and our partners use cookies to store and access information on your device. "
        "By clicking Accept you consent to our use of cookies. You can change your choices at any time in "
        "the privacy settings. Accept all cookies. Reject all. Manage cookie preferences and consent options.\n",
    ],
)
def test_pages_without_an_article_are_refused(text):
    """Navigation, a soft 404 and a cookie wall are refused as NotAnArticleError."""
    article = parse_text(text)
    with pytest.raises(NotAnArticleError):
        check_article(article, ArticleRequirements())


def test_a_real_article_meets_the_requirements(seed_article):
    """The seed article passes; with both minimums at 0 any text passes."""
    check_article(seed_article, ArticleRequirements())
    check_article(parse_text("Home\nNews\n"), ArticleRequirements(0, 0))
    with pytest.raises(NotAnArticleError, match="2000 words"):
        check_article(seed_article, ArticleRequirements(min_words=2000))


_PIECES = st.sampled_from(
    ["Mr.", "Lt. Col.", "U.S.", "J.", "word", "Word", "...", "!", "?", "“", "”", '"', "'", "(", ")", "# ", "- ", "1. ",
     " ", "  ", "\n", "\n\n", "\t", "\r\n", "\x0b", "é", "🙂", "\u200b", "<p>", "</p>", "Also Read: x", ",", " . "]
)
_TEXTS = st.one_of(st.text(max_size=400), st.lists(_PIECES, max_size=120).map("".join))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(_TEXTS.map(lambda t: t.encode("utf-8")), st.binary(max_size=300)),
       kind=st.sampled_from(["text", "html"]))
def test_fuzz_the_loader_raises_only_article_errors_and_spans_stay_exact(data, kind):
    """Whatever the bytes, loading either raises an ArticleError or gives spans that slice their text exactly."""
    try:
        article = parse_bytes(data, source="fuzz", kind=kind)
    except ArticleError:
        return
    assert_exact_spans(article)
