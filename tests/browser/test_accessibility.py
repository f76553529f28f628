"""Accessibility in a real browser: focus after a failed submit, contrast of cancelled sessions."""

from eventhub.extensions import db
from tests.browser.conftest import browser_login
from tests.conftest import PASSWORD

# The contrast of every text inside `root`, as the eye gets it: the colour blended by the opacity of
# the element and its ancestors over the first opaque background behind it (WCAG 2 formula).
LOWEST_CONTRAST = """(root) => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); const p = m[1].split(',').map(Number);
                         return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const blend = (top, bottom, a) => top.map((v, i) => i < 3 ? v * a + bottom[i] * (1 - a) : 1);
  const backdrop = (el) => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
                             if (c[3] > 0) return c; } return [255, 255, 255, 1]; };
  const opacity = (el) => { let o = 1; for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity); return o; };
  let lowest = 99, where = '';
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode; if (!node.textContent.trim()) continue;
    const el = node.parentElement; const style = getComputedStyle(el);
    const back = backdrop(el); const page = [255, 255, 255, 1];
    const a = opacity(el);
    const fg = blend(blend(parse(style.color), back, parse(style.color)[3]), page, a);
    const bg = blend(back, page, a);
    const [l1, l2] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    if (ratio < lowest) { lowest = ratio; where = node.textContent.trim(); }
  }
  return [lowest, where];
}"""


def test_after_a_failed_submit_the_focus_is_on_the_error_summary(page, live_server, make):
    user = make.user("delegate@example.org")
    db.session.rollback()
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    page.wait_for_selector(".error-summary")
    focused = page.evaluate("() => document.activeElement.className")
    assert "error-summary" in focused
    assert "The e-mail or the password is not right." in page.evaluate("() => document.activeElement.innerText")


def test_cancelled_sessions_keep_a_contrast_of_at_least_4_5(page, live_server, make):
    from eventhub.agenda.models import SessionStatus

    event = make.event(slug="contrast")
    organizer = make.staff(event, "organizer", "org@example.org")
    cancelled = make.session(event, title="Roundtable on new materials", description="Moved to next year.")
    cancelled.status = SessionStatus.CANCELLED
    db.session.commit()
    db.session.rollback()
    checked = 0
    for who in (None, organizer):
        if who is not None:
            browser_login(page, live_server, who.email, PASSWORD)
        for path in ("/events/contrast/agenda", "/events/contrast/agenda/manage"):
            page.goto(live_server + path)
            cards = page.query_selector_all(".is-cancelled")
            if not cards:
                continue
            for card in cards:
                checked += 1
                lowest, text = card.evaluate(LOWEST_CONTRAST)
                assert lowest >= 4.5, f"{path}: “{text}” has a contrast of {lowest:.2f}:1"
    assert checked >= 2  # the public agenda and the organizer's list both show it
