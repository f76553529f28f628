"""Common or trivially guessable passwords are refused with a reason, wherever a password is set."""

import pytest

from tests.accounts.test_password_reset import _link_path


@pytest.mark.parametrize(("weak", "reason"), [
    ("aaaaaaaaaa", 'Repeats like "aaa" are easy to guess.'),
    ("password123", "This is a very common password."),
    ("qwertyuiop", "This is a top-100 common password."), ("asdfghjkl;", "Straight rows of keys are easy to guess."),
])
def test_a_reset_refuses_a_guessable_password_and_says_why(client, make, mailbox, weak, reason):
    user = make.user("delegate@example.org")
    client.post("/password/forgot", data={"email": user.email})
    [message] = mailbox.to(user.email)
    path = _link_path(message)
    response = client.post(path, data={"password": weak, "confirm": weak})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert reason.replace('"', "&#34;") in page or reason in page
    assert "a few unrelated words" in page
    assert 'aria-invalid="true"' in page
    # Nothing changed: the old password still works, and the link still works for a good one.
    client.post("/logout")
    assert client.post("/login", data={"email": user.email, "password": weak}).status_code == 200
    good = "ginger lantern orbit 58"
    assert client.post(path, data={"password": good, "confirm": good}).status_code == 302


def test_a_password_made_of_the_persons_own_e_mail_is_refused(app, make):
    from eventhub.accounts.services import set_password
    from eventhub.errors import DomainError

    user = make.user("wongkarwai@example.org")
    with pytest.raises(DomainError) as caught:
        set_password(app.extensions["sqlalchemy"].session, user, "wongkarwai1")
    assert caught.value.field == "password"


def test_create_user_command_refuses_a_common_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["eventhub", "create-user", "admin@example.org", "--password", "password123"])
    assert result.exit_code != 0
    assert "This is a very common password." in result.output
    result = runner.invoke(args=["eventhub", "create-user", "admin@example.org", "--password",
                                 "ginger lantern orbit 58"])
    assert result.exit_code == 0, result.output
