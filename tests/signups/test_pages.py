"""Booking through the pages: delegates, focal points, staff overrides, manifests, my programme."""

import io
from datetime import timedelta

import sqlalchemy as sa
from openpyxl import load_workbook

from eventhub.db import utcnow
from eventhub.extensions import db
from eventhub.signups.models import Booking, BookingStatus, Vehicle


def _visit(make, event, **kw):
    defaults = dict(kind="site_visit", title="Visit: Guangdong Shifei Cosmetics", bookable=True, capacity=1,
                    start="14:00", end="17:00")
    defaults.update(kw)
    return make.session(event, **defaults)


def _delegate(make, event, delegation=None, **kw):
    user = make.user()
    return user, make.registration(event, delegation, user=user, **kw)


def test_delegate_books_then_second_is_waitlisted_then_promoted(client, make, login_as, mailbox):
    event = make.event()
    visit = _visit(make, event)
    first_user, first = _delegate(make, event)
    second_user, second = _delegate(make, event)
    login_as(first_user)
    page = client.post(f"/events/{event.slug}/sessions/{visit.id}/book", follow_redirects=True).get_data(as_text=True)
    assert "You have a seat" in page
    login_as(second_user)
    page = client.get(f"/events/{event.slug}/sessions/{visit.id}").get_data(as_text=True)
    assert "Join the waitlist" in page
    page = client.post(f"/events/{event.slug}/sessions/{visit.id}/book", follow_redirects=True).get_data(as_text=True)
    assert "on the waitlist at position 1" in page
    programme = client.get(f"/events/{event.slug}/programme").get_data(as_text=True)
    assert "Waitlist position 1" in programme
    login_as(first_user)
    booking = db.session.scalar(sa.select(Booking).where(Booking.registration_id == first.id))
    client.post(f"/events/{event.slug}/bookings/{booking.id}/cancel")
    login_as(second_user)
    programme = client.get(f"/events/{event.slug}/programme").get_data(as_text=True)
    assert "Your seat" in programme and "Waitlist position" not in programme
    assert any("you are confirmed" in m.subject for m in mailbox.to(second.email))


def test_double_click_creates_one_booking(client, make, login_as):
    event = make.event()
    visit = _visit(make, event, capacity=5)
    user, reg = _delegate(make, event)
    login_as(user)
    for _ in range(2):
        client.post(f"/events/{event.slug}/sessions/{visit.id}/book")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 1
    db.session.refresh(visit)
    assert visit.taken == 1


def test_refusals_are_clear_and_change_nothing(client, make, login_as):
    event = make.event()
    closed = _visit(make, event, signup_closes_at=utcnow() - timedelta(minutes=5), title="Closed visit")
    user, reg = _delegate(make, event, status="submitted")
    login_as(user)
    page = client.post(f"/events/{event.slug}/sessions/{closed.id}/book", follow_redirects=True).get_data(as_text=True)
    assert "only approved participants can book" in page
    reg.status = "approved"
    db.session.commit()
    page = client.post(f"/events/{event.slug}/sessions/{closed.id}/book", follow_redirects=True).get_data(as_text=True)
    assert "Sign-up for “Closed visit” closed" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Booking)) == 0


def test_focal_point_books_for_delegate_but_not_for_other_economies(client, make, login_as):
    event = make.event()
    focal = make.user()
    thailand = make.delegation(event, "THA", focal_point=focal)
    japan = make.delegation(event, "JPN")
    visit = _visit(make, event, capacity=5)
    thai = make.registration(event, thailand, given_name="Somchai")
    japanese = make.registration(event, japan)
    login_as(focal)
    page = client.get(f"/events/{event.slug}/sessions/{visit.id}").get_data(as_text=True)
    assert "for Somchai" in page
    client.post(f"/events/{event.slug}/sessions/{visit.id}/book", data={"registration_id": thai.id})
    assert db.session.scalar(sa.select(Booking.status).where(Booking.registration_id == thai.id)) == "confirmed"
    response = client.post(f"/events/{event.slug}/sessions/{visit.id}/book", data={"registration_id": japanese.id})
    assert response.status_code == 403
    assert db.session.scalar(sa.select(Booking.id).where(Booking.registration_id == japanese.id)) is None


