"""Log-in and the password-reset request take the same time whether or not the address has an account."""

import time

from tests.conftest import PASSWORD


def _count_hashes(monkeypatch) -> list:
    from eventhub.accounts import models

    calls = []
    real = models.check_password_hash

    def counting(pwhash, password):
        calls.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    monkeypatch.setattr(models, "check_password_hash", counting)
    return calls


def test_login_hashes_the_password_for_an_unknown_address_as_for_a_known_one(client, make, monkeypatch):
    user = make.user("known@example.org")
    calls = _count_hashes(monkeypatch)
    response = client.post("/login", data={"email": user.email, "password": "a wrong password"})
    assert "not right" in response.get_data(as_text=True)
    assert len(calls) == 1
    response = client.post("/login", data={"email": "nobody@example.org", "password": "a wrong password"})
    assert "not right" in response.get_data(as_text=True)
    assert len(calls) == 2
    assert calls[0] == calls[1]  # the same kind of hash (scrypt), so the same cost


def test_login_hashes_for_an_inactive_account_and_one_without_a_password(client, make, monkeypatch):
    from eventhub.accounts.models import User
    from eventhub.extensions import db

    inactive = make.user("gone@example.org")
    inactive.active = False
    db.session.add(User(email="nopassword@example.org"))
    db.session.commit()
    calls = _count_hashes(monkeypatch)
    for email in ("gone@example.org", "nopassword@example.org"):
        response = client.post("/login", data={"email": email, "password": PASSWORD})
        assert "not right" in response.get_data(as_text=True)
    assert len(calls) == 2


def _median_seconds(work, n: int = 7) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return sorted(times)[n // 2]


def test_login_answer_time_does_not_tell_who_has_an_account(client, make):
    user = make.user("known@example.org")
    client.post("/login", data={"email": "warm@example.org", "password": "x"})  # warm up the dummy hash
    known = _median_seconds(lambda: client.post("/login", data={"email": user.email, "password": "wrong one"}))
    unknown = _median_seconds(lambda: client.post("/login", data={"email": "nobody@example.org",
                                                                  "password": "wrong one"}))
    assert unknown > 0.5 * known, (known, unknown)


def test_password_reset_request_does_the_same_work_for_an_unknown_address(app, make):
    from eventhub.accounts import services
    from eventhub.extensions import db

    make.user("known@example.org")

    def request(email):
        def work():
            with app.test_request_context():
                services.request_password_reset(db.session, email, secret_key="k",
                                                link_for=lambda t: f"http://x/{t}", max_age_minutes=60)
                db.session.rollback()
        return work

    request("warm@example.org")()
    known = _median_seconds(request("known@example.org"), n=15)
    unknown = _median_seconds(request("nobody@example.org"), n=15)
    assert unknown > 0.5 * known, (known, unknown)
