"""Reminders that run themselves: registration closing, the roundtable ranking deadline, the day
before, the evaluation survey.

`queue_due_reminders(db, now)` runs in the delivery process (eventhub/mail/worker.py) and in
`flask eventhub deliver-mail` (cron). For each enabled reminder whose moment is near it lists who
should get it, claims them with one INSERT … ON CONFLICT DO NOTHING … RETURNING into reminders_sent
(unique per kind, event and person) and queues a deferred message for exactly the rows it inserted:
two processes or hosts that look at the same moment queue each reminder once between them, whichever
wins. The message is written at delivery time (build_reminder) from the event's text or the default.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session as DbSession

from eventhub.events.models import Event, EventStatus
from eventhub.mail.kinds import register as register_kind
from eventhub.mail.outbox import build_message, queue_deferred_many
from eventhub.messages import consent
from eventhub.messages import notification_texts as nt
from eventhub.messages.models_reminders import ReminderKind, ReminderSent, ReminderSetting
from eventhub.registration.models import (
    ACTIVE_STATUSES,
    Delegation,
    FocalPoint,
    Registration,
    RegistrationStatus,
)

MAIL_KIND = "messages.reminder"
CHUNK = 500

LABELS = {
    ReminderKind.REGISTRATION_CLOSING: _l("Registration closing"),
    ReminderKind.RANKING_DEADLINE: _l("Roundtable ranking deadline"),
    ReminderKind.DAY_BEFORE: _l("The day before"),
    ReminderKind.SURVEY: _l("Evaluation survey"),
}
EXPLAINED = {
    ReminderKind.REGISTRATION_CLOSING: _l("Hours before registration closes. To the focal points of delegations "
                                          "below their quota, and to nominees who have not confirmed."),
    ReminderKind.RANKING_DEADLINE: _l("Hours before the ranking deadline. To approved delegates who have not "
                                      "ranked the roundtables."),
    ReminderKind.DAY_BEFORE: _l("Hours before the event's first day begins (midnight, event time). Each approved "
                                "delegate gets their own programme."),
    ReminderKind.SURVEY: _l("Hours after the survey invitation. To attendees who have not answered."),
}
DEFAULT_OFFSET = {ReminderKind.REGISTRATION_CLOSING: 72, ReminderKind.RANKING_DEADLINE: 24,
                  ReminderKind.DAY_BEFORE: 12, ReminderKind.SURVEY: 72}

_LINK = nt.placeholder
_CLOSING = nt.PERSON + (
    _LINK("closes_at", _l("when registration closes (event time)"), "Fri 20 Jun 2025, 23:59 (Asia/Shanghai)"),
    _LINK("confirm_url", _l("the link to confirm the details"), "https://eventhub.example/confirm/abc"),
)
_FOCAL = (
    _LINK("name", _l("the focal point's name"), "Somchai"),
    _LINK("economy", _l("the delegation's economy"), "Thailand"),
    _LINK("taken", _l("places taken"), "3"),
    _LINK("quota", _l("the delegation's quota"), "5"),
    _LINK("closes_at", _l("when registration closes (event time)"), "Fri 20 Jun 2025, 23:59 (Asia/Shanghai)"),
    _LINK("delegation_url", _l("the delegation's page"), "https://eventhub.example/events/sme/delegations/3"),
    _LINK("event_title", _l("the event's title"), "SME Cluster Workshop"),
)
_RANKING = nt.PERSON + (
    _LINK("deadline", _l("the ranking deadline (event time)"), "Fri 27 Jun 2025, 18:00 (Asia/Shanghai)"),
    _LINK("ranking_url", _l("the page to rank the roundtables"), "https://eventhub.example/events/sme/roundtables"),
)
_DAY_BEFORE = nt.PERSON + (
    _LINK("programme", _l("the person's own programme: sessions, departures, vehicle, meetings (several lines)"),
          "09:00 Opening plenary · Hall A\n13:20 bus from Main lobby: Visit: Shifei Cosmetics (Bus 2)"),
    _LINK("programme_url", _l("the person's programme"), "https://eventhub.example/events/sme/programme"),
)
_SURVEY = nt.PERSON + (
    _LINK("survey_url", _l("the person's own link to the survey"), "https://eventhub.example/survey/abc"),
)

for _n in (
    nt.Notification("reminder.registration_closing", _l("Reminder: registration closing (nominees)"), _CLOSING,
                    _l("Please confirm your registration: {{ event_title }}"),
                    (_l("Dear {{ full_name }},"), "\n\n",
                     _l("registration for {{ event_title }} closes on {{ closes_at }}. Please check and confirm "
                        "your details:"), "\n{{ confirm_url }}\n\n{{ event_title }}\n"), reminder=True),
    nt.Notification("reminder.registration_closing_focal", _l("Reminder: registration closing (focal points)"),
                    _FOCAL, _l("Registration closes soon: {{ event_title }}"),
                    (_l("Dear {{ name }},"), "\n\n",
                     _l("registration for {{ event_title }} closes on {{ closes_at }}. The {{ economy }} delegation "
                        "has {{ taken }} of {{ quota }} places taken. Your delegation page:"),
                     "\n{{ delegation_url }}\n\n{{ event_title }}\n"), reminder=True),
    nt.Notification("reminder.ranking_deadline", _l("Reminder: roundtable ranking"), _RANKING,
                    _l("Please rank the roundtables: {{ event_title }}"),
                    (_l("Dear {{ full_name }},"), "\n\n",
                     _l("you have not ranked the roundtables yet. The deadline is {{ deadline }}:"),
                     "\n{{ ranking_url }}\n\n{{ event_title }}\n"), reminder=True),
    nt.Notification("reminder.day_before", _l("Reminder: the day before"), _DAY_BEFORE,
                    _l("Your programme tomorrow: {{ event_title }}"),
                    (_l("Dear {{ full_name }},"), "\n\n", _l("your programme:"), "\n\n{{ programme }}\n\n",
                     _l("Your programme: {{ programme_url }}"), "\n\n{{ event_title }}\n"), reminder=True),
    nt.Notification("reminder.survey", _l("Reminder: evaluation survey"), _SURVEY,
                    _l("Reminder: please evaluate {{ event_title }}"),
                    (_l("Dear {{ full_name }},"), "\n\n",
                     _l("please tell us what you thought of {{ event_title }}. Your own link:"),
                     "\n{{ survey_url }}\n\n{{ event_title }}\n"), reminder=True),
):
    nt.register(_n)


def settings_of(db: DbSession, event_id: int) -> dict[ReminderKind, ReminderSetting]:
    """Every kind's setting (unsaved defaults, off, for kinds without a row)."""
    rows = {s.kind: s for s in db.scalars(sa.select(ReminderSetting).where(ReminderSetting.event_id == event_id))}
    return {kind: rows.get(kind) or ReminderSetting(event_id=event_id, kind=kind, enabled=False,
                                                    offset_hours=DEFAULT_OFFSET[kind]) for kind in ReminderKind}


