"""Timestamps name their zone (exports, roster changes); counts in messages read correctly."""

from __future__ import annotations

import csv
import io

from eventhub.registration.display import count_of


def test_the_exports_registered_arrival_and_departure_columns_name_the_zone(client, world, make, login_as):
    make.registration(world.event, world.thailand)
    login_as(world.secretariat)
    text = client.get(f"/events/{world.event.slug}/registrations/export.csv").data.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    zone = world.event.timezone
    assert f"Registered ({zone})" in header and f"Arrival ({zone})" in header and f"Departure ({zone})" in header


def test_roster_changes_name_the_zone(client, make, login_as):
    event = make.event(timezone="Asia/Bangkok")
    visit = make.session(event, kind="site_visit", title="Visit", bookable=True, capacity=5,
                         start="14:00", end="17:00")
    reg = make.registration(event)
    login_as(make.staff(event, "organizer"))
    client.post(f"/events/{event.slug}/sessions/{visit.id}/participants/add", data={"registration_id": reg.id})
    page = client.get(f"/events/{event.slug}/sessions/{visit.id}/participants").get_data(as_text=True)
    recent = page.split("Recent changes", 1)[1]
    assert "(Asia/Bangkok)</td>" in recent


def test_counts_read_correctly():
    assert count_of(1, "delegate") == "1 delegate"
    assert count_of(3, "delegate") == "3 delegates"
    assert count_of(2, "person", "people") == "2 people"


def test_one_imported_delegate_and_one_seated_participant(client, world, make, login_as):
    login_as(world.focal)
    data = "email,given_name,family_name,organisation\na@example.th,A,One,OSMEP\n"
    page = client.post(f"/events/{world.event.slug}/delegations/{world.thailand.id}/import",
                       data={"file": (io.BytesIO(data.encode()), "d.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    import re

    fields = dict(re.findall(r'name="(payload|filename|send_mail)" type="hidden" value="([^"]*)"', page))
    page = client.post(f"/events/{world.event.slug}/delegations/{world.thailand.id}/import/confirm", data=fields,
                       follow_redirects=True).get_data(as_text=True)
    assert "1 delegate imported into Thailand" in page
    event = make.event()
    visit = make.session(event, kind="site_visit", title="Visit", bookable=True, capacity=5,
                         start="14:00", end="17:00")
    from eventhub.extensions import db
    from eventhub.signups.models import Vehicle

    db.session.add(Vehicle(session_id=visit.id, name="Bus 1", seats=10))
    db.session.commit()
    reg = make.registration(event)
    login_as(make.staff(event, "organizer"))
    client.post(f"/events/{event.slug}/sessions/{visit.id}/participants/add", data={"registration_id": reg.id})
    page = client.post(f"/events/{event.slug}/sessions/{visit.id}/vehicles/auto",
                       follow_redirects=True).get_data(as_text=True)
    assert "Seated 1 participant on the vehicles." in page
