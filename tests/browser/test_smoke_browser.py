from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD


def test_login_in_browser_shows_welcome(page, live_server, make):
    user = make.user("someone@example.org")
    browser_login(page, live_server, user.email, PASSWORD)
    assert "Welcome" in page.content()