def test_staff_add_beyond_capacity_remove_and_move(client, make, login_as):
    event = make.event()
    visit = _visit(make, event, capacity=1)
    other = _visit(make, event, title="Visit: Seye Biopharma", capacity=3, start="18:00", end="19:00")
    a = make.registration(event, family_name="Alpha")
    b = make.registration(event, family_name="Bravo")
    login_as(make.staff(event, "secretariat"))
    client.post(f"/events/{event.slug}/sessions/{visit.id}/participants/add", data={"registration_id": a.id})
    response = client.post(f"/events/{event.slug}/sessions/{visit.id}/participants/add",
                           data={"registration_id": b.id})
    assert response.status_code == 422 and "Give a reason" in response.get_data(as_text=True)
    client.post(f"/events/{event.slug}/sessions/{visit.id}/participants/add",
                data={"registration_id": b.id, "reason": "Head of delegation"})
    roster = client.get(f"/events/{event.slug}/sessions/{visit.id}/participants").get_data(as_text=True)
    assert "Beyond capacity" in roster and "Head of delegation" in roster
    booking_b = db.session.scalar(sa.select(Booking).where(Booking.registration_id == b.id))
    client.post(f"/events/{event.slug}/bookings/{booking_b.id}/move", data={"to_session_id": other.id})
    assert db.session.scalar(sa.select(Booking.session_id).where(
        Booking.registration_id == b.id, Booking.status == BookingStatus.CONFIRMED)) == other.id
    booking_a = db.session.scalar(sa.select(Booking).where(Booking.registration_id == a.id))
    client.post(f"/events/{event.slug}/bookings/{booking_a.id}/remove")
    db.session.refresh(visit)
    assert visit.taken == 0


def test_manifest_csv_and_xlsx_per_vehicle(client, make, login_as):
    event = make.event()
    visit = _visit(make, event, capacity=5)
    reg = make.registration(event, given_name="Thi", family_name="Nguyễn", name_local="阮氏", phone="+84 90 123")
    other = make.registration(event, family_name="Otherbus")
    login_as(make.staff(event, "organizer"))
    client.post(f"/events/{event.slug}/sessions/{visit.id}/participants/add", data={"registration_id": reg.id})
    client.post(f"/events/{event.slug}/sessions/{visit.id}/participants/add", data={"registration_id": other.id})
    client.post(f"/events/{event.slug}/sessions/{visit.id}/vehicles", data={"name": "Bus 1", "kind": "bus",
                                                                            "seats": "1"})
    client.post(f"/events/{event.slug}/sessions/{visit.id}/vehicles", data={"name": "Bus 2", "kind": "bus",
                                                                            "seats": "30"})
    client.post(f"/events/{event.slug}/sessions/{visit.id}/vehicles/auto")
    bus1 = db.session.scalar(sa.select(Vehicle).where(Vehicle.name == "Bus 1"))
    assert bus1.taken == 1
    csv_response = client.get(f"/events/{event.slug}/sessions/{visit.id}/manifest.csv")
    assert csv_response.data.startswith(b"\xef\xbb\xbf")
    text = csv_response.data.decode("utf-8-sig")
    assert "NGUYỄN" in text and "阮氏" in text and "+84 90 123" in text
    xlsx = client.get(f"/events/{event.slug}/sessions/{visit.id}/manifest.xlsx?vehicle={bus1.id}")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert len(rows) == 1 and rows[0][1] == "Bus 1"
    printable = client.get(f"/events/{event.slug}/sessions/{visit.id}/manifest").get_data(as_text=True)
    assert "Bus 1" in printable and "Bus 2" in printable


def test_manifests_are_staff_only(client, make, login_as):
    event = make.event()
    visit = _visit(make, event)
    user, _reg = _delegate(make, event)
    login_as(user)
    for suffix in ("participants", "manifest", "manifest.csv", "manifest.xlsx"):
        assert client.get(f"/events/{event.slug}/sessions/{visit.id}/{suffix}").status_code == 403
    login_as(make.staff(event, "checkin"))
    assert client.get(f"/events/{event.slug}/sessions/{visit.id}/manifest.csv").status_code == 403


def test_cancelling_someone_elses_booking_is_forbidden(client, make, login_as):
    event = make.event()
    visit = _visit(make, event, capacity=3)
    owner_user, owner = _delegate(make, event)
    intruder, _ = _delegate(make, event)
    login_as(owner_user)
    client.post(f"/events/{event.slug}/sessions/{visit.id}/book")
    booking = db.session.scalar(sa.select(Booking))
    login_as(intruder)
    assert client.post(f"/events/{event.slug}/bookings/{booking.id}/cancel").status_code == 403
    db.session.refresh(booking)
    assert booking.status == "confirmed"
