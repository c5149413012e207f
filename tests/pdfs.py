"""PDFs made by the tests: articles written with fpdf2 (a maintained PDF writer; a dev dependency) and raw PDFs
built object by object for the ones no writer makes (bombs, damaged files)."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from fpdf import FPDF

HEADER = "The Skerry Point Gazette - Annual Report"


def article_pdf(pages: Sequence[Sequence[str]], *, title: str | None = None, header: str | None = HEADER,
                page_numbers: bool = True, user_password: str | None = None) -> bytes:
    """A PDF of ``pages``, each a list of paragraphs (a ``\\n`` in one is a line break), with a running header
    and ``Page N of M`` footers; ``user_password``: encrypted, needing that password to open."""

    class Report(FPDF):
        def header(self) -> None:
            if header:
                self.set_font("Helvetica", "I", 8)
                self.cell(0, 8, header, align="C")
                self.ln(12)

        def footer(self) -> None:
            if page_numbers:
                self.set_y(-15)
                self.set_font("Helvetica", "I", 8)
                self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Report()
    if title:
        pdf.set_title(title)
    if user_password is not None:
        pdf.set_encryption(owner_password="owner", user_password=user_password)
    pdf.set_auto_page_break(True, margin=20)
    for paragraphs in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 5.5, paragraph)
            pdf.ln(4)
    return bytes(pdf.output())


def scanned_pdf(pages: int = 2) -> bytes:
    """A PDF of pages that are only pictures (a scan without a text layer)."""
    from PIL import Image, ImageDraw

    pdf = FPDF()
    for number in range(pages):
        image = Image.new("L", (400, 560), 255)
        draw = ImageDraw.Draw(image)
        for row in range(40, 520, 16):  # lines of "print", as pixels
            draw.rectangle((40, row, 360 - (row * 7 + number * 13) % 90, row + 7), fill=0)
        pdf.add_page()
        pdf.image(image, x=10, y=10, w=190)
    return bytes(pdf.output())


def raw_pdf(objects: Sequence[bytes], *, root: int = 1) -> bytes:
    """A PDF of ``objects`` (object ``n`` is ``objects[n - 1]``) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


def _stream(data: bytes, *, compress: bool = True) -> bytes:
    body = zlib.compress(data, 9) if compress else data
    flate = b" /Filter /FlateDecode" if compress else b""
    return b"<< /Length %d%s >>\nstream\n" % (len(body), flate) + body + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _page(contents: int, parent: int = 2, font: int = 4) -> bytes:
    return (b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R"
            b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (parent, contents, font))


def text_stream(text: str) -> bytes:
    """A page content stream writing ``text`` (ASCII) at the top left."""
    return _stream(b"BT /F1 12 Tf 72 720 Td (" + text.encode("ascii") + b") Tj ET")


def many_pages_pdf(pages: int, *, claimed: int | None = None) -> bytes:
    """``pages`` references to one page in a flat page tree whose root claims ``claimed`` pages (default: the
    truth): a page-count bomb a few kilobytes long."""
    kids = b" ".join(b"3 0 R" for _ in range(pages))
    count = pages if claimed is None else claimed
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        _page(5),
        FONT,
        text_stream("One page, many times."),
    ])


def deep_tree_pdf(depth: int) -> bytes:
    """A page tree ``depth`` levels deep holding one page."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):  # objects 2 .. depth+1: /Pages nodes, each the only kid of the one above
        number = 2 + level
        parent = b" /Parent %d 0 R" % (number - 1) if level else b""
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1%s >>" % (number + 1, parent))
    page = len(objects) + 1
    objects.append(_page(page + 2, parent=page - 1, font=page + 1))
    objects += [FONT, text_stream("A page at the bottom of a deep tree.")]
    return raw_pdf(objects)


def nested_objects_pdf(depth: int) -> bytes:
    """One page whose resources hold an array nested ``depth`` deep."""
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R"
        b" /Resources << /Font << /F1 4 0 R >> /Nest " + b"[" * depth + b"]" * depth + b" >> >>",
        FONT,
        text_stream("A page with deep resources."),
    ])


def zip_bomb_pdf(unpacked: int) -> bytes:
    """One page whose content stream is ``unpacked`` bytes of spaces, deflated (about a thousandth the size)."""
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _page(5),
        FONT,
        _stream(b"BT /F1 12 Tf 72 720 Td (Bomb) Tj ET" + b" " * unpacked),
    ])


# A three-page report: two paragraphs a page, a word hyphenated at a line break on page 1, a paragraph that
# carries on from page 2 to page 3, the running header and "Page N of 3" footers of article_pdf.
REPORT_PAGES = (
    (
        "The Skerry Point harbour board met on Monday to review a year of storms, repairs and record catches. "
        "The board heard reports from the fishermen's cooperative and from the coastguard station.",
        "Storms in January damaged the outer breakwater in three places. Engineers from the county coun-\n"
        "cil inspected the damage in February and recommended repairs before the autumn gales.",
    ),
    (
        "The new lighthouse keeper is Mara Quill, who moved to the island from Aberdeen in March. She replaced "
        "Tom Hale, who retired after thirty-one years at the light.",
        "The cooperative landed 4,200 tonnes of herring, the largest catch since 1987, and prices at the Tuesday "
        "auction rose by a fifth over the season while the",
    ),
    (
        "new cold store on the east quay kept the fish fresh for buyers from the mainland. The store cost the "
        "cooperative ninety thousand pounds.",
        "The coastguard answered forty-two calls, most of them from pleasure boats caught by the tide near the "
        "reef. Two crews were honoured for a night rescue in October.",
    ),
)
REPORT_TITLE = "Skerry Point harbour board: the year in review"
KEEPER = "The new lighthouse keeper is Mara Quill, who moved to the island from Aberdeen in March."


def report_pdf(**options) -> bytes:
    """The three-page report as a PDF (``options``: article_pdf's)."""
    return article_pdf(REPORT_PAGES, title=REPORT_TITLE, **options)


def slow_page_pdf(lines: int) -> bytes:
    """One page of ``lines`` two-letter lines, each set 14 points below the last: a few kilobytes whose layout
    takes pypdf minutes (200,000 lines: over 5 minutes here)."""
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _page(5),
        FONT,
        _stream(b"BT /F1 12 Tf 72 720 Td " + b"(ab) Tj 0 -14 Td " * lines + b" ET"),
    ])
