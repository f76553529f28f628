"""The delegate's home page: state, what comes next, bookings, the bus, and where log-in lands."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from eventhub.agenda.models import SiteVisit
from eventhub.extensions import db
from eventhub.signups.models import Booking, BookingStatus, Vehicle
from tests.conftest import PASSWORD


def _delegate(make, event, **kw):
    user = make.user()
    return user, make.registration(event, user=user, **kw)


def _book(reg, session, status="confirmed", vehicle=None, at=None):
    db.session.add(Booking(session_id=session.id, registration_id=reg.id, economy_id=reg.economy_id,
                           status=BookingStatus(status), vehicle_id=vehicle.id if vehicle else None,
                           waitlisted_at=at if status == "waitlisted" else None))
    if status == "confirmed":
        session.taken += 1
    db.session.commit()


def _visit(make, event, title="Visit: Shifei Cosmetics", capacity=5):
    visit = make.session(event, kind="site_visit", title=title, bookable=True, capacity=capacity,
                         start="14:00", end="17:00")
    zone = ZoneInfo(event.timezone)
    d = event.start_date
    db.session.add(SiteVisit(session_id=visit.id, meeting_point="Main lobby",
                             departs_at=datetime(d.year, d.month, d.day, 13, 20, tzinfo=zone)))
    db.session.commit()
    return visit


def test_home_shows_state_bookings_waitlist_and_the_bus(client, make, login_as):
    event = make.event()
    visit = _visit(make, event)
    full = _visit(make, event, title="Visit: Port of Nansha", capacity=1)
    make.session(event, title="Opening plenary", for_everyone=True, start="09:00", end="10:00")
    bus = Vehicle(session_id=visit.id, name="Bus 2", seats=40, plate="粤A 12345")
    db.session.add(bus)
    db.session.commit()
    user, reg = _delegate(make, event, given_name="Mei")
    other_user, other = _delegate(make, event)
    _book(reg, visit, vehicle=bus)
    _book(other, full)
    _book(reg, full, status="waitlisted", at=datetime.now(ZoneInfo("UTC")))
    login_as(user)
    response = client.get(f"/events/{event.slug}/home")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "My event · Mei" in page and "Approved" in page
    assert "The bus leaves at 13:20" in page and "Main lobby" in page and "Bus 2" in page
    assert "Opening plenary" in page and "Waitlist position 1" in page
    assert "Times in" in page and "Download my data" in page and "Cancel registration" in page
    # The cancel action sits behind the "Your data and cancelling" disclosure, after the programme.
    assert page.index("Coming next") < page.index("Cancel registration")


def test_waitlisted_delegate_sees_position_not_programme(client, make, login_as):
    event = make.event()
    delegation = make.delegation(event, "THA", quota=1)
    user, reg = _delegate(make, event, delegation=delegation, status="waitlisted",
                          waitlisted_at=datetime.now(ZoneInfo("UTC")) - timedelta(hours=1))
    login_as(user)
    page = client.get(f"/events/{event.slug}/home").get_data(as_text=True)
    assert "waitlist" in page and "Coming next" not in page


def test_home_in_chinese(client, make, login_as):
    event = make.event()
    visit = _visit(make, event)
    user, reg = _delegate(make, event, language="zh_Hans")
    _book(reg, visit)
    login_as(user)
    page = client.get(f"/events/{event.slug}/home", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "接下来" in page and "大巴" in page and "主要大堂" not in page
    assert "Coming next" not in page


def test_only_the_delegate_sees_their_home(client, make, login_as):
    event = make.event()
    user, reg = _delegate(make, event, given_name="Mei")
    response = client.get(f"/events/{event.slug}/home")
    assert response.status_code in (302, 401) and "login" in response.headers.get("Location", "")
    stranger = make.user()
    login_as(stranger)
    response = client.get(f"/events/{event.slug}/home", follow_redirects=True)
    assert "My event · Mei" not in response.get_data(as_text=True)
    assert "You have no registration" in response.get_data(as_text=True)


def test_log_in_lands_on_home_with_one_event_else_my_events(client, make):
    event = make.event()
    user, reg = _delegate(make, event)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith(f"/events/{event.slug}/home")
    client.post("/logout")
    make.registration(make.event(), user=user)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert not response.headers["Location"].endswith("/home")


def test_home_queries_do_not_grow_with_bookings(client, make, login_as, query_counter):
    def count(n):
        event = make.event()
        user, reg = _delegate(make, event)
        for i in range(n):
            visit = _visit(make, event, title=f"Visit {i}")
            bus = Vehicle(session_id=visit.id, name=f"Bus {i}", seats=40)
            db.session.add(bus)
            db.session.commit()
            _book(reg, visit, vehicle=bus)
        login_as(user)
        with query_counter() as q:
            assert client.get(f"/events/{event.slug}/home").status_code == 200
        return q.count

    assert count(3) == count(30)