def save_setting(db: DbSession, event_id: int, kind: ReminderKind, *, enabled: bool, offset_hours: int) -> None:
    row = db.scalar(sa.select(ReminderSetting).where(ReminderSetting.event_id == event_id,
                                                      ReminderSetting.kind == kind))
    if row is None:
        row = ReminderSetting(event_id=event_id, kind=kind)
        db.add(row)
    row.enabled, row.offset_hours = enabled, offset_hours
    db.flush()


def _recipients_opted_out(db: DbSession, event_id: int, registration_ids: set[int]) -> set[int]:
    """Registrations that stopped optional messages through an announcement's link: reminders are
    optional too (approval and booking changes are not, and never ask)."""
    return consent.opted_out(db, event_id) & registration_ids


def _day_start(event: Event) -> datetime:
    return event.local_to_utc(event.start_date, time(0, 0))


def _due(setting: ReminderSetting, anchor: datetime, now: datetime) -> bool:
    """A "before" reminder is due from `offset` hours before its moment until the moment itself: a
    process that was down past the moment sends nothing late."""
    return anchor - timedelta(hours=setting.offset_hours) <= now < anchor


def _approved(event_id: int):
    return sa.select(Registration.id).where(
        Registration.event_id == event_id, Registration.status == RegistrationStatus.APPROVED,
        Registration.email != "", Registration.personal_data_purged_at.is_(None))


