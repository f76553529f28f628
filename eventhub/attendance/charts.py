"""Server-side SVG charts: they print, go into the PDF and need no JavaScript.

Only presentation attributes are used (no style attributes), so the pages' Content-Security-Policy
holds. Each chart is an <svg role="img"> with a <title> and <desc>; the table beside it carries
the same figures for screen readers and for copying.
"""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

from eventhub.formatting import day_label

WIDTH = 420  # narrow on purpose: the text stays legible on a phone and in half a page
LABEL_W = 165
VALUE_W = 44
FONT = "Noto Sans, Noto Sans CJK SC, Khmer OS, DejaVu Sans, sans-serif"
INK = "#1c2430"
MUTED = "#5b6675"
GRID = "#d8dee6"
_ids = itertools.count(1)

REGISTERED = "#9dbbdc"
APPROVED = "#5b8fc7"
ATTENDED = "#0b5394"
SEX_COLOURS = {"female": "#a23b72", "male": "#2e6da4", "another": "#6b8e23", "undisclosed": "#9aa6b4"}


@dataclass
class Series:
    name: str
    colour: str
    values: list[float]


def _text(x: float, y: float, text: str, *, size: int = 12, anchor: str = "start", fill: str = INK,
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" fill="{fill}" '
            f'font-weight="{weight}" text-anchor="{anchor}">{escape(text)}</text>')


def _text_width(text: str, size: float) -> float:
    """A generous estimate of the drawn width of `text` (no font metrics on the server): wide (CJK)
    characters a full em, capitals and wide letters more than lower case."""
    width = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 1.0
        elif ch in "MWmw@%":
            width += 0.9
        elif ch.isupper() or ch.isdigit():
            width += 0.7
        elif ch in "ijlrtf.,:;'|!() ":
            width += 0.36
        else:
            width += 0.6
    return width * size


def _fit(label: str, max_width: float, size: float = 12) -> str:
    """The label, cut with an ellipsis so that it fits `max_width` pixels."""
    if _text_width(label, size) <= max_width:
        return label
    cut = label
    while cut and _text_width(cut.rstrip() + "…", size) > max_width:
        cut = cut[:-1]
    return cut.rstrip() + "…"


def _label(x: float, y: float, label: str, max_width: float, *, size: int = 12) -> str:
    """A right-aligned category label that never runs past the chart's left edge; the full label is its
    tooltip (<title>) and stays in the chart's <desc> and the table beside it."""
    shown = _fit(label, max_width, size)
    text = _text(x, y, shown, anchor="end", size=size)
    return f"<g><title>{escape(label)}</title>{text}</g>"


