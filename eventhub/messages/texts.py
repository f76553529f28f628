"""Texts that organizers write — announcements, reminders, per-event notification texts.

They are Jinja templates with a few named placeholders ({{ first_name }}, {{ programme_url }} …),
rendered in Jinja's immutable sandbox with StrictUndefined: a template can read only the values it is
given, cannot call methods that change them, cannot reach configuration or Python internals, and an
unknown placeholder is an error. `check` runs the template once against sample values, so a broken
text is refused when the organizer saves it (with the line), never when the mail is built.

The body is plain text with light formatting (paragraphs, "- " lists, **bold**, links), rendered to
the HTML part with markdown-it-py with raw HTML switched off: an organizer cannot inject markup.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markdown_it import MarkdownIt

_ENV = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
# "js-default" is CommonMark with raw HTML off; linkify is not in it, so links are written <https://…>
# or [text](https://…), and bare URLs are turned into links by mail clients themselves.
_MARKDOWN = MarkdownIt("js-default", {"breaks": True})


class TemplateInvalid(ValueError):
    """A text that cannot be used: `message` says why, `line` (1-based) where, when known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def _line_of(exc: BaseException) -> int | None:
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return lineno
    tb = exc.__traceback__
    found = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            found = tb.tb_lineno
        tb = tb.tb_next
    return found


@functools.lru_cache(maxsize=256)
def _compiled(source: str):
    # The same text is rendered once per recipient (an announcement to 5,000): compile it once per
    # process. A text that does not compile raises, and lru_cache keeps no entry for it.
    return _ENV.from_string(source)


def render(source: str, values: Mapping[str, object]) -> str:
    """The text with its placeholders filled in. Raises TemplateInvalid."""
    try:
        return _compiled(source).render(dict(values))
    except TemplateSyntaxError as exc:
        raise TemplateInvalid(exc.message or str(exc), exc.lineno) from None
    except TemplateError as exc:  # undefined placeholder, sandbox SecurityError
        raise TemplateInvalid(str(exc), _line_of(exc)) from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
        raise TemplateInvalid(str(exc), _line_of(exc)) from None


def check(source: str, sample: Mapping[str, object]) -> None:
    """Refuse a text that does not parse, names a placeholder not in `sample`, or breaks the sandbox."""
    render(source, sample)


def to_html(text: str) -> str:
    """The HTML part of a rendered text (escaped: no raw HTML passes through)."""
    return _MARKDOWN.render(text)

