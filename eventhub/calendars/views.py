"""Calendar feeds (.ics), the subscribe help page and rotation of the personal feed's token.

Feeds are fetched by calendar apps without cookies, so they answer conditional requests first:
one aggregate query gives the ETag and Last-Modified, and a match answers 304 without building
the calendar.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from eventhub.accounts.permissions import Action, authorize, can
from eventhub.calendars import feeds, lookups
from eventhub.calendars.services import rotate_calendar_token
from eventhub.events.models import EventStatus
from eventhub.events.queries import event_by_slug
from eventhub.extensions import db
from eventhub.i18n import localized
from eventhub.registration.models import Registration
from eventhub.web import absolute_url, safe_next

bp = Blueprint("calendars", __name__)

CONTENT_TYPE = "text/calendar; charset=utf-8"


# --- helpers -------------------------------------------------------------------------------------

def _feed_event(slug: str, *, key_only: bool = False):
    """A published (or closed) event; drafts only for their staff.

    key_only: just lookups.event_key() (id, slug, status, timezone), for the feeds' 304 answers.
    """
    return _visible(lookups.event_key(db.session, slug) if key_only else event_by_slug(db.session, slug))


def _visible(event):
    if event is None:
        abort(404)
    if event.status == EventStatus.DRAFT and not can(current_user, Action.VIEW_DRAFT, event):
        abort(404)
    return event


def _build_with_event(slug: str, build):
    """build(event, items) with the full Event, loaded only when the calendar is built."""
    return lambda items: build(event_by_slug(db.session, slug), items)


def _not_modified(fingerprint: feeds.Fingerprint) -> bool:
    """If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(fingerprint.etag)
    if request.if_modified_since is not None:
        return fingerprint.last_modified <= request.if_modified_since
    return False


def _conditional() -> bool:
    return bool(request.if_none_match) or request.if_modified_since is not None


def _language() -> str | None:
    """?lang= of a public feed's address (a subscriber who wants the agenda in Chinese); anything
    not offered is ignored (feeds.feed_language falls back)."""
    value = request.args.get("lang")
    return value if isinstance(value, str) else None


def _calendar_response(feed: feeds.Feed, build, filename: str, *, private: bool, checked: bool = False) -> Response:
    """304 from one aggregate query when the client's copy is current; else load, build and send.

    `build(items) -> bytes`. Without conditional headers the aggregate query is skipped: loading the
    sessions gives the same validators. checked: the caller compared the validators already.
    """
    if _conditional() and not checked:
        fingerprint = feeds.fingerprint(db.session, feed)
        if _not_modified(fingerprint):
            return _with_validators(Response(status=304), fingerprint, private)
    items, fingerprint = feeds.load(db.session, feed)
    with force_locale(feed.key[-1]):  # every feed's key ends with its language
        body = build(items)
    response = Response(body, content_type=CONTENT_TYPE)
    disposition = "attachment" if request.args.get("download") else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return _with_validators(response, fingerprint, private)


def _with_validators(response: Response, fingerprint: feeds.Fingerprint, private: bool) -> Response:
    response.set_etag(fingerprint.etag)  # strong
    response.last_modified = fingerprint.last_modified
    # Calendar apps may keep a copy but must ask again (cheaply, with the validators) before using it.
    response.headers["Cache-Control"] = ("private" if private else "public") + ", no-cache"
    if private:
        response.headers["X-Robots-Tag"] = "noindex"
    return response


# --- feeds ---------------------------------------------------------------------------------------

@bp.route("/events/<slug>/agenda.ics")
def event_feed(slug: str):
    if _conditional():  # calendar apps polling: the event and the validators in one statement
        found = feeds.event_feed_validators(db.session, slug, _language())
        if found is None:
            abort(404)
        event, fingerprint = found
        _visible(event)
        if _not_modified(fingerprint):
            return _with_validators(Response(status=304), fingerprint, private=False)
    else:
        event = _feed_event(slug, key_only=True)
    language = feeds.feed_language(event, _language())
    return _calendar_response(feeds.event_feed(event, language), _build_with_event(slug, feeds.event_calendar),
                              f"{event.slug}.ics", private=False, checked=_conditional())


@bp.route("/events/<slug>/sessions/<int:session_id>.ics")
def session_ics(slug: str, session_id: int):
    event = _feed_event(slug, key_only=True)
    state = lookups.session_state(db.session, event, session_id)
    if state is None:
        abort(404)
    is_public, is_cancelled = state
    if is_cancelled or (not is_public and not can(current_user, Action.VIEW_DRAFT, event)):
        abort(404)
    return _calendar_response(
        feeds.session_feed(event, session_id, feeds.feed_language(event, _language())),
        _build_with_event(slug, feeds.session_calendar),
        f"session-{session_id}.ics", private=False,
    )


@bp.route("/calendar/<token>.ics")
def personal_feed(token: str):
    registration = lookups.registration_by_token(db.session, token)
    if registration is None or registration.personal_data_purged_at is not None:
        abort(404)
    event = registration.event
    feed = feeds.personal_feed(registration)
    return _calendar_response(
        feed, lambda items: feeds.personal_calendar(event, items, feeds.personal_meetings(db.session, registration, feed)),
        f"{event.slug}-my-programme.ics", private=True,
    )


# --- help page and rotation ----------------------------------------------------------------------

@bp.route("/events/<slug>/calendar")
def help_page(slug: str):
    event = _feed_event(slug)
    registration = None
    if current_user.is_authenticated:
        registration = lookups.registration_for_user(db.session, event, current_user.id)
    return render_template("calendars/help.html", event=event, registration=registration)


def _safe_next(default: str) -> str:
    return safe_next(request.form.get("next"), default)


@bp.route("/events/<slug>/calendar/<int:registration_id>/rotate", methods=["POST"])
def rotate(slug: str, registration_id: int):
    event = _feed_event(slug)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    authorize(Action.EDIT_REGISTRATION, event, registration=registration, hide=True)
    rotate_calendar_token(db.session, registration)
    db.session.commit()
    flash(
        _("Your calendar address has changed. The old address no longer works: subscribe again with the new one "
          "(remove the old subscription from your calendar app)."),
        "success",
    )
    return redirect(_safe_next(url_for("calendars.help_page", slug=event.slug)))


# --- links for templates ---------------------------------------------------------------------------

def _subscription_links(https_url: str, name: str) -> dict[str, str]:
    webcal = "webcal://" + https_url.split("://", 1)[1]
    return {
        "https": https_url,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
        "outlook": "https://outlook.live.com/calendar/0/addfromweb?url="
        + quote(https_url, safe="")
        + "&name="
        + quote(name, safe=""),
        "download": https_url + "?download=1",
    }


@bp.app_template_global()
def personal_calendar_links(registration: Registration) -> dict[str, str]:
    """Feed, webcal, Google/Outlook add links, download, rotate and help URLs of one person's feed."""
    event = registration.event
    links = _subscription_links(
        absolute_url("calendars.personal_feed", token=registration.calendar_token),
        _("%(event)s – my programme", event=localized(event, "title")),
    )
    links["rotate"] = url_for("calendars.rotate", slug=event.slug, registration_id=registration.id)
    links["help"] = url_for("calendars.help_page", slug=event.slug)
    return links


@bp.app_template_global()
def event_calendar_links(event) -> dict[str, str]:
    links = _subscription_links(absolute_url("calendars.event_feed", slug=event.slug), localized(event, "title"))
    links["help"] = url_for("calendars.help_page", slug=event.slug)
    return links