def _fmt(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.0f}%"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def bar_chart(title: str, labels: list[str], series: list[Series], *, percent: bool = False,
              max_value: float | None = None, label_w: int = LABEL_W) -> Markup:
    """Horizontal grouped bars: one group per label, one bar per series, with a legend."""
    bar_h = 13
    gap = 9
    group_h = bar_h * len(series) + gap
    legend_h = 26
    height = legend_h + max(len(labels), 1) * group_h + 8
    top = max([max_value or 0] + [v for s in series for v in s.values] + [1 if not percent else 0.01])
    span = WIDTH - label_w - VALUE_W
    cid = f"chart-{next(_ids)}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
             f'width="100%" role="img" aria-labelledby="{cid}">',
             f'<title id="{cid}">{escape(title)}</title>',
             f"<desc>{escape(_describe(labels, series, percent))}</desc>"]
    x = label_w
    for s in series:  # legend
        parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{s.colour}"/>')
        parts.append(_text(x + 16, 16, s.name, size=12, fill=MUTED))
        x += 24 + _text_width(s.name, 12)
    if not labels:
        parts.append(_text(label_w, legend_h + 14, _("No data yet"), fill=MUTED))
    for i, label in enumerate(labels):
        y0 = legend_h + i * group_h
        parts.append(_label(label_w - 8, y0 + group_h / 2 + 1, label, label_w - 12))
        for j, s in enumerate(series):
            value = s.values[i] if i < len(s.values) else 0
            w = 0 if top == 0 else max(span * value / top, 0)
            y = y0 + j * bar_h
            parts.append(f'<rect x="{label_w}" y="{y:.1f}" width="{w:.1f}" height="{bar_h - 2}" fill="{s.colour}"/>')
            parts.append(_text(label_w + w + 4, y + bar_h - 3, _fmt(value, percent), size=11, fill=MUTED))
    parts.append(f'<line x1="{label_w}" y1="{legend_h - 2}" x2="{label_w}" y2="{height - 4}" stroke="{GRID}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def share_bar(title: str, parts_: list[tuple[str, float, str]]) -> Markup:
    """One 100% bar split into parts (label, value, colour), with a legend of counts and shares."""
    total = sum(v for _, v, _ in parts_)
    height = 44 + 20 * ((len(parts_) + 1) // 2)
    cid = f"chart-{next(_ids)}"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
           f'role="img" aria-labelledby="{cid}">',
           f'<title id="{cid}">{escape(title)}</title>',
           "<desc>" + escape("; ".join(f"{label}: {value:,.0f}" for label, value, _ in parts_)) + "</desc>"]
    x = 0.0
    if total == 0:
        out.append(f'<rect x="0" y="4" width="{WIDTH}" height="24" fill="{GRID}"/>')
        out.append(_text(8, 21, _("No data yet"), fill=MUTED))
    for _label, value, colour in parts_:
        if not total or not value:
            continue
        w = WIDTH * value / total
        out.append(f'<rect x="{x:.1f}" y="4" width="{w:.1f}" height="24" fill="{colour}"/>')
        if w > 44:
            out.append(_text(x + w / 2, 21, f"{value / total * 100:.0f}%", anchor="middle", fill="#ffffff",
                             weight="bold"))
        x += w
    for i, (label, value, colour) in enumerate(parts_):
        lx = (i % 2) * (WIDTH / 2)
        ly = 40 + (i // 2) * 20
        share = f" ({value / total * 100:.0f}%)" if total else ""
        out.append(f'<rect x="{lx:.1f}" y="{ly}" width="12" height="12" fill="{colour}"/>')
        out.append(_text(lx + 18, ly + 11, f"{label}: {value:,.0f}{share}", fill=INK))
    out.append("</svg>")
    return Markup("".join(out))


def _describe(labels: list[str], series: list[Series], percent: bool) -> str:
    rows = []
    for i, label in enumerate(labels):
        values = ", ".join(f"{s.name} {_fmt(s.values[i], percent)}" for s in series if i < len(s.values))
        rows.append(f"{label}: {values}")
    return "; ".join(rows)


# --- The summary's charts ------------------------------------------------------------------------

def summary_charts(summary) -> dict[str, Markup]:
    economies = summary.by_economy
    expected, label = summary.expected, summary.expected_label
    attended = _("Attended")
    # Whole titles for either figure (registered or, session-scoped, booked): never glued from pieces.
    if summary.session_scoped:
        titles = (_("Booked and attended by economy"), _("Booked and attended by category"),
                  _("Booked and attended by funding"))
    else:
        titles = (_("Registered and attended by economy"), _("Registered and attended by category"),
                  _("Registered and attended by funding"))
    charts = {
        "economy": bar_chart(
            titles[0], [r.label for r in economies],
            [Series(label, REGISTERED, [expected(r) for r in economies]),
             Series(attended, ATTENDED, [r.attended for r in economies])], label_w=190),
        "sex": share_bar(
            _("Attendees by sex"), [(r.label, r.attended, SEX_COLOURS.get(r.key, MUTED)) for r in summary.by_sex]),
        "category": bar_chart(
            titles[1], [r.label for r in summary.by_category],
            [Series(label, REGISTERED, [expected(r) for r in summary.by_category]),
             Series(attended, ATTENDED, [r.attended for r in summary.by_category])]),
        "funding": bar_chart(
            titles[2], [r.label for r in summary.by_funding],
            [Series(label, REGISTERED, [expected(r) for r in summary.by_funding]),
             Series(attended, ATTENDED, [r.attended for r in summary.by_funding])]),
        "day": bar_chart(
            _("Attendance per day"), [day_label(d.day, "short") for d in summary.per_day],
            [Series(attended, ATTENDED, [d.attended for d in summary.per_day]),
             Series(_("Women"), SEX_COLOURS["female"], [d.women for d in summary.per_day])]),
        "session": bar_chart(
            _("Fill rate per session (attended ÷ capacity)"),
            [r.title for r in summary.per_session if r.capacity],
            [Series(_("Fill rate"), ATTENDED, [r.fill_rate or 0 for r in summary.per_session if r.capacity])],
            percent=True, max_value=1.0, label_w=215),
    }
    return charts
