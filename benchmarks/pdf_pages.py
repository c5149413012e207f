"""PDF parse time per page: a report of the seed article's prose written with fpdf2 (running header, page
numbers), parsed by ``parse_bytes(kind="pdf")`` (pypdf's layout text, paragraphs from the layout, sentences)
up to the article, not indexing. The issue's figure is for 200 pages."""

from __future__ import annotations

import resource
import statistics
import time

from embeddings.text import default_article_path, parse_bytes

PAGES = 200
TINY_PAGES = 5


def report_pdf(pages: int) -> bytes:
    """A ``pages``-page PDF of the seed article's paragraphs, over and over (fpdf2, a dev dependency)."""
    from fpdf import FPDF

    seed = default_article_path().read_text(encoding="utf-8")
    paragraphs = [" ".join(p.split()).encode("latin-1", "replace").decode("latin-1")
                  for p in seed.split("\n\n") if p.strip()]

    class Report(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", "I", 8)
            self.cell(0, 8, "The Daily Example - Benchmark report", align="C")
            self.ln(12)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", "I", 8)
            self.cell(0, 10, f"Page {self.page_no()}", align="C")

    pdf = Report()
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    index = 0
    while True:
        pdf.multi_cell(0, 5.5, paragraphs[index % len(paragraphs)])
        pdf.ln(4)
        index += 1
        if pdf.page_no() == pages and pdf.get_y() > pdf.h - 60:  # the last page filled, no new one begun
            break
    return bytes(pdf.output())


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the PDF worker processes)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run(pages: int = PAGES, runs: int = 3) -> dict:
    """Milliseconds per page (median of ``runs`` parses) of a ``pages``-page PDF, wall-clock and CPU (this
    process and the PDF worker: steadier on a shared machine), with its size and paragraphs."""
    data = report_pdf(pages)
    seconds, cpu = [], []
    article = None
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), _cpu()
        article = parse_bytes(data, source=f"bench-{pages}.pdf", kind="pdf", max_bytes=len(data) + 1)
        seconds.append(time.perf_counter() - started)
        cpu.append(_cpu() - started_cpu)
    assert article is not None
    found = max(p.page or 0 for p in article.paragraphs)
    median = statistics.median(seconds)
    return {"pages": found, "bytes": len(data), "paragraphs": len(article.paragraphs), "runs": runs,
            "parse_s": round(median, 3), "ms_per_page": round(1000 * median / found, 2),
            "cpu_ms_per_page": round(1000 * statistics.median(cpu) / found, 2)}


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
