"""In Chinese, no page shows English of our own.

The demo workshop is crawled as every role (anonymous, site admin, organizer, secretariat, desk,
focal point, delegate) with a Chinese browser, as a person clicks through it. The visible text of each
page (and the text of labels a screen reader speaks: aria-label, title, placeholder, alt) may hold no
run of two or more English words, once the event's own content is taken out: economy names, people's
names, titles and descriptions the organizers typed, e-mail addresses, URLs and zone names.

A failure lists the pages and the English found on each: wrap the text in _() in its template or
module, run `make translations` and translate it in the zh_Hans catalog.
"""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa

from eventhub.extensions import db
from tests.conftest import PASSWORD, login

CHINESE = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
MAX_PAGES_PER_ROLE = 90
# Two or more English words in a row; a word of one letter ("a", "I") counts.
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[ \t,.:;!?()/&-]+[A-Za-z][A-Za-z'’]*)+")
NOT_UI = re.compile(r"\S+@\S+|https?://\S+|/[\w/.?=&%-]*|\b[A-Z][a-z]+/[A-Za-z_]+\b|\bUTC[+−-]\d\d:\d\d")
# Names that stay as they are in Chinese text: ours, standards and file formats.
KEPT = ("EventHub", "APEC", "UTC", "CSV", "XLSX", "PDF", "iCalendar", "ICS", "QR", "API", "SMTP", "JSON",
        "Excel", "Google Calendar", "Outlook", "Apple Calendar", "iPhone", "Android", "English")
SKIP = re.compile(r"/(logout|static/)|\.(ics|csv|xlsx|pdf|svg|png|eml|json)(\?|$)|/(export|badges)|/language")


class _Text(HTMLParser):
    """Visible text and spoken labels; skips script, style, and text marked as in another language."""

    SPOKEN = ("aria-label", "title", "placeholder", "alt")

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.parts: list[str] = []
        self.links: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def _hidden(self) -> bool:
        return any(hidden for _tag, hidden in self._stack)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page_url, a["href"]))
        # A name in its own script or language (lang="th", lang="en" on the language switcher's
        # "English") is content, not interface.
        lang = a.get("lang", "")
        hidden = tag in ("script", "style", "template") or bool(lang and not lang.startswith("zh"))
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr", "col"):
            self._stack.append((tag, hidden))
        if not (hidden or self._hidden()):
            self.parts.extend(a[name] for name in self.SPOKEN if a.get(name))
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.parts.append(a["value"])

    def handle_endtag(self, tag):
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data):
        if not self._hidden():
            self.parts.append(data)


class Content:
    """Every text the organizers, delegates and reference data put in the database. Pages show it
    as typed, upper-cased (family names), or cut short (long titles in tables)."""

    def __init__(self, values: set[str]):
        ordered = sorted(values, key=len, reverse=True)
        alternatives = "|".join(re.escape(v) for v in ordered)
        self.whole = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        self.folded = [_fold(v) for v in ordered]

    def holds(self, run: str) -> bool:
        run = _fold(run)
        return any(run in value for value in self.folded)


def _fold(text: str) -> str:
    for kept in KEPT:
        text = text.replace(kept, " ")
    return " ".join(re.sub(r"[^\w'’]+", " ", text).lower().split())


def content_strings() -> Content:
    found: set[str] = set()
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text) and not c.primary_key]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*columns)):
            for value in row:
                if isinstance(value, str) and len(value) >= 2:
                    found.add(value)
                    found.update(line.strip() for line in value.splitlines() if len(line.strip()) >= 2)
    return Content(found)


