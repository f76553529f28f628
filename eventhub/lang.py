"""The language of a name in a local script, for the `lang` attribute wherever names are shown.

Screen readers pick a voice by `lang`, and browsers pick fonts by it (a Japanese name set in a
Chinese font shows different glyphs). The person's economy decides where it is known and the
script is ambiguous (Han characters: Japanese, or Chinese in simplified or traditional form);
otherwise the script itself does.
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup

# The language of names in a local script, by economy code, where the script alone does not say.
ECONOMY_LANGUAGE = {"JPN": "ja", "PRC": "zh-Hans", "SGP": "zh-Hans", "MAS": "zh-Hans", "HKC": "zh-Hant",
                    "CT": "zh-Hant", "MAC": "zh-Hant", "ROK": "ko", "THA": "th", "KHM": "km", "LAO": "lo",
                    "VN": "vi"}

# (first, last code point, language) of the scripts names come in.
_SCRIPTS = (
    (0x3040, 0x30FF, "ja"),  # hiragana, katakana: Japanese, whatever else the name holds
    (0xAC00, 0xD7AF, "ko"), (0x1100, 0x11FF, "ko"), (0x3130, 0x318F, "ko"),  # hangul
    (0x0E00, 0x0E7F, "th"),
    (0x1780, 0x17FF, "km"), (0x19E0, 0x19FF, "km"),
    (0x0E80, 0x0EFF, "lo"),
    (0x1000, 0x109F, "my"),
    (0x0400, 0x04FF, "ru"),
    (0x1EA0, 0x1EF9, "vi"),  # Latin letters with the stacked marks only Vietnamese uses
)
_HAN = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF), (0x20000, 0x2FA1F))
_VIETNAMESE_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ")


def _code(economy) -> str:
    """An economy's code from an Economy, a code, or a reference-data name ("Japan")."""
    if economy is None or isinstance(economy, int):
        return ""
    value = getattr(economy, "code", economy) or ""
    if value.upper() in ECONOMY_LANGUAGE:
        return value.upper()
    return _codes_by_name().get(value, "")


@lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, str]:
    from eventhub.economies.data import MEMBERS, OTHERS

    return {name: code for code, name, *_ in (*MEMBERS, *OTHERS)}


def script_lang(text: str | None, economy=None) -> str:
    """The BCP 47 tag for a name in a local script ("ja", "zh-Hant", "th", …); "" for Latin names
    (and anything not recognised), which need no tag of their own.

    `economy` is the person's economy (an Economy or its code), when known.
    """
    if not text:
        return ""
    known = ECONOMY_LANGUAGE.get(_code(economy), "")
    han = False
    for ch in text:
        point = ord(ch)
        for first, last, lang in _SCRIPTS:
            if first <= point <= last:
                return known if lang == "vi" and known == "vi" else lang
        if any(first <= point <= last for first, last in _HAN):
            han = True
        elif ch in _VIETNAMESE_LETTERS:
            return "vi"
    if han:
        return known if known.startswith(("zh", "ja")) else "zh"
    return ""


def lang_attr(text: str | None, economy=None) -> Markup:
    """` lang="…"` for a name in a local script, or nothing: `<span{{ name|lang_attr(economy) }}>`."""
    lang = script_lang(text, economy)
    return Markup(f' lang="{lang}"') if lang else Markup("")
