"""Deciding many registrations at once (the secretariat's list): each in its own savepoint."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session as DbSession

from eventhub.accounts.models import User
from eventhub.errors import DomainError
from eventhub.events.models import Event
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.registration.services import UNCONFIRMED_FIELD, approve, decline, unconfirmed_message

S = RegistrationStatus


def bulk_decide(db_session: DbSession, event: Event, ids: Iterable[int], decision: str, *,
                actor: User, unconfirmed_ok: bool = False) -> tuple[int, int, list[str]]:
    """Approve or decline many registrations of one event. Returns (done, waitlisted, problems).

    Each one goes in its own savepoint: one that changed meanwhile does not undo the others.
    Approving people among whom some have not confirmed their details or the privacy notice is
    refused as a whole (nothing changes) unless `unconfirmed_ok`.
    """
    if decision not in ("approve", "decline"):
        raise DomainError(_("Choose approve or decline."))
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        raise DomainError(_("Select at least one registration."))
    regs = db_session.scalars(
        sa.select(Registration).where(Registration.event_id == event.id, Registration.id.in_(wanted))
        .order_by(Registration.id)
    ).all()
    if decision == "approve" and not unconfirmed_ok:
        unconfirmed = [r.full_name for r in regs
                       if r.status in (S.SUBMITTED, S.WAITLISTED) and not r.confirmed_by_delegate]
        if unconfirmed:
            raise DomainError(unconfirmed_message(unconfirmed), field=UNCONFIRMED_FIELD)
    done = waitlisted = 0
    problems: list[str] = []
    for reg in regs:
        try:
            with db_session.begin_nested():
                if decision == "approve":
                    if approve(db_session, reg, actor=actor, unconfirmed_ok=unconfirmed_ok) == S.WAITLISTED:
                        waitlisted += 1
                    else:
                        done += 1
                else:
                    decline(db_session, reg, actor=actor)
                    done += 1
        except DomainError as exc:
            problems.append(exc.message)
    if len(regs) < len(wanted):
        missing = len(wanted) - len(regs)
        problems.append(ngettext("%(num)d selected registration is not part of this event.",
                                 "%(num)d selected registrations are not part of this event.", missing))
    return done, waitlisted, problems
