"""HTML to PDF through WeasyPrint, for the badges and the attendance summary.

WeasyPrint logs its progress ("Step 4 - Creating formatting structure") and fontTools its subsetting
at INFO: one PDF would write dozens of lines to the server log. Their loggers are set to WARNING
here, so the log keeps only what someone must act on (a missing image, an unreadable font).
"""

from __future__ import annotations

import logging
from pathlib import Path

from markupsafe import Markup

QUIET_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools", "fontTools.subset", "fontTools.ttLib")


def quiet_pdf_loggers() -> None:
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


quiet_pdf_loggers()


def page_counter_css(text: str) -> Markup:
    """A CSS `content` value for a page's margin box: `text` with "{page}" and "{pages}" where the
    page counters go, e.g. text from _("… page %(page)s of %(pages)s", page="{page}", pages="{pages}").
    Quotes and backslashes (none in our messages) are dropped: they would end the CSS string."""
    text = text.replace("\\", "").replace('"', "")
    text = text.replace("{pages}", '" counter(pages) "').replace("{page}", '" counter(page) "')
    return Markup(f'"{text}"')


def html_to_pdf(html: str, *, base_dir: Path) -> bytes:
    """The PDF of `html`; relative URLs (the fonts' stylesheet ``fonts/fonts.css``) resolve in `base_dir`."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(base_dir) + "/").write_pdf()
