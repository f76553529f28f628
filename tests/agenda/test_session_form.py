"""The session form: site-visit fields only for site visits, 24-hour times, speakers found by a search,
bad ids answered next to the field."""

from datetime import date

import pytest
import sqlalchemy as sa

from eventhub.agenda.models import Session, SiteVisit
from eventhub.extensions import db
from tests.agenda.test_editor import _form, _organizer

HUGE = str(2**63 + 5)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_site_visit_fields_are_hidden_for_a_roundtable_and_shown_for_a_site_visit(client, make, login_as):
    event = make.event()
    _organizer(make, login_as, event)
    roundtable = client.get(f"/events/{event.slug}/agenda/sessions/new?kind=roundtable").get_data(as_text=True)
    assert '<fieldset class="visit-fields" id="site-visit" hidden>' in roundtable
    visit = client.get(f"/events/{event.slug}/agenda/sessions/new?kind=site_visit").get_data(as_text=True)
    assert '<fieldset class="visit-fields" id="site-visit">' in visit
    assert "css/agenda.css" in visit  # the rule that shows them when "Site visit" is picked


def test_site_visit_fields_posted_for_a_roundtable_are_ignored(client, make, login_as):
    event = make.event()
    _organizer(make, login_as, event)
    data = _form(event, kind="roundtable", title="Roundtable: biomedicine", departs="12:00", returns="11:00",
                 meeting_point="Lobby", host_name="Somebody")
    assert client.post(f"/events/{event.slug}/agenda/sessions/new", data=data).status_code == 302
    assert _count(SiteVisit) == 0


def test_times_are_typed_and_shown_in_24_hour_format(client, make, login_as):
    event = make.event(timezone="Asia/Shanghai", start=date(2025, 6, 28))
    _organizer(make, login_as, event)
    page = client.get(f"/events/{event.slug}/agenda/sessions/new").get_data(as_text=True)
    assert 'type="time"' not in page and 'type="datetime-local"' not in page
    assert 'placeholder="HH:MM"' in page
    data = _form(event, start_time="14:30", end_time="16:45", bookable="y", capacity="10",
                 signup_opens="2025-06-01 08:00", signup_closes="2025-06-20 18:00")
    assert client.post(f"/events/{event.slug}/agenda/sessions/new", data=data).status_code == 302
    s = db.session.scalar(sa.select(Session))
    assert s.starts_at.isoformat() == "2025-06-28T06:30:00+00:00"
    assert s.signup_closes_at.isoformat() == "2025-06-20T10:00:00+00:00"
    edit = client.get(f"/events/{event.slug}/agenda/sessions/{s.id}/edit").get_data(as_text=True)
    assert 'value="14:30"' in edit and 'value="16:45"' in edit and 'value="2025-06-20 18:00"' in edit


@pytest.mark.parametrize("typed", ["10:45 AM", "25:00", "9.30", "noon"])
def test_a_time_not_in_24_hour_format_is_a_message_next_to_the_field(client, make, login_as, typed):
    event = make.event()
    _organizer(make, login_as, event)
    response = client.post(f"/events/{event.slug}/agenda/sessions/new", data=_form(event, start_time=typed))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="start_time-error"' in body and "Enter the time as HH:MM in 24-hour time" in body
    assert _count(Session) == 0


def test_speakers_are_found_by_a_search_not_a_long_drop_down(client, make, login_as):
    event = make.event()
    speaker = make.registration(event, category="speaker", given_name="Mei", family_name="Lin", economy="PRC")
    _organizer(make, login_as, event)
    page = client.get(f"/events/{event.slug}/agenda/sessions/new").get_data(as_text=True)
    assert '<datalist id="participant-options">' in page
    label = f"Mei Lin (PRC) #{speaker.id}"
    assert f'<option value="{label}">' in page
    assert 'list="participant-options"' in page and '<select id="speakers-0-registration_id"' not in page
    data = _form(event, **{"speakers-0-registration_id": label, "speakers-0-external_name": ""})
    assert client.post(f"/events/{event.slug}/agenda/sessions/new", data=data).status_code == 302
    s = db.session.scalar(sa.select(Session))
    assert [sp.registration_id for sp in s.speakers] == [speaker.id]
    edit = client.get(f"/events/{event.slug}/agenda/sessions/{s.id}/edit").get_data(as_text=True)
    assert f'value="{label}"' in edit  # shown as the name, kept on save


@pytest.mark.parametrize("value", ["abc", HUGE, "-3", "1e9", "Nobody Known"])
def test_a_bad_speaker_is_a_message_next_to_the_field(client, make, login_as, value):
    event = make.event()
    _organizer(make, login_as, event)
    data = _form(event, **{"speakers-0-registration_id": value, "speakers-0-external_name": ""})
    response = client.post(f"/events/{event.slug}/agenda/sessions/new", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="speakers-0-registration_id-error"' in body and "Choose a participant from the list" in body
    assert _count(Session) == 0


@pytest.mark.parametrize("value", ["abc", HUGE, "-3", "1.5"])
def test_a_bad_room_id_is_a_message_next_to_the_field(client, make, login_as, value):
    event = make.event()
    make.room(event, "Hall A")
    _organizer(make, login_as, event)
    response = client.post(f"/events/{event.slug}/agenda/sessions/new", data=_form(event, room_id=value))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="room_id-error"' in body and "Choose a room from the list." in body
    assert _count(Session) == 0


def test_a_signup_window_that_closes_before_it_opens_is_refused(client, make, login_as):
    event = make.event(start=date(2025, 6, 28))
    _organizer(make, login_as, event)
    data = _form(event, bookable="y", capacity="10", signup_opens="2025-06-20 18:00", signup_closes="2025-06-20 09:00")
    body = client.post(f"/events/{event.slug}/agenda/sessions/new", data=data).get_data(as_text=True)
    assert 'id="signup_closes-error"' in body and "Sign-up must close after it opens." in body
    assert _count(Session) == 0


def test_only_an_opening_after_the_default_close_is_refused(client, make, login_as):
    """Only the opening typed: sign-up would close when the session starts (09:30 on the 28th), before
    it opens on the 29th. Validated as applied, default included."""
    event = make.event(start=date(2025, 6, 28))
    _organizer(make, login_as, event)
    data = _form(event, bookable="y", capacity="10", signup_opens="2025-06-29 08:00")
    response = client.post(f"/events/{event.slug}/agenda/sessions/new", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="signup_opens-error"' in body
    assert "Without a closing time, sign-up closes when the session starts (Sat 28 Jun 2025, 09:30" in body
    assert _count(Session) == 0
    # An opening before the session starts is fine without a close.
    data["signup_opens"] = "2025-06-20 08:00"
    assert client.post(f"/events/{event.slug}/agenda/sessions/new", data=data).status_code == 302


def test_changing_only_the_start_behind_the_opening_is_refused(client, make, login_as):
    event = make.event(start=date(2025, 6, 28))
    _organizer(make, login_as, event)
    data = _form(event, bookable="y", capacity="10", signup_opens="2025-06-28 09:00")
    assert client.post(f"/events/{event.slug}/agenda/sessions/new", data=data).status_code == 302
    s = db.session.scalar(sa.select(Session))
    data.update(start_time="08:30")  # now the default close (the start) falls before the opening
    body = client.post(f"/events/{event.slug}/agenda/sessions/{s.id}/edit", data=data).get_data(as_text=True)
    assert "Without a closing time, sign-up closes when the session starts" in body
    db.session.refresh(s)
    assert s.starts_at.astimezone(event.tz).strftime("%H:%M") == "09:30"