def _candidates(db: DbSession, event: Event, setting: ReminderSetting, now: datetime):
    """(registration ids, focal point user ids, extra params per registration) due for this reminder."""
    kind = setting.kind
    if kind == ReminderKind.REGISTRATION_CLOSING:
        if not _due(setting, event.registration_ends_at, now):
            return set(), set(), {}
        nominees = set(db.scalars(sa.select(Registration.id).where(
            Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES),
            Registration.needs_confirmation.is_(True), Registration.email != "",
            Registration.personal_data_purged_at.is_(None))))
        focal = set(db.scalars(sa.select(FocalPoint.user_id).join(Delegation, Delegation.id == FocalPoint.delegation_id)
                               .where(Delegation.event_id == event.id, Delegation.taken < Delegation.quota)))
        return nominees, focal, {}
    if kind == ReminderKind.RANKING_DEADLINE:
        from eventhub.signups.models import RoundtablePreference
        from eventhub.signups.roundtables import slots

        due_slots = [s for s in slots(db, event.id) if s.is_open(now) and _due(setting, s.deadline, now)]
        if not due_slots:
            return set(), set(), {}
        ranked = sa.select(RoundtablePreference.id).where(
            RoundtablePreference.registration_id == Registration.id,
            RoundtablePreference.slot.in_([s.starts_at for s in due_slots])).exists()
        return set(db.scalars(_approved(event.id).where(~ranked))), set(), {}
    if kind == ReminderKind.DAY_BEFORE:
        if not _due(setting, _day_start(event), now):
            return set(), set(), {}
        return set(db.scalars(_approved(event.id))), set(), {}
    from eventhub.surveys.models import Survey, SurveyInvitation, SurveyResponse

    rows = db.execute(sa.select(SurveyInvitation.id, SurveyInvitation.registration_id)
                      .join(Survey, Survey.id == SurveyInvitation.survey_id)
                      .join(Registration, Registration.id == SurveyInvitation.registration_id)
                      .where(Survey.event_id == event.id, Survey.closed_at.is_(None),
                             SurveyInvitation.invited_at <= now - timedelta(hours=setting.offset_hours),
                             Registration.personal_data_purged_at.is_(None), Registration.email != "",
                             ~sa.select(SurveyResponse.id).where(
                                 SurveyResponse.invitation_id == SurveyInvitation.id).exists())
                      .order_by(SurveyInvitation.id)).all()
    invitations = {}
    for invitation_id, registration_id in rows:
        invitations.setdefault(registration_id, invitation_id)
    return set(invitations), set(), {rid: {"invitation": iid} for rid, iid in invitations.items()}


def _claim(db: DbSession, kind: ReminderKind, event_id: int, column: str, ids: set[int], now: datetime) -> list[int]:
    """Insert one reminders_sent row per id; the ids whose row this call inserted (nobody's before)."""
    table = ReminderSent.__table__
    insert = postgresql_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    claimed: list[int] = []
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        rows = [{"kind": kind, "event_id": event_id, column: i, "queued_at": now} for i in ordered[start:start + CHUNK]]
        claimed += db.execute(insert(table).values(rows).on_conflict_do_nothing()
                              .returning(table.c[column])).scalars().all()
    return claimed


