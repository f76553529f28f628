from datetime import date

import pytest
import sqlalchemy as sa

from eventhub.economies.models import Economy, EconomyKind
from eventhub.economies.services import is_travel_eligible
from eventhub.extensions import db


@pytest.fixture
def admin(make, login_as):
    user = make.user("admin@example.org", admin=True)
    login_as(user)
    return user


def economy(code):
    db.session.expire_all()
    return db.session.scalar(sa.select(Economy).where(Economy.code == code))


def test_list_is_in_apec_order_not_alphabetical(client, admin):
    page = client.get("/admin/economies/").get_data(as_text=True)
    # Republic of Korea files under K (after Japan); Chinese Taipei comes after Singapore.
    assert page.index("Japan") < page.index("Republic of Korea") < page.index("Malaysia")
    assert page.index("Singapore") < page.index("Chinese Taipei") < page.index("Thailand")
    assert page.index("Viet Nam") < page.index("Macao, China") < page.index("ASEAN Secretariat")


def test_admin_adds_an_entry_and_it_can_be_invited(client, admin, make):
    response = client.post("/admin/economies/new", data={"code": "tls", "name": "Timor-Leste", "kind": "guest",
                                                         "sort_key": "1100", "active": "y"}, follow_redirects=True)
    assert "Timor-Leste is added." in response.get_data(as_text=True)
    added = economy("TLS")
    assert (added.name, added.kind, added.sort_key, added.active) == ("Timor-Leste", EconomyKind.GUEST, 1100, True)
    event = make.event(slug="cluster")
    make.role(event, admin, "organizer")
    assert "Timor-Leste" in client.get("/events/cluster/manage/economies").get_data(as_text=True)


def test_admin_edits_name_order_and_deactivates(client, admin, make):
    ct = economy("CT")
    response = client.post(f"/admin/economies/{ct.id}", data={"code": "CT", "name": "Chinese Taipei",
                                                             "kind": "member", "sort_key": "175"})
    assert response.status_code == 302
    assert (economy("CT").sort_key, economy("CT").active) == (175, False)
    event = make.event(slug="cluster")
    make.role(event, admin, "organizer")
    client.get("/")  # shows the pending flash message
    assert "Chinese Taipei" not in client.get("/events/cluster/manage/economies").get_data(as_text=True)


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"code": "", "name": "X", "kind": "guest", "sort_key": "1"}, "code", "Enter the customary abbreviation"),
    ({"code": "PRC", "name": "X", "kind": "guest", "sort_key": "1"}, "code", "already uses the code PRC"),
    ({"code": "XX", "name": "japan", "kind": "guest", "sort_key": "1"}, "name", "is already called"),
    ({"code": "XX", "name": "X" * 121, "kind": "guest", "sort_key": "1"}, "name", "cannot be longer than 120"),
    ({"code": "XX", "name": "X", "kind": "guest", "sort_key": "first"}, "sort_key", "Enter a whole number"),
    ({"code": "XX", "name": "X", "kind": "guest", "sort_key": "-4"}, "sort_key", "from 0 to 1,000,000"),
    ({"code": "XX", "name": "X", "kind": "planet", "sort_key": "1"}, "kind", "Not a valid choice"),
])
def test_bad_economy_input_is_refused_next_to_the_field(client, admin, data, field, message):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Economy))
    response = client.post("/admin/economies/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="{field}-error"' in page and message in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Economy)) == before


def test_travel_eligibility_periods_with_effective_dates(client, admin):
    mas = economy("MAS")
    assert is_travel_eligible(mas, date(2024, 1, 1))
    period_id = mas.eligibility[0].id
    client.post(f"/admin/economies/{mas.id}/eligibility/{period_id}/delete")
    client.post(f"/admin/economies/{mas.id}/eligibility",
                data={"effective_from": "2020-01-01", "effective_to": "2025-12-31"})
    mas = economy("MAS")
    assert is_travel_eligible(mas, date(2025, 12, 31)) and not is_travel_eligible(mas, date(2026, 1, 1))
    response = client.post(f"/admin/economies/{mas.id}/eligibility",
                           data={"effective_from": "2025-06-01", "effective_to": ""})
    assert "This overlaps the period from 2020-01-01" in response.get_data(as_text=True)
    response = client.post(f"/admin/economies/{mas.id}/eligibility",
                           data={"effective_from": "2027-01-01", "effective_to": "2026-01-01"})
    assert "The period cannot end before it starts." in response.get_data(as_text=True)
    assert len(economy("MAS").eligibility) == 1
    page = client.get(f"/admin/economies/{mas.id}").get_data(as_text=True)
    assert "1 January 2020" in page and "31 December 2025" in page


def test_non_admins_cannot_edit_economies(client, make, login_as):
    login_as(make.user())
    assert client.get("/admin/economies/").status_code == 403
    assert client.post("/admin/economies/new", data={"code": "X", "name": "X", "kind": "guest",
                                                     "sort_key": "1"}).status_code == 403
