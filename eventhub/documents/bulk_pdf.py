"""Drawing a long PDF on several cores: the HTML is cut into chunks of whole pages, each chunk is
drawn by WeasyPrint in a forked process, and the parts are joined in order (pypdf).

WeasyPrint's layout is single-threaded and costs tens of milliseconds per certificate, so 500 of
them keep one core busy for about 20 s; two cores halve it. The children only turn an HTML string
into PDF bytes: they touch no database connection (a forked child leaves through os._exit, so the
parent's connections are never closed from it) and return plain bytes. Where fork is unavailable,
or there is one core, or the document is short, the pages are drawn in this process.
"""

from __future__ import annotations

import io
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from eventhub.attendance.pdf import html_to_pdf

MIN_PAGES_PER_PROCESS = 100
MAX_PROCESSES = 4


def processes_for(pages: int) -> int:
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_PROCESSES, pages // MIN_PAGES_PER_PROCESS))


def _draw(args: tuple[str, str]) -> bytes:
    html, base_dir = args
    return html_to_pdf(html, base_dir=Path(base_dir))


def draw_in_parts(htmls: list[str], base_dir: Path) -> bytes:
    """One PDF of the documents `htmls` (each a chunk of whole pages), in their order."""
    if len(htmls) == 1:
        return html_to_pdf(htmls[0], base_dir=base_dir)
    import weasyprint  # noqa: F401  (loaded once here, not again in every child)
    with ProcessPoolExecutor(max_workers=len(htmls), mp_context=multiprocessing.get_context("fork")) as pool:
        parts = list(pool.map(_draw, [(html, str(base_dir)) for html in htmls]))
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
