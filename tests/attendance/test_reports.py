"""The attendance summary against a small event worked out by hand, its filters, exports and query count.

The event runs 27–28 June 2030 (Asia/Shanghai). Nine people:

  who  economy  sex      category    funding  status     seen
  A    THA      female   delegate    APEC     approved   day 1, day 2, roundtable, site visit (Bus 1)
  B    THA      male     head        self     approved   day 1 only
  C    PRC      female   speaker     self     approved   day 2 only, roundtable
  D    PRC      male     delegate    self     approved   never (booked the roundtable)          → no-show
  E    USA      female   moderator   APEC     approved   day 1, undone                          → no-show
  F    USA      another  delegate    self     submitted  day 1
  G    PRC      female   delegate    self     cancelled  never                                  → not counted
  H    LAO      male     guest       self     approved   walk-in on day 2 (no delegation)
  I    THA      female   observer    self     declined   day 2 by secretariat override

Registered (submitted/approved/waitlisted) = A B C D E F H = 7; approved = A B C D E H = 6;
attended = A B C F H I = 6; no-shows = D E = 2; women attended = A C I = 3 of 6 = 50 %.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from eventhub.attendance import services
from eventhub.attendance.models import CheckIn, CheckInSource
from eventhub.attendance.reports.filters import Filters
from eventhub.attendance.reports.summary import build_summary
from eventhub.extensions import db
from eventhub.registration.models import Registration
from eventhub.signups.models import Booking, BookingStatus, Vehicle

DAY1, DAY2 = "2030-06-27", "2030-06-28"


@pytest.fixture
def small(make, workshop):
    ev = workshop.event
    w = workshop

    def reg(delegation, given, family, sex, category, funding="self_funded", status="approved", **kw):
        return make.registration(ev, delegation, given_name=given, family_name=family, sex=sex, category=category,
                                 funding=funding, status=status, **kw)

    people = {
        "A": reg(w.tha, "Siriporn", "Chaiyaporn", "female", "delegate", "apec_funded", name_local="ศิริพร ชัยพร"),
        "B": reg(w.tha, "Somchai", "Jaidee", "male", "head_of_delegation"),
        "C": reg(w.prc, "Wei", "Chen", "female", "speaker", name_local="陈伟"),
        "D": reg(w.prc, "Jun", "Li", "male", "delegate"),
        "E": reg(w.usa, "Mary", "Johnson", "female", "moderator", "apec_funded"),
        "F": reg(w.usa, "Alex", "Kim", "another", "delegate", status="submitted"),
        "G": reg(w.prc, "Na", "Wang", "female", "delegate", status="cancelled"),
        "H": make.registration(ev, None, economy="LAO", given_name="Bounmy", family_name="Vongsa", sex="male",
                               category="guest"),
        "I": reg(w.tha, "Malee", "Suk", "female", "observer", status="declined"),
    }
    roundtable = make.session(ev, title="Roundtable: new energy", kind="roundtable", day=1, start="10:30",
                              end="12:00", bookable=True, capacity=10)
    visit = make.session(ev, title="Site visit: Seye Biopharmaceutical", kind="site_visit", day=1, start="13:30",
                         end="17:00", bookable=True, capacity=4)
    make.session(ev, title="Coffee", kind="break", day=0, start="10:00", end="10:30")
    bus = Vehicle(session_id=visit.id, name="Bus 1", seats=4)
    db.session.add(bus)
    db.session.flush()
    for who, session, vehicle in (("C", roundtable, None), ("A", roundtable, None), ("D", roundtable, None),
                                  ("A", visit, bus), ("B", visit, bus)):
        r = people[who]
        db.session.add(Booking(session_id=session.id, registration_id=r.id, economy_id=r.economy_id,
                               status=BookingStatus.CONFIRMED, vehicle_id=vehicle.id if vehicle else None))
    db.session.commit()

    def scan(who, day=None, session=None, vehicle=None, **kw):
        scope = services.resolve_scope(db.session, ev, day=day and datetime.fromisoformat(day).date(),
                                       session_id=session and session.id, vehicle_id=vehicle and vehicle.id)
        return services.check_in(db.session, ev, people[who], scope, by=w.checkin, **kw).checkin

    scan("A", DAY1), scan("A", DAY2), scan("A", session=roundtable), scan("A", session=visit, vehicle=bus)
    scan("B", DAY1)
    scan("C", DAY2), scan("C", session=roundtable)
    undone = scan("E", DAY1)
    scan("F", DAY1, override=True, override_reason="Approved by phone")  # submitted: only by override
    scan("H", DAY2, source=CheckInSource.WALK_IN)
    scan("I", DAY2, override=True, override_reason="Came after all")
    db.session.flush()
    services.undo_check_in(db.session, ev, undone.id, by=w.checkin)
    db.session.commit()
    return ev, people, roundtable, visit


def _rows(rows):
    return {r.label: (r.registered, r.approved, r.attended, r.no_shows) for r in rows}


def test_totals_and_breakdowns_match_the_hand_count(small):
    event, *_ = small
    s = build_summary(db.session, event)
    assert (s.totals.registered, s.totals.approved, s.totals.attended, s.totals.no_shows) == (7, 6, 6, 2)
    assert (s.economies_registered, s.economies_represented) == (4, 4)
    # Members apart from guests: PRC, THA, USA of the 21; Lao PDR is a guest.
    assert (s.members_attended, s.members_total) == (3, 21)
    assert s.economies_headline == "3 of 21 member economies, plus 1 guest"
    assert s.women_attended == 3 and s.women_share == pytest.approx(0.5)
    assert s.women_share_registered == pytest.approx(3 / 7)
    # APEC order: PRC (5) before Thailand (19) before the United States (20); guests after members.
    assert [r.code for r in s.by_economy] == ["PRC", "THA", "USA", "LAO"]
    assert _rows(s.by_economy) == {
        "People's Republic of China": (2, 2, 1, 1), "Thailand": (2, 2, 3, 0),
        "United States": (2, 1, 1, 1), "Lao PDR": (1, 1, 1, 0)}
    assert _rows(s.by_sex) == {"Female": (3, 3, 3, 1), "Male": (3, 3, 2, 1), "Another": (1, 0, 1, 0),
                               "Prefer not to say": (0, 0, 0, 0)}
    assert _rows(s.by_category) == {"Head of delegation": (1, 1, 1, 0), "Delegate": (3, 2, 2, 1),
                                    "Speaker / expert": (1, 1, 1, 0), "Moderator": (1, 1, 0, 1),
                                    "Observer": (0, 0, 1, 0), "Guest": (1, 1, 1, 0)}
    assert _rows(s.category_groups) == {"Speakers and moderators": (2, 2, 1, 1), "Participants": (5, 4, 5, 1)}
    assert _rows(s.by_funding) == {"Self-funded": (5, 4, 5, 1), "APEC-funded": (2, 2, 1, 1)}
    assert [(d.day.isoformat(), d.attended, d.women, d.economies, d.no_shows) for d in s.per_day] == [
        (DAY1, 3, 1, 2, 4), (DAY2, 4, 3, 3, 3)]
    assert [(r.title, r.booked, r.attended, r.capacity, r.fill_rate) for r in s.per_session] == [
        ("Roundtable: new energy", 3, 2, 10, 0.2), ("Site visit: Seye Biopharmaceutical", 2, 1, 4, 0.25)]
    assert [(v.name, v.seats, v.assigned, v.boarded) for v in s.per_vehicle] == [("Bus 1", 4, 2, 1)]


def test_filters_by_day_and_session_kind(small):
    event, *_ = small
    day1 = build_summary(db.session, event, Filters(day=event.start_date))
    assert (day1.totals.attended, day1.totals.no_shows) == (3, 4)  # A B F; C D E H did not come that day
    assert [d.day.isoformat() for d in day1.per_day] == [DAY1]
    assert day1.per_session == []  # both sessions are on day 2
    from eventhub.agenda.models import SessionKind

    roundtables = build_summary(db.session, event, Filters(kind=SessionKind.ROUNDTABLE))
    # Session-scoped: booked C A D, attended A C, no-show D (not every approved person who skipped it).
    assert (roundtables.totals.booked, roundtables.totals.attended, roundtables.totals.no_shows) == (3, 2, 1)
    assert [r.title for r in roundtables.per_session] == ["Roundtable: new energy"]
    assert roundtables.per_vehicle == []
    nothing = build_summary(db.session, event, Filters(day=event.start_date, kind=SessionKind.ROUNDTABLE))
    assert nothing.totals.attended == 0 and nothing.women_share is None


def test_a_session_kind_filter_counts_bookings_of_those_sessions(client, small, workshop, login_as):
    """?day=28 Jun&kind=site_visit, worked by hand: A and B booked Bus 1; A boarded; F boarded without a
    booking. Booked 2 (A B), attended 2 (A F), no-shows 1 (B) — not the 5 approved people who never
    boarded, and no Registered/Approved figures that ignore the filter."""
    from eventhub.agenda.models import SessionKind

    event, people, _roundtable, visit = small
    scope = services.resolve_scope(db.session, event, day=None, session_id=visit.id, vehicle_id=None)
    services.check_in(db.session, event, people["F"], scope, by=workshop.checkin, override=True,
                      override_reason="Boarded without a booking")
    db.session.commit()

    s = build_summary(db.session, event, Filters(day=event.end_date, kind=SessionKind.SITE_VISIT))
    assert (s.totals.booked, s.totals.attended, s.totals.no_shows) == (2, 2, 1)
    assert s.count_columns == [("Booked", "booked"), ("Attended", "attended"), ("No-shows", "no_shows")]
    assert {r.code: (r.booked, r.attended, r.no_shows) for r in s.by_economy} == {"THA": (2, 1, 1),
                                                                                 "USA": (0, 1, 0)}
    assert {r.label: (r.booked, r.attended, r.no_shows) for r in s.by_sex if r.booked or r.attended} == {
        "Female": (1, 1, 0), "Male": (1, 0, 1), "Another": (0, 1, 0)}
    assert (s.economies_registered, s.economies_represented) == (1, 2)  # booked: THA; came: THA, USA
    assert [(d.day.isoformat(), d.attended, d.no_shows) for d in s.per_day] == [(DAY2, 2, 1)]
    assert [(r.title, r.booked, r.attended) for r in s.per_session] == [("Site visit: Seye Biopharmaceutical", 2, 2)]
    # All days: the same sessions; on the first day there is no site visit, so nobody was expected.
    assert (build_summary(db.session, event, Filters(kind=SessionKind.SITE_VISIT)).totals.no_shows) == 1
    first = build_summary(db.session, event, Filters(day=event.start_date, kind=SessionKind.SITE_VISIT))
    assert (first.totals.booked, first.totals.attended, first.totals.no_shows) == (0, 0, 0)
    assert [(d.attended, d.no_shows) for d in first.per_day] == [(0, 0)]

    login_as(workshop.secretariat)
    page = client.get(f"/events/{event.slug}/reports/attendance?day={DAY2}&kind=site_visit").get_data(as_text=True)
    assert 'data-figure="booked">2<' in page and 'data-figure="attended">2<' in page
    assert 'data-figure="no-shows">1<' in page
    assert 'data-figure="registered"' not in page and 'data-figure="approved"' not in page
    assert "These figures count Fri 28 Jun 2030, Site visit sessions only." in page
    assert ">Registered<" not in page.split("</main>")[0].split("By economy")[1]
    rows = list(csv.reader(io.StringIO(client.get(
        f"/events/{event.slug}/reports/attendance.csv?day={DAY2}&kind=site_visit").data.decode("utf-8-sig"))))
    start = rows.index(["By economy"])
    assert rows[start + 1] == ["Economy", "Code", "Booked", "Attended", "No-shows"]
    assert rows[start + 2] == ["Thailand", "THA", "2", "1", "1"]
    assert ["Total", "", "2", "2", "1"] in rows


def test_summary_page_shows_figures_and_charts(client, small, workshop, login_as):
    event, *_ = small
    login_as(workshop.secretariat)
    page = client.get(f"/events/{event.slug}/reports/attendance").get_data(as_text=True)
    for figure, value in (("registered", 7), ("approved", 6), ("attended", 6), ("no-shows", 2), ("economies", 4)):
        assert f'data-figure="{figure}">{value}<' in page
    assert 'data-figure="women-share">50.0%<' in page
    assert 'data-figure="economies-headline">3 of 21 member economies, plus 1 guest attended<' in page
    main = page.split("<main", 1)[1].split("</main>")[0]
    assert page.count("<svg") >= 6 and "<script" not in main  # the charts need no JavaScript
    assert page.index("People&#39;s Republic of China") < page.index("Thailand") < page.index("United States")
    assert "Roundtable: new energy" in page and "20.0%" in page and "Coffee" not in page
    filtered = client.get(f"/events/{event.slug}/reports/attendance?day={DAY1}").get_data(as_text=True)
    assert 'data-figure="attended">3<' in filtered and "Fri 28 Jun 2030" not in filtered.split("Per day")[1]


class _ScrollRegions(HTMLParser):
    """The sideways-scrolling table containers of a page, with their attributes and whether they hold a table."""

    def __init__(self):
        super().__init__()
        self.regions: list[dict] = []
        self._open: list[dict | None] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div":
            region = dict(attrs, tables=0) if "table-wrap" in (attrs.get("class") or "").split() else None
            if region is not None:
                self.regions.append(region)
            self._open.append(region)
        elif tag == "table":
            for region in self._open:
                if region is not None:
                    region["tables"] += 1

    def handle_endtag(self, tag):
        if tag == "div" and self._open:
            self._open.pop()


def _scroll_regions(html: str) -> list[dict]:
    parser = _ScrollRegions()
    parser.feed(html)
    return parser.regions


def test_scrolling_tables_are_reachable_by_keyboard(client, small, workshop, login_as):
    """A keyboard user must be able to focus a table that scrolls sideways (on a phone) to scroll it,
    and a screen reader names the region."""
    event, _people, roundtable, _visit = small
    login_as(workshop.secretariat)
    regions = _scroll_regions(client.get(f"/events/{event.slug}/reports/attendance").get_data(as_text=True))
    assert len(regions) >= 7
    for region in regions:
        assert region["tables"] == 1, region
        assert region.get("tabindex") == "0" and region.get("role") == "region", region
        assert region.get("aria-label", "").strip(), region
    labels = [r["aria-label"] for r in regions]
    assert len(set(labels)) == len(labels)  # each region has its own name
    assert "Attendance by economy, in APEC order" in labels and "Attendance per session" in labels
    [listing] = _scroll_regions(client.get(f"/events/{event.slug}/reports/sessions/{roundtable.id}")
                                .get_data(as_text=True))
    assert (listing.get("tabindex"), listing.get("role")) == ("0", "region")
    assert listing["aria-label"] == f"Attendance list: {roundtable.title}"


def test_query_count_does_not_grow_with_the_data(client, small, workshop, login_as, query_counter):
    event, people, roundtable, _visit = small
    login_as(workshop.secretariat)
    url = f"/events/{event.slug}/reports/attendance"
    client.get(url)
    db.session.commit()  # the same starting point for both counts: nothing cached in the session
    with query_counter() as small_count:
        client.get(url)
    # Ten times the people, with check-ins on both days and in the roundtable.
    rows = [{"event_id": event.id, "delegation_id": workshop.prc.id, "economy_id": workshop.prc.economy_id,
             "email": f"bulk{i}@example.org", "given_name": f"Bulk{i}", "family_name": "Person",
             "sex": "female" if i % 2 else "male", "category": "delegate", "funding": "self_funded",
             "status": "approved", "confirm_token": f"c{i:030d}", "calendar_token": f"k{i:030d}"}
            for i in range(300)]
    db.session.execute(sa.insert(Registration), rows)
    ids = db.session.scalars(sa.select(Registration.id).where(Registration.email.like("bulk%"))).all()
    now = datetime.now(UTC) - timedelta(days=1)
    db.session.execute(sa.insert(CheckIn), [
        {"event_id": event.id, "registration_id": rid, "day": event.start_date + timedelta(days=d),
         "session_id": None, "scanned_at": now, "recorded_at": now, "source": "desk", "desk": ""}
        for rid in ids for d in (0, 1)] + [
        {"event_id": event.id, "registration_id": rid, "day": event.end_date, "session_id": roundtable.id,
         "scanned_at": now, "recorded_at": now, "source": "api", "desk": ""} for rid in ids[:100]])
    db.session.commit()
    with query_counter() as large_count:
        page = client.get(url).get_data(as_text=True)
    assert 'data-figure="attended">306<' in page
    assert large_count.count == small_count.count, "\n".join(s[:90] for s in small_count.statements) + "\n----\n" + "\n".join(s[:90] for s in large_count.statements)
    assert large_count.count <= 16


def test_csv_export_is_utf8_with_bom(client, small, workshop, login_as):
    event, *_ = small
    login_as(workshop.organizer)
    response = client.get(f"/events/{event.slug}/reports/attendance.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Summary"]
    summary = {r[0]: r[1] for r in rows[2:13]}
    assert summary["Attended"] == "6" and summary["No-shows"] == "2"
    assert summary["Women's share of attendees"] == "50.0%"
    figures = {r[0]: r[1] for r in rows[2:22] if len(r) > 1}
    assert figures["Economies attended"] == "3 of 21 member economies, plus 1 guest"
    assert (figures["Member economies attended"], figures["Member economies"], figures["Guests attended"]) == (
        "3", "21", "1")
    start = rows.index(["By economy"])
    assert rows[start + 1][:3] == ["Economy", "Code", "Registered"]
    assert rows[start + 2] == ["People's Republic of China", "PRC", "2", "2", "1", "1"]
    assert ["Total", "", "7", "6", "6", "2"] in rows


def test_session_attendance_list_and_its_csv_keep_chinese_and_thai_names(client, small, workshop, login_as):
    event, _people, roundtable, visit = small
    login_as(workshop.secretariat)
    page = client.get(f"/events/{event.slug}/reports/sessions/{roundtable.id}").get_data(as_text=True)
    assert "陈伟" in page and "<strong>2</strong> attended" in page and "<strong>3</strong> booked" in page
    response = client.get(f"/events/{event.slug}/reports/sessions/{roundtable.id}.csv")
    text = response.data.decode("utf-8-sig")
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(text)))
    names = {(r[0], r[1]): r for r in rows[2:]}
    assert names[("Wei", "CHEN")][2] == "陈伟"
    assert names[("Siriporn", "CHAIYAPORN")][2] == "ศิริพร ชัยพร"
    assert names[("Jun", "LI")][8] == ""  # booked, did not come
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", names[("Wei", "CHEN")][8])  # event-local scan time
    bus = list(csv.reader(io.StringIO(client.get(
        f"/events/{event.slug}/reports/sessions/{visit.id}.csv").data.decode("utf-8-sig"))))
    assert [(r[1], r[7], r[9]) for r in bus[2:]] == [("CHAIYAPORN", "Bus 1", "Bus 1"), ("JAIDEE", "Bus 1", "")]


def test_xlsx_export_has_a_sheet_per_table(client, small, workshop, login_as):
    from openpyxl import load_workbook

    event, *_ = small
    login_as(workshop.secretariat)
    response = client.get(f"/events/{event.slug}/reports/attendance.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Summary", "By economy", "By sex", "By category", "By funding", "Per day",
                               "Per session", "Vehicles"]
    economy = [[c.value for c in row] for row in book["By economy"].iter_rows()]
    assert economy[0] == ["Economy", "Code", "Registered", "Approved", "Attended", "No-shows"]
    assert economy[1] == ["People's Republic of China", "PRC", 2, 2, 1, 1]
    assert economy[-1] == ["Total", None, 7, 6, 6, 2]
    overview = {row[0].value: row[1].value for row in book["Summary"].iter_rows(min_row=2)}
    assert overview["Economies attended"] == "3 of 21 member economies, plus 1 guest"
    assert overview["Member economies attended"] == 3 and overview["Member economies"] == 21
    sex = {row[0].value: row[5] for row in book["By sex"].iter_rows(min_row=2)}
    assert sex["Female"].value == pytest.approx(0.5) and "%" in sex["Female"].number_format
    sessions = [[c.value for c in row] for row in book["Per session"].iter_rows(min_row=2)]
    assert sessions[0][1:] == ["Roundtable: new energy", "Roundtable", 3, 2, 10, 0.2]


def test_pdf_export_is_printable_with_the_figures(client, small, workshop, login_as):
    from pypdf import PdfReader

    event, *_ = small
    login_as(workshop.secretariat)
    response = client.get(f"/events/{event.slug}/reports/attendance.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Attendance summary" in text and "SME Cluster Workshop" in text
    assert "People's Republic of China" in text and "Lao PDR" in text
    assert "Roundtable: new energy" in text
    assert "50.0%" in text  # women's share
    assert "Thailand 2 2 3 0" in text  # a table row, laid out as on the page
    assert "Female: 3 (50%)" in text  # the chart's legend, drawn as SVG
    assert "3 of 21 member economies, plus 1 guest attended" in " ".join(text.split())
    assert "page 1 of 3" in text


@pytest.mark.parametrize("path", ["/reports/attendance", "/reports/attendance.csv", "/reports/attendance.xlsx",
                                  "/reports/attendance.pdf", "/reports/sessions/{sid}",
                                  "/reports/sessions/{sid}.csv"])
def test_only_the_secretariat_and_organizers_see_reports(client, make, workshop, login_as, path):
    session = make.session(workshop.event, title="Plenary", kind="plenary")
    url = f"/events/{workshop.event.slug}" + path.format(sid=session.id)
    client.post("/logout")
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    for user in (workshop.checkin, workshop.focal_tha, workshop.outsider):
        login_as(user)
        assert client.get(url).status_code == 403, user.email
    for user in (workshop.secretariat, workshop.organizer):
        login_as(user)
        assert client.get(url).status_code == 200, user.email


def test_chart_labels_fit_with_an_ellipsis_and_keep_the_full_label_as_a_tooltip():
    import re as _re

    from eventhub.attendance.charts import LABEL_W, Series, _text_width, bar_chart

    long = "Roundtable: petroleum and petrochemicals industry cluster development"
    svg = str(bar_chart("Fill rate", [long, "Opening", "陈伟的圆桌会议：石油化工产业集群发展"],
                        [Series("Fill rate", "#000", [0.5, 0.2, 0.1])], percent=True))
    shown = _re.findall(r'text-anchor="end">([^<]*)</text>', svg)
    assert shown[0].startswith("Roundtable: petroleum") and shown[0].endswith("…")  # not "oundtable: petr…"
    assert shown[1] == "Opening"
    assert shown[2].startswith("陈伟") and shown[2].endswith("…")
    for text in shown:  # the label column is LABEL_W wide, the text ends 8px before the bars
        assert _text_width(text, 12) <= LABEL_W - 12
    assert f"<title>{long}</title>" in svg  # the whole title as a tooltip
