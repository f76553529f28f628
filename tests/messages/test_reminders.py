"""Reminders that run themselves: due and not due, to whom, exactly once across processes."""

import threading
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from eventhub.agenda.models import SiteVisit
from eventhub.db import utcnow
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage
from eventhub.messages import consent, reminders
from eventhub.messages.models_reminders import ReminderKind, ReminderSent
from eventhub.signups.models import Booking, BookingStatus, RoundtablePreference, Vehicle
from tests.conftest import ON_POSTGRES, run_in_threads


def _on(event, kind, hours):
    reminders.save_setting(db.session, event.id, kind, enabled=True, offset_hours=hours)
    db.session.commit()


def _queued(kind="messages.reminder"):
    return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)).all()


def _day_start(event):
    return event.local_to_utc(event.start_date, time(0, 0))


def test_day_before_is_due_in_its_window_once_and_never_late(app, make, mailbox):
    event = make.event(start=date.today() + timedelta(days=10))
    visit = make.session(event, kind="site_visit", title="Visit: Shifei Cosmetics", bookable=True, capacity=10,
                         start="14:00", end="17:00")
    db.session.add(SiteVisit(session_id=visit.id, meeting_point="Main lobby",
                             departs_at=visit.starts_at - timedelta(minutes=40)))
    bus = Vehicle(session_id=visit.id, name="Bus 2", seats=40)
    db.session.add(bus)
    make.session(event, title="Opening plenary", for_everyone=True, start="09:00", end="10:00")
    mei = make.registration(event, given_name="Mei", family_name="Lin")
    make.registration(event, status="submitted")  # not approved: no programme to remind of
    db.session.flush()
    db.session.add(Booking(session_id=visit.id, registration_id=mei.id, economy_id=mei.economy_id,
                           status=BookingStatus.CONFIRMED, vehicle_id=bus.id))
    db.session.commit()
    _on(event, ReminderKind.DAY_BEFORE, 12)
    start = _day_start(event)

    assert reminders.queue_due_reminders(db.session, start - timedelta(hours=13)) == 0  # too early
    assert reminders.queue_due_reminders(db.session, start - timedelta(hours=11)) == 1
    db.session.commit()
    assert reminders.queue_due_reminders(db.session, start - timedelta(hours=10)) == 0  # already sent
    assert reminders.queue_due_reminders(db.session, start + timedelta(hours=1)) == 0
    db.session.commit()

    [mail] = mailbox.to(mei.email)
    text = mail.text()
    assert mail.subject == f"Your programme tomorrow: {event.title}"
    assert "Opening plenary" in text and "Visit: Shifei Cosmetics" in text
    assert "The bus leaves at 13:20 from Main lobby." in text and "Your vehicle: Bus 2" in text
    assert mail.parts("text/html") and "Opening plenary" in mail.parts("text/html")[0].get_content()


def test_a_later_event_or_a_switched_off_reminder_sends_nothing(app, make):
    event = make.event(start=date.today() + timedelta(days=10))
    make.registration(event)
    reminders.save_setting(db.session, event.id, ReminderKind.DAY_BEFORE, enabled=False, offset_hours=12)
    db.session.commit()
    assert reminders.queue_due_reminders(db.session, _day_start(event) - timedelta(hours=1)) == 0


def test_registration_closing_goes_to_focal_points_below_quota_and_unconfirmed_nominees(app, make, mailbox):
    closes = utcnow() + timedelta(days=2)
    event = make.event(registration_closes_at=closes)
    short, full = make.user(name="Somchai"), make.user(name="Aiko")
    tha = make.delegation(event, "THA", quota=3, focal_point=short)
    jpn = make.delegation(event, "JPN", quota=1, focal_point=full)
    make.registration(event, tha)
    make.registration(event, jpn)
    nominee = make.registration(event, tha, status="submitted", needs_confirmation=True, given_name="Nom")
    confirmed = make.registration(event, tha, status="submitted")
    _on(event, ReminderKind.REGISTRATION_CLOSING, 72)

    assert reminders.queue_due_reminders(db.session, closes - timedelta(hours=73)) == 0
    assert reminders.queue_due_reminders(db.session, closes - timedelta(hours=71)) == 2
    db.session.commit()

    focal_mail = mailbox.to(short.email)
    assert len(focal_mail) == 1 and "1 of 3 places taken" in focal_mail[0].text()
    assert mailbox.to(full.email) == [] and mailbox.to(confirmed.email) == []
    [nominee_mail] = mailbox.to(nominee.email)
    assert f"/confirm/{nominee.confirm_token}" in nominee_mail.text()


def test_ranking_reminder_only_to_those_who_have_not_ranked(app, make, mailbox):
    closes = utcnow() + timedelta(hours=20)
    event = make.event()
    tables = [make.session(event, kind="roundtable", title=f"Roundtable {n}", start="10:30", end="12:00",
                           bookable=True, capacity=5, signup_mode="preference", signup_closes_at=closes)
              for n in ("biomedicine", "new energy")]
    ranked = make.registration(event)
    waiting = make.registration(event, given_name="Anong")
    db.session.add(RoundtablePreference(event_id=event.id, registration_id=ranked.id, session_id=tables[0].id,
                                        slot=tables[0].starts_at, rank=1))
    db.session.commit()
    _on(event, ReminderKind.RANKING_DEADLINE, 24)

    assert reminders.queue_due_reminders(db.session, utcnow()) == 1
    db.session.commit()
    assert mailbox.to(ranked.email) == []
    [mail] = mailbox.to(waiting.email)
    assert "/roundtables" in mail.text() and "have not ranked" in mail.text()


