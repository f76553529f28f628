"""Without a closing time, registration (the link, nominations) closes when the event's last day ends
in the event's own zone; staff may still add people; details can be edited until the same moment."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.registration import services
from eventhub.registration.models import Registration
from tests.registration.conftest import details, form_data


def past_event(make, login_as=None):
    # Ended yesterday (a one-day event), registration never given a closing time.
    event = make.event(title="Past Workshop", start=date.today() - timedelta(days=2), days=1,
                       contact_email="sme@example.org")
    focal = make.user("focal.past@example.org")
    delegation = make.delegation(event, "THA", quota=5, focal_point=focal)
    return event, delegation, focal


def test_the_link_is_closed_after_the_event_and_says_so_with_the_dates(client, make):
    event, delegation, _ = past_event(make)
    page = html.unescape(client.get(f"/r/{delegation.invite_token}").get_data(as_text=True))
    assert "Registration for this event has closed" in page
    assert "the end of the event's last day" in page and f"{event.end_date.day} {event.end_date:%B %Y}" in page
    assert client.post(f"/r/{delegation.invite_token}", data=form_data()).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0
    event_page = client.get(f"/events/{event.slug}/").get_data(as_text=True)
    assert "Registration has closed." in event_page


def test_focal_point_cannot_nominate_after_the_event_but_staff_can_add(client, make, login_as):
    event, delegation, focal = past_event(make)
    login_as(focal)
    data = form_data(email="late@example.org")
    data.pop("privacy")
    client.post(f"/events/{event.slug}/delegations/{delegation.id}/nominate", data=data)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0
    secretariat = make.staff(event, "secretariat")
    login_as(secretariat)
    data["economy"] = str(delegation.economy_id)
    assert client.post(f"/events/{event.slug}/registrations/new", data=data).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1


def test_the_last_day_counts_in_the_event_zone(make, world):
    # A Shanghai event whose last day is 28 June: open at 23:30 local (15:30 UTC), closed at midnight local.
    event = make.event(start=date(2025, 6, 28), days=1, timezone="Asia/Shanghai")
    delegation = make.delegation(event, "THA")
    late_evening = datetime(2025, 6, 28, 15, 30, tzinfo=UTC)
    after_midnight = datetime(2025, 6, 28, 16, 0, tzinfo=UTC)
    services.check_window(event, late_evening)
    try:
        services.check_window(event, after_midnight)
    except services.DomainError as exc:
        assert "has closed" in exc.message and "28 June 2025" in exc.message
    else:
        raise AssertionError("registration still open after the event")
    assert services.edits_close_at(event) == after_midnight
    reg, _ = services.self_register(db.session, delegation, email="d@example.org", details=details(),
                                    privacy_acknowledged=True, now=late_evening)
    db.session.commit()
    try:
        services.update_details(db.session, reg, details=details(dietary="vegan"), actor=reg.user,
                                now=after_midnight)
    except services.DomainError as exc:
        assert "could be changed until" in exc.message
    else:
        raise AssertionError("details still editable after the event")
