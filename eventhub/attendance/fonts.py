"""The fonts the PDFs (badges, attendance summary) print with, and which characters of a name none covers.

Shipped with the project under ``static/fonts/`` (SIL Open Font License 1.1, ``static/fonts/OFL.txt``),
regular and bold, and loaded by ``@font-face`` from ``static/fonts/fonts.css``, so what prints never
depends on what the server happens to have:

- Noto Sans — Latin (Vietnamese included), Greek, Cyrillic;
- Noto Sans Khmer and Noto Sans Thai.

Not shipped: Noto Sans CJK (Chinese, Japanese, Korean), about 19 MB per weight. It comes from the
Debian package ``fonts-noto-cjk``, which ``make run`` and ``.ci/run`` install; `check_fonts()` runs when
the app starts and logs a warning when it is missing.

A name with a character that neither the shipped fonts nor the system's CJK font covers would print as
an empty box: `uncovered()` finds such characters, `name_gaps()` the people concerned (the badges PDF
lists them on a note page in front), and `warn_uncovered()` logs the characters once per process.
The badges page shows what `check_fonts()` found missing.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
SHIPPED = (
    "NotoSans-Regular.ttf", "NotoSans-Bold.ttf",
    "NotoSansKhmer-Regular.ttf", "NotoSansKhmer-Bold.ttf",
    "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf",
)
CJK_FAMILY = "Noto Sans CJK SC"  # one family of the fonts-noto-cjk collection; all of them cover the same
CJK_PACKAGE = "fonts-noto-cjk"
_warned: set[str] = set()


@dataclass(frozen=True)
class NameGap:
    """A person whose name has characters no font covers: they would print as empty boxes."""

    registration_id: int
    name: str
    characters: str  # the characters concerned, each once, in order

    @property
    def code_points(self) -> str:
        return ", ".join(f"U+{ord(c):04X}" for c in self.characters)


def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() in (".ttc", ".otc"):
        fonts = TTCollection(str(path), lazy=True).fonts[:1]
    else:
        fonts = [TTFont(str(path), lazy=True)]
    return frozenset().union(*(f.getBestCmap() or {} for f in fonts))


@functools.cache
def shipped_codepoints() -> frozenset[int]:
    """Every character one of the shipped fonts draws."""
    return frozenset().union(*(_cmap(FONT_DIR / name) for name in SHIPPED if (FONT_DIR / name).exists()))


def system_font_file(family: str) -> Path | None:
    """The file of a font family installed on the system (through fontconfig), or None."""
    if shutil.which("fc-list") is None:
        return None
    try:
        out = subprocess.run(["fc-list", "-f", "%{file}\n", family], capture_output=True, text=True, timeout=10,
                             check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted({Path(line) for line in out.splitlines() if line.strip()}, key=lambda p: "Regular" not in p.name)
    return files[0] if files else None


@functools.cache
def cjk_codepoints() -> frozenset[int]:
    """Every character the system's Noto Sans CJK draws (empty when it is not installed)."""
    path = system_font_file(CJK_FAMILY)
    return _cmap(path) if path else frozenset()


def _needs_glyph(ch: str) -> bool:
    # Spaces, controls and invisible format characters (ZWJ, ZWNJ, direction marks) draw nothing.
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Zs", "Zl", "Zp")


def uncovered(text: str | None) -> str:
    """The characters of `text` that no font covers, each once, in order ("" when all print)."""
    if not text:
        return ""
    shipped = shipped_codepoints()
    missing = [ch for ch in dict.fromkeys(text) if _needs_glyph(ch) and ord(ch) not in shipped]
    if missing:
        cjk = cjk_codepoints()
        missing = [ch for ch in missing if ord(ch) not in cjk]
    return "".join(missing)


def name_gaps(registrations) -> list[NameGap]:
    """The registrations whose printed names (Latin or local script) have characters no font covers."""
    gaps = []
    for reg in registrations:
        chars = uncovered(f"{reg.badge_name} {reg.name_local or ''} {reg.organisation or ''}")
        if chars:
            gaps.append(NameGap(reg.id, reg.badge_name + (f" ({reg.name_local})" if reg.name_local else ""), chars))
    return gaps


def warn_uncovered(gaps: list[NameGap]) -> None:
    """Log, once per process and character, the characters that print as empty boxes (no names: no
    personal data in logs)."""
    new = "".join(dict.fromkeys(c for gap in gaps for c in gap.characters if c not in _warned))
    if not new:
        return
    _warned.update(new)
    log.warning("PDF: no font covers %s; these characters may print as empty boxes on badges and reports. "
                "Add an open-licence font that covers them to static/fonts/ (see its README).",
                ", ".join(f"U+{ord(c):04X}" for c in new))


@functools.cache
def missing_fonts() -> tuple[tuple[str, ...], bool]:
    """The shipped font files that are missing, and whether the system lacks Noto Sans CJK (read once)."""
    return tuple(name for name in SHIPPED if not (FONT_DIR / name).exists()), system_font_file(CJK_FAMILY) is None


@functools.cache
def check_fonts() -> list[str]:
    """Once per process (at start-up): the shipped fonts are there, and the system has Noto Sans CJK.
    Returns the problems found (in English, for the log), each also logged as a warning."""
    files, no_cjk = missing_fonts()
    problems = [f"the font file static/fonts/{name} is missing: names in its script print as empty boxes"
                for name in files]
    if no_cjk:
        problems.append(f"the font {CJK_FAMILY} is not installed: Chinese, Japanese and Korean names on badges "
                        f"and reports print as empty boxes. Install the Debian package {CJK_PACKAGE} "
                        f"(`make run` does this when it can)")
    for problem in problems:
        log.warning("PDF fonts: %s.", problem)
    return problems
