"""The attendance blueprint and what its view modules share."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from eventhub import exports
from eventhub.events.models import Event
from eventhub.events.queries import event_by_slug
from eventhub.extensions import db

bp = Blueprint("attendance", __name__)


def load_event(slug: str) -> Event:
    event = event_by_slug(db.session, slug)
    if event is None:
        abort(404)
    return event


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def download(data: bytes, content_type: str, filename: str) -> Response:
    return exports.download(data, content_type, filename)
