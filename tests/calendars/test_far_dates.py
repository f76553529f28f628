"""A session far outside the event's dates: refused by the editor; feeds never crash on one."""

from datetime import UTC, datetime

import pytest

from eventhub.agenda import services as agenda
from eventhub.agenda.models import SessionKind
from eventhub.calendars.ical import TimeWriter
from eventhub.errors import DomainError
from eventhub.extensions import db
from tests.calendars.icscheck import check_bytes, parse_all


def test_a_session_in_the_year_9998_does_not_break_the_feeds(client, make):
    event = make.event(slug="far")
    ok = make.session(event, title="Opening", start="09:00", end="09:30")
    # Saved before the editor refused such dates (or accepted as a warning): the feeds still work.
    typo = make.session(event, title="Typo", start="10:00", end="11:00")
    typo.starts_at = datetime(9998, 6, 1, 2, 0, tzinfo=UTC)
    typo.ends_at = datetime(9998, 6, 1, 3, 0, tzinfo=UTC)
    db.session.commit()

    response = client.get("/events/far/agenda.ics")
    assert response.status_code == 200
    check_bytes(response.data)
    events = parse_all(response.data)
    assert {e["start"] for e in events.values()} == {ok.starts_at, typo.starts_at}
    from eventhub.calendars.feeds import event_ics  # (builds statements on import: needs the models)

    assert event_ics(db.session, event)  # what approval e-mails attach


@pytest.mark.parametrize("years", [(9998, 9998), (2026, 9998), (1, 1), (9999, 9999)])
def test_time_writer_falls_back_to_utc_for_unreasonable_years(app, years):
    times = TimeWriter("America/New_York", *years)
    assert times.timezone_lines() == ()
    assert times.prop("DTSTART", datetime(2026, 7, 1, 13, 0, tzinfo=UTC)) == "DTSTART:20260701T130000Z"


def test_editor_refuses_a_session_far_outside_the_event(make):
    event = make.event()
    data = agenda.SessionInput(kind=SessionKind.PRESENTATION, title="Typo",
                               starts_at=datetime(9998, 6, 1, 2, 0, tzinfo=UTC),
                               ends_at=datetime(9998, 6, 1, 3, 0, tzinfo=UTC))
    with pytest.raises(DomainError, match="outside the event"):
        agenda.save_session(db.session, event, data, accept_warnings=True)