def test_survey_reminder_to_attendees_who_have_not_answered_with_a_working_link(app, make, mailbox, client):
    from eventhub.surveys.invitations import hash_token
    from eventhub.surveys.models import Survey, SurveyInvitation, SurveyResponse

    event = make.event(start=date.today() - timedelta(days=5))
    quiet, answered = make.registration(event), make.registration(event)
    survey = Survey(event_id=event.id, title="Evaluation")
    db.session.add(survey)
    db.session.flush()
    old = utcnow() - timedelta(days=4)
    invitations = [SurveyInvitation(survey_id=survey.id, registration_id=r.id, token_hash=hash_token(f"t{r.id}"),
                                    invited_at=old) for r in (quiet, answered)]
    db.session.add_all(invitations)
    db.session.flush()
    db.session.add(SurveyResponse(survey_id=survey.id, invitation_id=invitations[1].id))
    db.session.commit()
    _on(event, ReminderKind.SURVEY, 72)

    assert reminders.queue_due_reminders(db.session, utcnow()) == 1
    db.session.commit()
    [mail] = mailbox.to(quiet.email)
    assert mailbox.to(answered.email) == []
    link = next(line for line in mail.text().splitlines() if "/survey/" in line)
    assert client.get(link[link.index("/survey/"):]).status_code == 200


def test_people_who_stopped_optional_messages_get_no_reminder(app, make, mailbox):
    event = make.event(start=date.today() + timedelta(days=10))
    make.session(event, title="Opening plenary", for_everyone=True, start="09:00", end="10:00")
    mei = make.registration(event, given_name="Mei", family_name="Lin")
    ana = make.registration(event, given_name="Ana", family_name="Cruz")
    consent.set_opted_out(db.session, ana, True, utcnow())  # through an announcement's link
    db.session.commit()
    _on(event, ReminderKind.DAY_BEFORE, 12)
    assert reminders.queue_due_reminders(db.session, _day_start(event) - timedelta(hours=11)) == 1
    db.session.commit()
    assert mailbox.to(mei.email) and not mailbox.to(ana.email)


def _due_day_before(make, n):
    event = make.event(start=date.today() + timedelta(days=3))
    regs = [make.registration(event) for _ in range(n)]
    _on(event, ReminderKind.DAY_BEFORE, 24)
    return event, regs, _day_start(event) - timedelta(hours=2)


def test_two_processes_queue_each_reminder_once(app, make):
    event, regs, now = _due_day_before(make, 12)
    if ON_POSTGRES:
        # Both have listed who is due before either claims: only the unique constraint can decide.
        both_listed = threading.Barrier(2, timeout=30)
        real_claim = reminders._claim  # noqa: SLF001

        def claim_after_both_listed(*args, **kwargs):
            if args[3] == "registration_id":
                both_listed.wait()
            return real_claim(*args, **kwargs)

        reminders._claim = claim_after_both_listed  # noqa: SLF001
    try:
        results = run_in_threads(app, 2, lambda i: reminders.queue_due_reminders(db.session, now))
    finally:
        if ON_POSTGRES:
            reminders._claim = real_claim  # noqa: SLF001
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(results) == [0, 12]
    db.session.rollback()
    assert len(_queued()) == 12
    assert db.session.scalar(sa.select(sa.func.count(ReminderSent.id))) == 12
    addressed = sorted(m.recipients for m in _queued())
    assert addressed == sorted(r.email for r in regs)


@pytest.mark.skipif(not ON_POSTGRES, reason="plain (not IMMEDIATE) concurrent transactions need PostgreSQL")
def test_two_processes_in_plain_transactions_queue_once_on_postgres(app, make):
    event, regs, now = _due_day_before(make, 5)

    def work(i):
        queued = reminders.queue_due_reminders(db.session, now)
        db.session.commit()
        return queued

    results = run_in_threads(app, 2, work, transaction=False)
    assert sorted(results) == [0, 5]


def test_deliver_mail_command_queues_and_sends_what_is_due(app, make, mailbox):
    event = make.event(start=date.today() + timedelta(days=2))
    reg = make.registration(event)
    _on(event, ReminderKind.DAY_BEFORE, 72)
    db.session.rollback()
    result = app.test_cli_runner().invoke(args=["eventhub", "deliver-mail"], catch_exceptions=False)
    assert "1 reminders queued, 1 sent" in result.output
    assert len(mailbox.to(reg.email)) == 1
    result = app.test_cli_runner().invoke(args=["eventhub", "deliver-mail"], catch_exceptions=False)
    assert "0 reminders queued" in result.output


def test_organizer_switches_a_reminder_on_and_bad_hours_are_refused(client, make, login_as):
    event = make.event()
    login_as(make.staff(event, "organizer"))
    page = client.get(f"/events/{event.slug}/messages/reminders").get_data(as_text=True)
    assert "Registration closing" in page and "Evaluation survey" in page
    assert "/messages/texts/reminder.day_before/zh_Hans" in page
    url = f"/events/{event.slug}/messages/reminders/day_before"
    response = client.post(url, data={"day_before-enabled": "y", "day_before-offset_hours": "5000"})
    assert response.status_code == 422 and "1440" in response.get_data(as_text=True)
    assert reminders.settings_of(db.session, event.id)[ReminderKind.DAY_BEFORE].enabled is False
    assert client.post(url, data={"day_before-enabled": "y", "day_before-offset_hours": "18"}).status_code == 302
    setting = reminders.settings_of(db.session, event.id)[ReminderKind.DAY_BEFORE]
    assert setting.enabled is True and setting.offset_hours == 18