def english_in(text: str, content: Content) -> list[str]:
    """The runs of English words in `text` that are neither content (whole, upper-cased or cut
    short) nor names we keep."""
    def blank(match):  # same length, so that positions in the two texts agree
        return " " * len(match.group())

    text = NOT_UI.sub(blank, text)
    for kept in KEPT:
        text = text.replace(kept, " " * len(kept))
    held = [m.span() for m in ENGLISH_RUN.finditer(text) if content.holds(m.group())]
    found = []
    for m in ENGLISH_RUN.finditer(content.whole.sub(blank, text)):
        run = m.group().strip(" .,:;!?()/&-")
        if len(run) > 3 and not content.holds(run) and not any(a <= m.start() and m.end() <= b for a, b in held):
            found.append(run)
    return found


@pytest.fixture
def demo_with_delegate(app):
    from eventhub.accounts.models import User
    from eventhub.demo import load_demo
    from eventhub.registration.models import Registration, RegistrationStatus

    load_demo(db.session, PASSWORD)
    registration = db.session.scalars(sa.select(Registration)
                                      .where(Registration.status == RegistrationStatus.APPROVED)
                                      .order_by(Registration.user_id.is_(None), Registration.id)).first()
    delegate = db.session.scalar(sa.select(User).where(User.email == registration.email))
    if delegate is None:
        delegate = User(email=registration.email, name=registration.given_name)
        db.session.add(delegate)
    delegate.set_password(PASSWORD)
    db.session.flush()
    registration.user_id = delegate.id
    db.session.commit()
    return registration.email


def crawl(client, start: list[str], content: Content, deadline: float) -> dict[str, list[str]]:
    seen, queue, shapes, found = set(), list(start), {}, {}
    while queue and len(seen) < MAX_PAGES_PER_ROLE and time.monotonic() < deadline:
        path = queue.pop(0)
        if path in seen or SKIP.search(path):
            continue
        seen.add(path)
        shape = re.sub(r"\d+", "#", path.split("?")[0])
        shapes[shape] = shapes.get(shape, 0) + 1
        if shapes[shape] > 1 and path not in start:
            continue
        response = client.get(path, headers=CHINESE)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        parser = _Text("http://localhost" + path)
        parser.feed(response.get_data(as_text=True))
        runs = english_in("\n".join(parser.parts), content)
        if runs:
            found[path] = sorted(set(runs))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.netloc in ("", "localhost") and parts.path.startswith("/"):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


ROLES = [None, "admin@example.org", "organizer@example.org", "secretariat@example.org",
         "checkin@example.org", "focal.thailand@example.org", "delegate"]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_no_page_shows_english_of_our_own_to_a_chinese_reader(app, client, demo_with_delegate, role):
    from eventhub.accounts.models import User
    from eventhub.events.models import Event

    if role is not None:
        email = demo_with_delegate if role == "delegate" else role
        login(client, db.session.scalar(sa.select(User).where(User.email == email)))
    slugs = db.session.scalars(sa.select(Event.slug)).all()
    start = ["/", *[f"/events/{s}/" for s in slugs], *[f"/events/{s}/agenda" for s in slugs]]
    if role is not None:
        start += ["/my/events", "/my/registrations", *[f"/events/{s}/manage" for s in slugs]]
    found = crawl(client, start, content_strings(), time.monotonic() + 60)
    report = "\n".join(f"{path}: {runs[:12]}" for path, runs in sorted(found.items()))
    assert not found, f"English on {len(found)} pages seen in Chinese:\n{report}"


def test_the_check_finds_interface_english_and_excuses_content():
    content = Content({"Site visit: Guangzhou Seye Biopharmaceutical", "Guangzhou", "Chen Jing (check-in desk)",
                       "binti Ahmad"})
    assert english_in("预订座位 Book a seat", content) == ["Book a seat"]
    assert english_in("欢迎，Chen Jing (check-in desk)。", content) == []
    assert english_in("Site visit: Guangzhou Seye Bio…", content) == []  # a title cut short
    assert english_in("BINTI AHMAD 马来西亚", content) == []  # a family name upper-cased
    assert english_in("Site visit: Guangzhou Seye Bio… Cancel my seat", content) == ["Cancel my seat"]
    assert english_in("时区 Asia/Shanghai (UTC+08:00)，EventHub", content) == []
