"""The catalogs: every message the code and templates hold is translated to Simplified Chinese, and no
translation loses or adds a placeholder (a lost %(name)s drops the name; an added one is a 500)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "eventhub/translations/zh_Hans/LC_MESSAGES/messages.po"
# %(name)s, %s, %d, %%; {name} and {0} (str.format and JavaScript templates).
PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sdif]|%[sdif]|\{[A-Za-z_0-9]\w*\}")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages in the sources today, extracted the way `make translations` does."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
                    "-k", "lazy_gettext", "-k", "_l", "--no-location", "-o", str(pot), "."],
                   cwd=ROOT, check=True)
    with pot.open("rb") as f:
        return [m for m in read_po(f) if m.id]


@pytest.fixture(scope="module")
def chinese():
    with CATALOG.open("rb") as f:
        return read_po(f, locale="zh_Hans")


def _key(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def test_every_message_in_the_sources_has_a_chinese_translation(extracted, chinese):
    missing = []
    for message in extracted:
        translated = chinese.get(message.id)
        strings = translated.string if translated else None
        strings = strings if isinstance(strings, tuple) else (strings,)
        if translated is None or not all(strings) or translated.fuzzy:
            missing.append(_key(message))
    assert not missing, f"{len(missing)} messages lack a zh_Hans translation (run `make translations`, " \
                        f"then translate them): {missing[:40]}"


def test_translations_keep_every_placeholder(chinese):
    wrong = []
    for message in chinese:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        # Chinese has one plural form: it must hold what the plural English form holds.
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if string and sorted(PLACEHOLDER.findall(string)) != wanted:
                wrong.append((_key(message), string))
    assert not wrong, wrong[:20]


def test_the_catalog_declares_chinese_plural_rules(chinese):
    assert chinese.plural_forms == "nplurals=1; plural=0;"
