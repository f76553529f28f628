"""After log-in everyone lands on /my/events, and it is useful for every role."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def setup(make):
    event = make.event(slug="cluster", title="Cluster Workshop")
    focal = make.user("focal@example.org")
    delegation = make.delegation(event, "THA", quota=3, focal_point=focal)
    delegate = make.user("delegate@example.org")
    reg = make.registration(event, delegation, user=delegate, email="delegate@example.org")
    return event, delegation, focal, delegate, reg


def test_login_lands_on_my_events(client, setup):
    _, _, focal, _, _ = setup
    response = client.post("/login", data={"email": focal.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/my/events")


def test_focal_point_sees_their_delegation_with_badges_and_no_staff_talk(client, login_as, setup):
    event, delegation, focal, _, _ = setup
    login_as(focal)
    page = client.get("/my/events").get_data(as_text=True)
    assert "no staff role" not in page
    assert "Thailand delegation" in page
    assert f'href="/events/cluster/delegations/{delegation.id}/"' in page
    assert f'href="/events/cluster/badges.pdf?delegation={delegation.id}"' in page
    # The badges link works for them.
    assert client.get(f"/events/cluster/badges.pdf?delegation={delegation.id}").status_code == 200
    own_page = client.get(f"/events/cluster/delegations/{delegation.id}/").get_data(as_text=True)
    assert "Print badges" in own_page and f"badges.pdf?delegation={delegation.id}" in own_page


def test_delegate_sees_their_registration_and_programme(client, login_as, setup):
    _, _, _, delegate, reg = setup
    login_as(delegate)
    page = client.get("/my/events").get_data(as_text=True)
    assert "no staff role" not in page
    assert "Cluster Workshop" in page
    assert f'href="/events/cluster/registrations/{reg.id}"' in page and "My registration" in page
    assert 'href="/events/cluster/programme"' in page


def test_staff_see_their_events_with_dashboard_links(client, make, login_as, setup):
    event, *_ = setup
    login_as(make.staff(event, "secretariat"))
    page = client.get("/my/events").get_data(as_text=True)
    assert 'href="/events/cluster/manage"' in page and "Dashboard" in page


def test_someone_with_nothing_gets_a_helpful_sentence(client, make, login_as):
    login_as(make.user("nobody@example.org"))
    page = client.get("/my/events").get_data(as_text=True)
    assert "no staff role" not in page and "Nothing here yet" in page


def test_dashboard_links_every_feature_page(client, make, login_as, setup):
    event, *_ = setup
    login_as(make.staff(event, "organizer"))
    page = client.get("/events/cluster/manage").get_data(as_text=True)
    features = page.split('id="features-h"', 1)[1]
    for href in ("/events/cluster/agenda/manage", "/events/cluster/allocation", "/events/cluster/checkin",
                 "/events/cluster/badges", "/events/cluster/reports/attendance", "/events/cluster/registrations/",
                 "/events/cluster/delegations/"):
        assert f'href="{href}"' in features, href
        assert client.get(href).status_code == 200, href


def test_check_in_staff_dashboard_shows_only_their_tiles(client, make, login_as, setup):
    event, *_ = setup
    login_as(make.staff(event, "checkin"))
    features = client.get("/events/cluster/manage").get_data(as_text=True).split('id="features-h"', 1)[1]
    assert 'href="/events/cluster/checkin"' in features and 'href="/events/cluster/badges"' in features
    assert "/agenda/manage" not in features and "/reports/attendance" not in features


def test_download_my_data_is_offered_to_the_delegate_only(client, login_as, setup):
    _, _, focal, delegate, reg = setup
    login_as(focal)
    assert "Download my data" not in client.get(f"/events/cluster/registrations/{reg.id}").get_data(as_text=True)
    login_as(delegate)
    assert "Download my data" in client.get(f"/events/cluster/registrations/{reg.id}").get_data(as_text=True)


def test_is_registered_helper_for_the_programme_links(app, make, setup):
    from flask import render_template_string
    from flask_login import login_user

    event, _, focal, delegate, _ = setup
    with app.test_request_context():
        login_user(delegate)
        assert render_template_string("{{ is_registered(event) }}", event=event) == "True"
    with app.test_request_context():
        login_user(focal)
        assert render_template_string("{{ is_registered(event) }}", event=event) == "False"
