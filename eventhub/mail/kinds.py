"""Builders of deferred messages: a request records a kind and its parameters, and the delivery
process calls the kind's builder to write the message just before sending it.

Building a message (templates, MIME, an iTIP part, a calendar attachment) took a third of a
booking's time, held inside the write transaction; recording a row with a few ids costs almost
nothing. Each package that sends mail registers its builders when it is imported
(`register("signups.booking", build)`); create_app imports them all, so the delivery process and
`flask eventhub deliver-mail` know every kind.

A builder gets the database session, the recorded parameters and the envelope recipients, and
returns the message (its subject included) or None when there is nothing left to send — the
person's data was purged or the registration deleted meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

from sqlalchemy.orm import Session as DbSession

Builder = Callable[[DbSession, dict, list[str]], EmailMessage | None]

_BUILDERS: dict[str, Builder] = {}


class UnknownKind(LookupError):
    """A recorded kind no module registered (an older or newer version of EventHub wrote it)."""


def register(kind: str, builder: Builder) -> None:
    _BUILDERS[kind] = builder


def build(db_session: DbSession, kind: str, params: dict, recipients: list[str]) -> EmailMessage | None:
    try:
        builder = _BUILDERS[kind]
    except KeyError:
        raise UnknownKind(kind) from None
    return builder(db_session, params, recipients)
