"""The attendance blueprint and what its view modules share."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, request

from eventhub import exports
from eventhub.events.models import Event
from eventhub.extensions import db

bp = Blueprint("attendance", __name__)


_EVENT_BY_SLUG = sa.select(Event).where(Event.slug == sa.bindparam("slug"))  # built once: every scan asks


def load_event(slug: str) -> Event:
    event = db.session.scalar(_EVENT_BY_SLUG, {"slug": slug})
    if event is None:
        abort(404)
    return event


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def download(data: bytes, content_type: str, filename: str) -> Response:
    return exports.download(data, content_type, filename)
