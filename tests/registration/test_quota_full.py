"""A delegation whose quota is already full: the delegate, the import preview and the nomination form
say so at once, with where the person stands."""

from __future__ import annotations

import io

from tests.registration.conftest import form_data


def fill(make, world, n=2):
    for _ in range(n):
        make.registration(world.event, world.thailand, status="approved")


def test_registering_into_a_full_delegation_says_so_with_the_waitlist_position(client, world, make, mailbox):
    fill(make, world)
    make.registration(world.event, world.thailand, status="waitlisted")
    response = client.post(f"/r/{world.thailand.invite_token}", data=form_data())
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The delegation is full" in page
    assert "All 2 places of the Thailand delegation are already taken" in page
    assert "number 2" in page
    assert "we e-mail you when it is approved" not in page
    [mail] = mailbox.to("lan@example.vn")
    assert "The delegation is already full" in mail.text() and "position 2" in mail.text()
    assert "We will e-mail you when it is approved" not in mail.text()


def test_registering_while_places_are_free_reads_as_before(client, world, mailbox):
    response = client.post(f"/r/{world.thailand.invite_token}", data=form_data())
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Registration received" in page and "delegation is full" not in page
    [mail] = mailbox.to("lan@example.vn")
    assert "We will e-mail you when it is approved" in mail.text()


HEADER = "email,given_name,family_name,organisation\n"


def test_the_import_preview_warns_when_the_rows_exceed_the_places_left(client, world, make, login_as):
    fill(make, world, 1)  # 1 of 2 places left
    login_as(world.focal)
    data = (HEADER + "a@example.th,A,One,OSMEP\nb@example.th,B,Two,OSMEP\nc@example.th,C,Three,OSMEP\n")
    page = client.post(f"/events/{world.event.slug}/delegations/{world.thailand.id}/import",
                       data={"file": (io.BytesIO(data.encode()), "d.csv"), "send_mail": "y"},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "The file has 3 rows, but only 1 of the delegation's 2 places is left" in page
    assert "2 people go on the waitlist when approved" in page
    small = client.post(f"/events/{world.event.slug}/delegations/{world.thailand.id}/import",
                        data={"file": (io.BytesIO((HEADER + "a@example.th,A,One,OSMEP\n").encode()), "d.csv")},
                        content_type="multipart/form-data").get_data(as_text=True)
    assert "Every row is correct" in small and "on the waitlist when approved" not in small


def test_the_nomination_form_warns_when_the_delegation_is_full(client, world, make, login_as):
    login_as(world.focal)
    url = f"/events/{world.event.slug}/delegations/{world.thailand.id}/nominate"
    assert "delegation is full" not in client.get(url).get_data(as_text=True)
    fill(make, world)
    page = client.get(url).get_data(as_text=True)
    assert "The Thailand delegation is full: all 2 places are taken" in page
