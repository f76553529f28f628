import re

import pytest
import sqlalchemy as sa

from eventhub.accounts.models import EventRole, User
from eventhub.extensions import db
from tests.conftest import PASSWORD


@pytest.fixture
def event(make, login_as):
    event = make.event(slug="cluster", title="Cluster Workshop")
    organizer = make.staff(event, "organizer", "lead@example.org")
    organizer.name = "Li Wei"
    db.session.commit()
    login_as(organizer)
    return event


def test_granting_a_role_to_a_new_person_creates_the_account_and_mails_a_set_password_link(
        client, event, mailbox):
    response = client.post("/events/cluster/manage/staff", data={"email": "Sarah.Tan@Example.org",
                                                                 "role": "secretariat"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "sarah.tan@example.org is now secretariat." in page
    assert "has not set a password yet" in page
    [message] = mailbox.to("sarah.tan@example.org")
    assert message.subject == "Your EventHub account for Cluster Workshop"
    assert "Li Wei has made you secretariat of" in message.text()
    link = re.search(r"https?://\S+(/password/reset/\S+)", message.text()).group(1)

    client.post("/logout")
    client.post(link, data={"password": "sarah's new password", "confirm": "sarah's new password"})
    # Logged in as Sarah, who now sees the event's dashboard.
    assert client.get("/events/cluster/manage").status_code == 200
    assert client.get("/events/cluster/manage/staff").status_code == 403


def test_granting_a_role_to_an_existing_user_tells_them_and_refuses_duplicates(client, make, event, mailbox):
    make.user("desk@example.org")
    client.post("/events/cluster/manage/staff", data={"email": "desk@example.org", "role": "checkin"})
    [message] = mailbox.to("desk@example.org")
    assert message.subject == "You are now check-in staff of Cluster Workshop"
    response = client.post("/events/cluster/manage/staff", data={"email": "desk@example.org", "role": "checkin"})
    assert "desk@example.org is already check-in staff of this event." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EventRole)) == 2


def test_bad_staff_email_is_refused_next_to_the_field(client, event, mailbox):
    response = client.post("/events/cluster/manage/staff", data={"email": "sarah at example", "role": "secretariat"})
    assert 'id="email-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    assert mailbox.messages == []


def test_revoking_a_role_and_keeping_one_organizer(client, make, event):
    desk = make.staff(event, "checkin", "desk@example.org")
    role_id = db.session.scalar(sa.select(EventRole.id).where(EventRole.user_id == desk.id))
    response = client.post(f"/events/cluster/manage/staff/{role_id}/revoke", follow_redirects=True)
    assert "desk@example.org is no longer check-in staff." in response.get_data(as_text=True)
    organizer_role = db.session.scalar(sa.select(EventRole.id).where(EventRole.role == "organizer"))
    response = client.post(f"/events/cluster/manage/staff/{organizer_role}/revoke", follow_redirects=True)
    assert "An event needs at least one organizer." in response.get_data(as_text=True)
    assert db.session.get(EventRole, organizer_role) is not None

    client.post("/logout")
    client.post("/login", data={"email": desk.email, "password": PASSWORD})
    assert client.get("/events/cluster/manage").status_code == 403