def _new_survey_links(db: DbSession, invitation_of: dict[int, int]) -> dict[int, dict]:
    """A new personal survey link per registration, in this transaction: only a token's hash is kept,
    so the first link cannot be repeated and the old one stops working (as with the survey page's own
    reminder). The token travels in the queued message's parameters, as it would in its text."""
    import secrets

    from eventhub.surveys.invitations import hash_token
    from eventhub.surveys.models import SurveyInvitation

    tokens = {}
    for invitation in db.scalars(sa.select(SurveyInvitation).where(SurveyInvitation.id.in_(invitation_of.values()))):
        token = secrets.token_urlsafe(32)
        invitation.token_hash = hash_token(token)
        tokens[invitation.registration_id] = {"token": token}
    db.flush()
    return tokens


def queue_due_reminders(db: DbSession, now: datetime) -> int:
    """Queue every reminder due at `now`, exactly once per person and reminder; returns how many.
    Flushes, never commits: the caller (worker loop, CLI) commits."""
    from eventhub.accounts.models import User

    settings = db.execute(sa.select(ReminderSetting, Event).join(Event, Event.id == ReminderSetting.event_id)
                          .where(ReminderSetting.enabled.is_(True), Event.status == EventStatus.PUBLISHED,
                                 Event.end_date >= (now - timedelta(days=60)).date())).all()
    queued = 0
    for setting, event in settings:
        registration_ids, user_ids, extra = _candidates(db, event, setting, now)
        registration_ids -= _recipients_opted_out(db, event.id, registration_ids)
        if not registration_ids and not user_ids:
            continue
        messages = []
        won = _claim(db, setting.kind, event.id, "registration_id", registration_ids, now)
        if won:
            emails = dict(db.execute(sa.select(Registration.id, Registration.email)
                                     .where(Registration.id.in_(won))).all())
            if setting.kind == ReminderKind.SURVEY:
                extra = _new_survey_links(db, {rid: extra[rid]["invitation"] for rid in won})
            messages += [([emails[rid]], {"reminder": setting.kind.value, "registration": rid, **extra.get(rid, {})})
                         for rid in won if emails.get(rid)]
        won_users = _claim(db, setting.kind, event.id, "user_id", user_ids, now)
        if won_users:
            emails = dict(db.execute(sa.select(User.id, User.email).where(User.id.in_(won_users))).all())
            messages += [([emails[uid]], {"reminder": setting.kind.value, "user": uid, "event": event.id})
                         for uid in won_users if emails.get(uid)]
        queue_deferred_many(db, kind=MAIL_KIND, messages=messages)
        queued += len(messages)
    db.flush()
    return queued


_last_run = {"at": float("-inf")}


def run_due_reminders(*, min_interval: float = 60.0) -> int:
    """Queue what is due now in one short write transaction of its own (BEGIN IMMEDIATE on SQLite),
    committed; the delivery loop calls it every round and it looks at most once a `min_interval`
    (reminders are set in hours)."""
    import time as clock

    from eventhub.db import utcnow, write_intent
    from eventhub.extensions import db

    if clock.monotonic() - _last_run["at"] < min_interval:
        return 0
    _last_run["at"] = clock.monotonic()
    try:
        with write_intent():
            queued = queue_due_reminders(db.session, utcnow())
            db.session.commit()
    except Exception:  # a reminder that cannot be queued must not stop the delivery of the rest
        current_app.logger.exception("reminders could not be queued; trying again next round")
        db.session.rollback()
        return 0
    return queued


def build_reminder(db: DbSession, params: dict, recipients: list[str]):
    """Write a queued reminder in its recipient's language (eventhub.mail.kinds)."""
    from eventhub.messages import reminders_values

    kind = ReminderKind(params["reminder"])
    written = reminders_values.values_for(db, kind, params)
    if written is None:
        return None
    key, language, event_id, values_of = written
    with force_locale(language):
        values = values_of()
        row = nt.find_override(db, event_id, key, language)
        subject, body = (row.subject, row.body) if row is not None else nt.REGISTRY[key].default(language)
        message = nt.render_text(subject, body, values)
    return build_message(to=recipients, subject=message.subject, text=message.text, html=message.html)


register_kind(MAIL_KIND, build_reminder)
