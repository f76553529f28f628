"""Which language a person sees, and the Flask-Babel set-up that shows it.

A language is offered when its catalog exists: `eventhub/translations/<code>/LC_MESSAGES/messages.po`
(English, the language of the source, always). Adding Japanese is adding `translations/ja/`; no code
names the languages.

The order, first that applies: the language the view says the reader chose (a delegate's saved
preference on their registration, see `prefer`), the logged-in person's saved preference, the
switcher's cookie, the browser's Accept-Language, the event's default language, English. A code
that is not offered, from any of these, is skipped, never an error.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from flask import Flask, g, has_request_context, request
from flask_babel import Babel, get_locale, refresh

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
SOURCE_LANGUAGE = "en"
COOKIE = "lang"
COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie

babel = Babel()


@lru_cache(maxsize=1)
def offered() -> tuple[str, ...]:
    """The codes of the languages offered: English first, then each catalog's directory name."""
    codes = sorted(p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
    return (SOURCE_LANGUAGE, *[c for c in codes if c != SOURCE_LANGUAGE])


@lru_cache(maxsize=512)
def match(code: str | None) -> str | None:
    """The offered language for a code from a header, cookie, form or saved setting, or None.

    'zh', 'zh-CN', 'zh-Hans-SG' and 'zh_hans' all mean zh_Hans; 'zh-TW' (traditional script)
    does not. Anything unparsable is None."""
    if not code or len(code) > 35:
        return None
    wanted = _language_and_script(code.replace("-", "_"))
    if wanted is None:
        return None
    for offer in offered():
        if _language_and_script(offer) == wanted:
            return offer
    return None


def _language_and_script(code: str) -> tuple[str, str] | None:
    try:
        locale = Locale.parse(code)
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    script = locale.script
    if not script:
        # The script a language is written in by default where it is used ('zh_TW' -> Hant).
        likely = get_global("likely_subtags")
        full = likely.get(f"{locale.language}_{locale.territory}") if locale.territory else None
        full = full or likely.get(locale.language, "")
        parts = full.split("_")
        script = parts[1] if len(parts) > 2 else ""
    return locale.language, script


def prefer(code: str | None) -> None:
    """The view knows who is reading (a delegate's registration link): use their saved language."""
    if match(code):
        g.preferred_language = match(code)
        refresh()


def recipient_language(*, registration=None, user=None, event=None) -> str:
    """The language of an e-mail, whoever triggers it: the recipient's saved choice (on their
    registration, else their account), else the event's default language, else English. Render the
    message inside `flask_babel.force_locale(recipient_language(...))`."""
    for code in (getattr(registration, "language", None), getattr(user, "language", None),
                 getattr(getattr(registration, "user", None), "language", None) if registration else None,
                 getattr(event, "default_language", None)):
        if match(code):
            return match(code)
    return SOURCE_LANGUAGE


def _saved_language() -> str | None:
    """The logged-in person's saved language. Error pages for an unreachable database translate
    too: then nobody can be loaded, and the choice goes on to the cookie and the browser."""
    import sqlalchemy as sa
    from flask_login import current_user

    try:
        user = current_user._get_current_object()
        return match(getattr(user, "language", None)) if user.is_authenticated else None
    except sa.exc.SQLAlchemyError:
        return None


def select_language() -> str:
    if not has_request_context():
        return SOURCE_LANGUAGE
    chosen = g.get("preferred_language")
    if chosen:
        return chosen
    saved = _saved_language()
    if saved:
        return saved
    if match(request.cookies.get(COOKIE)):
        return match(request.cookies.get(COOKIE))
    for code, _quality in request.accept_languages:
        if match(code):
            return match(code)
    return _event_default() or SOURCE_LANGUAGE


def _event_default() -> str | None:
    slug = (request.view_args or {}).get("slug")
    if not isinstance(slug, str) or len(slug) > 120:
        return None
    import sqlalchemy as sa

    from eventhub.events.models import Event
    from eventhub.extensions import db

    # Every event page loads its event before it shows a message, and the language is chosen at the
    # first message: read it off the loaded event, with no query of its own (the scanner API and
    # the event pages keep their statement counts). Only loaded state: touching an expired object
    # would load it again.
    for obj in list(db.session.identity_map.values()):
        loaded = sa.inspect(obj).dict if isinstance(obj, Event) else {}
        if loaded.get("slug") == slug and "default_language" in loaded:
            return match(loaded["default_language"])
    return None


def current_language() -> str:
    """The code of the language of this request ('en', 'zh_Hans')."""
    return str(get_locale() or SOURCE_LANGUAGE)


def html_lang(code: str | None = None) -> str:
    """The BCP 47 tag for `<html lang>` and `lang` attributes: zh_Hans -> zh-Hans."""
    return (code or current_language()).replace("_", "-")


def language_name(code: str) -> str:
    """A language's name in itself: '中文（简体）' for zh_Hans, 'English' for en."""
    return Locale.parse(code).get_display_name(code).capitalize() if code == SOURCE_LANGUAGE \
        else Locale.parse(code).get_display_name(code)


def localized(obj, field: str) -> str:
    """An organizer's content in the reader's language where they gave it (`title_zh` beside
    `title`), else the one they always give."""
    language = current_language().split("_")[0]
    if language != SOURCE_LANGUAGE:
        value = getattr(obj, f"{field}_{language}", None)
        if value:
            return value
    return getattr(obj, field)


def _forget_last_request() -> None:
    # Flask-Babel keeps the language on the application context, which outlives a request where
    # one context serves many (the test suite, CLI commands): every request chooses again.
    g.pop("preferred_language", None)
    refresh()


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_language)
    app.before_request(_forget_last_request)
    app.jinja_env.globals.update(
        html_lang=html_lang, current_language=current_language, offered_languages=offered,
        language_name=language_name, localized=localized)
    app.add_template_filter(localized, "localized")
