import re
from datetime import timedelta

from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new password 42"


def _link_path(message) -> str:
    url = re.search(r"https?://\S+/password/reset/\S+", message.text()).group(0)
    return "/" + url.split("/", 3)[3]


def test_forgot_password_emails_a_link_that_sets_a_new_password_once(client, make, mailbox):
    user = make.user("delegate@example.org")
    response = client.post("/password/forgot", data={"email": "Delegate@Example.org"})
    assert "Check your e-mail" in response.get_data(as_text=True)
    [message] = mailbox.to("delegate@example.org")
    assert message.subject == "Reset your EventHub password"
    assert "60 minutes" in message.text()
    path = _link_path(message)

    form = client.get(path)
    assert form.status_code == 200
    assert "delegate@example.org" in form.get_data(as_text=True)
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert "Log out" in client.get("/").get_data(as_text=True)  # logged in with the new password

    client.post("/logout")
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    assert client.post("/login", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 302

    # The link worked once; now it is spent.
    client.post("/logout")
    again = client.get(path)
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)
    assert client.post(path, data={"password": "another password 99", "confirm": "another password 99"}
                       ).status_code == 400


def test_unknown_address_gets_the_same_answer_and_no_mail(client, mailbox):
    response = client.post("/password/forgot", data={"email": "nobody@example.org"})
    assert response.status_code == 200
    assert "Check your e-mail" in response.get_data(as_text=True)
    assert mailbox.messages == []


def test_forgot_form_says_what_is_wrong_with_the_address(client, mailbox):
    response = client.post("/password/forgot", data={"email": "not an address"})
    page = response.get_data(as_text=True)
    assert "Enter an e-mail address like name@example.org." in page
    assert 'value="not an address"' in page
    assert mailbox.messages == []


def test_expired_link_is_refused_with_a_way_to_get_a_new_one(client, make, mailbox, monkeypatch):
    from eventhub.accounts import tokens
    from eventhub.db import utcnow

    make.user("late@example.org")
    client.post("/password/forgot", data={"email": "late@example.org"})
    path = _link_path(mailbox.to("late@example.org")[0])
    monkeypatch.setattr(tokens, "utcnow", lambda: utcnow() + timedelta(hours=1, minutes=1))
    response = client.get(path)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This link has expired" in page
    assert 'href="/password/forgot"' in page


def test_tampered_link_is_refused(client, make, mailbox):
    make.user("someone@example.org")
    client.post("/password/forgot", data={"email": "someone@example.org"})
    path = _link_path(mailbox.to("someone@example.org")[0])
    response = client.get(path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB"))
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_new_password_must_be_long_enough_and_repeated(client, make, mailbox):
    make.user("short@example.org")
    client.post("/password/forgot", data={"email": "short@example.org"})
    path = _link_path(mailbox.to("short@example.org")[0])
    page = client.post(path, data={"password": "short", "confirm": "short"}).get_data(as_text=True)
    assert "Use between 10 and 200 characters." in page
    page = client.post(path, data={"password": NEW_PASSWORD, "confirm": "something else entirely"}
                       ).get_data(as_text=True)
    assert "The two passwords differ." in page
    # Nothing was changed: the link still works.
    assert client.get(path).status_code == 200


def test_a_newer_link_makes_older_ones_stop_working_once_used(client, make, mailbox):
    make.user("twice@example.org")
    client.post("/password/forgot", data={"email": "twice@example.org"})
    client.post("/password/forgot", data={"email": "twice@example.org"})
    first, second = (_link_path(m) for m in mailbox.to("twice@example.org"))
    assert client.post(second, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert client.get(first).status_code == 400
