import pytest
import sqlalchemy as sa

from eventhub.events import queries
from eventhub.extensions import db
from eventhub.registration.models import Registration, RegistrationStatus


@pytest.fixture
def event(make):
    return make.event(slug="cluster", published=False)


def test_new_draft_dashboard_lists_what_needs_attention(client, make, login_as, event):
    login_as(make.staff(event, "organizer"))
    page = client.get("/events/cluster/manage").get_data(as_text=True)
    assert "Needs attention" in page
    assert "The event is a draft" in page
    assert "No rooms or off-site locations yet" in page
    assert "No economies are invited yet." in page
    assert "Publish the event" in page
    # The staff bar with the set-up pages.
    assert 'aria-label="Event staff"' in page
    for href in ("/events/cluster/manage/details", "/events/cluster/manage/rooms",
                 "/events/cluster/manage/economies", "/events/cluster/manage/staff"):
        assert f'href="{href}"' in page


def test_dashboard_counts_focal_points_and_registrations_awaiting_approval(client, make, login_as, event,
                                                                           query_counter):
    make.room(event)
    tha = make.delegation(event, "THA", focal_point=make.user())
    sgp = make.delegation(event, "SGP")
    make.delegation(event, "JPN")
    for status in ("submitted", "submitted", "approved", "declined"):
        make.registration(event, tha, status=status)
    make.registration(event, sgp, status="submitted")
    board = queries.dashboard(db.session, event)
    assert board.awaiting_approval == 3
    assert board.without_focal_point == ["Japan", "Singapore"]
    assert board.registered == 4

    login_as(make.staff(event, "secretariat"))
    page = client.get("/events/cluster/manage").get_data(as_text=True)
    assert "2 delegations without a focal point: Japan; Singapore." in page
    assert "3 registrations awaiting approval." in page
    assert "No rooms" not in page
    # Secretariat sees the dashboard but not the organizer's set-up links.
    assert 'href="/events/cluster/manage/rooms"' not in page
    assert "Publish the event" not in page

    # The counts are kept between requests while the event's registrations are unchanged …
    with query_counter() as q:
        queries.dashboard(db.session, event)
    assert not [s for s in q.statements if "GROUP BY" in s.upper() and "registrations" in s]
    # … and counted again after any change, however it is written (a database trigger notices).
    make.registration(event, sgp, status="submitted")
    db.session.execute(sa.update(Registration).where(Registration.status == RegistrationStatus.DECLINED)
                       .values(status=RegistrationStatus.SUBMITTED))
    db.session.commit()
    page = client.get("/events/cluster/manage").get_data(as_text=True)
    assert "5 registrations awaiting approval." in page


def test_dashboard_queries_do_not_grow_with_delegations(client, make, login_as, query_counter):
    from eventhub.economies.services import economies_in_order
    from eventhub.registration.models import Delegation

    small, large = make.event(slug="small"), make.event(slug="large")
    organizer = make.staff(small, "organizer")
    make.role(large, organizer, "organizer")
    economies = economies_in_order(db.session)
    make.delegation(small, economies[0].code)
    db.session.add_all(Delegation(event_id=large.id, economy_id=e.id, quota=4) for e in economies)
    db.session.commit()
    login_as(organizer)
    counts = []
    for slug in ("small", "large"):
        db.session.expire_all()  # as in production: a request starts with an empty session
        with query_counter() as q:
            assert client.get(f"/events/{slug}/manage").status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1]
