"""Badges: signed QR tokens that carry no personal data, and the printable PDFs."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys

import pytest
from pypdf import PdfReader

from eventhub.attendance import badges, fonts
from eventhub.attendance.tokens import BadgeClaim, read_badge, sign_badge
from eventhub.extensions import db
from tests.attendance.conftest import SECRET


def test_tokens_verify_and_carry_only_ids():
    token = sign_badge(SECRET, 12, 3456, 0)
    assert read_badge(SECRET, token) == BadgeClaim(12, 3456, 0)
    assert read_badge(SECRET, token.lower()) == BadgeClaim(12, 3456, 0)  # a scanner in lower case
    assert read_badge(SECRET, f"  {token}\n") == BadgeClaim(12, 3456, 0)
    # Upper case, digits and dots only: the dense QR alphanumeric mode, and nothing about the person.
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.")
    assert token.startswith("EH1.12.3456.0.") and len(token.rsplit(".", 1)[1]) == 26  # 128-bit signature


@pytest.mark.parametrize("forge", [
    lambda t: t.replace(".3456.", ".3457."),  # someone else's id
    lambda t: t.replace("EH1.12.", "EH1.13."),  # another event
    lambda t: t.replace(".0.", ".1.", 1),  # a newer version
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # one character of the signature
    lambda t: t.rsplit(".", 1)[0],  # no signature
    lambda t: sign_badge("another-secret", 12, 3456, 0),  # signed with another key
    lambda t: "EH1.12.3456.0." + "A" * 26,
    lambda t: "",
    lambda t: "https://example.org/?id=3456",
])
def test_forged_tokens_do_not_verify(forge):
    assert read_badge(SECRET, forge(sign_badge(SECRET, 12, 3456, 0))) is None


def _pdf_text(data: bytes) -> tuple[int, str]:
    """Pages and text, with line breaks as spaces (a long name wraps on a badge)."""
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_badge_sheet_prints_names_in_latin_and_local_script(client, make, workshop, login_as):
    ev = workshop.event
    make.registration(ev, workshop.prc, given_name="Wei", family_name="Chen", name_local="陈伟", category="speaker",
                      organisation="China Centre for Promotion of SME Development")
    make.registration(ev, workshop.tha, given_name="Siriporn", family_name="Chaiyaporn", name_local="ศิริพร ชัยพร")
    for i in range(3):
        make.registration(ev, workshop.usa, given_name=f"Person{i}", family_name="Smith")
    make.registration(ev, workshop.usa, given_name="Pending", family_name="Person", status="submitted")
    make.registration(ev, workshop.usa, given_name="Gone", family_name="Person", status="cancelled")
    login_as(workshop.secretariat)
    response = client.get(f"/events/{ev.slug}/badges.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages, text = _pdf_text(response.data)
    assert pages == 2  # five approved badges, four to an A4 sheet
    assert "Wei CHEN" in text and "陈伟" in text
    assert "Siriporn CHAIYAPORN" in text and "ศิริพร ชัยพร" in text
    assert "SPEAKER / EXPERT" in text and "DELEGATE" in text
    assert "People's Republic of" in text and "Thailand" in text
    assert "Pending" not in text and "Gone" not in text
    # APEC order: PRC before Thailand before the United States.
    assert text.index("Wei CHEN") < text.index("Siriporn") < text.index("Person0")
    with_pending = _pdf_text(client.get(f"/events/{ev.slug}/badges.pdf?include_pending=y&layout=single").data)
    assert with_pending[0] == 6 and "Pending PERSON" in with_pending[1] and "Gone" not in with_pending[1]
    speakers = _pdf_text(client.get(f"/events/{ev.slug}/badges.pdf?category=speaker").data)
    assert speakers[0] == 1 and "Wei CHEN" in speakers[1] and "Siriporn" not in speakers[1]


def test_badges_qr_tokens_belong_to_the_registration(make, workshop, app):
    reg = make.registration(workshop.event, workshop.prc)
    [badge] = badges.make_badges(db.session, workshop.event, [reg], app.config["SECRET_KEY"])
    assert read_badge(SECRET, badge.token) == BadgeClaim(workshop.event.id, reg.id, 0)
    assert badge.qr_data_uri.startswith("data:image/svg+xml")
    assert reg.email not in badge.token and reg.family_name.upper() not in badge.token


def test_focal_point_prints_their_delegation_only(client, make, workshop, login_as):
    ev = workshop.event
    own = make.registration(ev, workshop.tha, given_name="Malee", family_name="Suk")
    other = make.registration(ev, workshop.prc, given_name="Wei", family_name="Chen")
    login_as(workshop.focal_tha)
    page = client.get(f"/events/{ev.slug}/badges").get_data(as_text=True)
    assert "Thailand" in page and "People&#39;s Republic of China" not in page and "All delegations" not in page
    pages, text = _pdf_text(client.get(f"/events/{ev.slug}/badges.pdf?delegation={workshop.tha.id}").data)
    assert "Malee SUK" in text and "CHEN" not in text
    assert client.get(f"/events/{ev.slug}/badges.pdf?delegation={workshop.prc.id}").status_code == 403
    assert client.get(f"/events/{ev.slug}/badges.pdf").status_code == 403  # all delegations: staff only
    assert client.get(f"/events/{ev.slug}/registrations/{own.id}/badge.pdf").status_code == 200
    assert client.get(f"/events/{ev.slug}/registrations/{other.id}/badge.pdf").status_code == 404


def test_badges_are_not_for_outsiders(client, make, workshop, login_as):
    ev = workshop.event
    reg = make.registration(ev, workshop.tha)
    urls = [f"/events/{ev.slug}/badges", f"/events/{ev.slug}/badges.pdf",
            f"/events/{ev.slug}/badges.pdf?delegation={workshop.tha.id}"]
    for url in urls:
        assert client.get(url).status_code == 302
    assert client.get(f"/events/{ev.slug}/registrations/{reg.id}/badge.pdf").status_code == 302
    login_as(workshop.outsider)
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.get(f"/events/{ev.slug}/registrations/{reg.id}/badge.pdf").status_code == 404
    login_as(workshop.checkin)  # the desk reprints badges
    assert client.get(f"/events/{ev.slug}/registrations/{reg.id}/badge.pdf").status_code == 200


def _embedded_fonts(data: bytes, tmp_path) -> dict[str, bytes]:
    """Embedded font name (subset prefix dropped, as pdffonts lists them) -> the font program."""
    path = tmp_path / "badge.pdf"
    path.write_bytes(data)
    listed = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    names = {line.split()[0].split("+", 1)[-1] for line in listed.splitlines()[2:] if " yes " in line}
    programs = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
                    programs[name] = descriptor.get_object()["/FontFile2"].get_object().get_data()
    assert set(programs) <= names, (programs.keys(), listed)
    return programs


def _drawn_glyphs(program: bytes) -> int:
    """Glyphs with outlines in an embedded TrueType subset, .notdef (the empty box) not counted."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(program))
    glyf = font["glyf"]
    return sum(1 for name in font.getGlyphOrder()[1:] if glyf[name].numberOfContours != 0)


def test_a_khmer_local_name_is_printed_in_a_khmer_font(client, make, workshop, login_as, tmp_path):
    """Cambodia (a guest economy) sends Sokha CHAN: the Khmer name prints with the Noto Sans Khmer that
    EventHub ships (static/fonts/), whatever the server has installed."""
    ev = workshop.event
    reg = make.registration(ev, None, economy="KHM", given_name="Sokha", family_name="Chan", name_local="សុខា ចាន់",
                            category="guest")
    login_as(workshop.secretariat)
    response = client.get(f"/events/{ev.slug}/registrations/{reg.id}/badge.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    text = reader.pages[0].extract_text()
    assert "Sokha CHAN" in text and "សុខា ចាន់" in text
    assert len(reader.pages) == 1  # no note page: every character has a font
    programs = _embedded_fonts(response.data, tmp_path)
    assert "EventHub-Khmer" in programs, programs.keys()  # the shipped font, not the system's Khmer OS
    assert _drawn_glyphs(programs["EventHub-Khmer"]) >= 4  # real Khmer glyphs, not empty boxes
    # And they show on the rendered page: the local-name line has ink.
    png = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "50", "-gray", "-singlefile", str(tmp_path / "badge.pdf"), str(png)],
                   check=True)
    width, height, pixels = _pgm(tmp_path / "page.pgm")
    line = pixels[int(height * 0.25) * width:int(height * 0.36) * width]  # below the Latin name
    assert sum(1 for p in line if p < 128) > 50


def _pgm(path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    magic, width, height, _maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P5"
    return int(width), int(height), pixels


RENDER_WITHOUT_SYSTEM_FONTS = r"""
import sys, types
from eventhub import create_app
from eventhub.registration.models import Category
app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": sys.argv[1]})
from eventhub.attendance import badges, fonts
with app.test_request_context():
    def person(given, family, local, economy, code):
        return types.SimpleNamespace(id=1, given_name=given, family_name=family, name_local=local,
                                     badge_name=f"{given} {family.upper()}", organisation="", category=Category.GUEST,
                                     economy=types.SimpleNamespace(name=economy, code=code))
    people = [person("Sokha", "Chan", "សុខា ចាន់", "Cambodia", "KHM"),
              person("Siriporn", "Chaiyaporn", "ศิริพร ชัยพร", "Thailand", "THA"),
              person("Lan", "Nguyễn", "", "Viet Nam", "VN")]
    made = [badges.Badge(p, "T", "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E", "#000",
                         p.name_local) for p in people]
    pdf = badges.badges_pdf(types.SimpleNamespace(title="Workshop"), made, layout="single")
open(sys.argv[2], "wb").write(pdf)
"""


def test_badges_print_khmer_thai_and_vietnamese_on_a_server_without_fonts(tmp_path):
    """With fontconfig seeing no system font at all, Khmer, Thai and Vietnamese names still print (with
    the shipped fonts), and start-up warns that Chinese, Japanese and Korean would not."""
    config = tmp_path / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>')
    out = tmp_path / "badges.pdf"
    env = {**os.environ, "FONTCONFIG_FILE": str(config)}
    done = subprocess.run([sys.executable, "-c", RENDER_WITHOUT_SYSTEM_FONTS, f"sqlite:///{tmp_path}/x.db",
                           str(out)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Noto Sans CJK SC is not installed" in done.stderr and "fonts-noto-cjk" in done.stderr
    programs = _embedded_fonts(out.read_bytes(), tmp_path)
    assert {"EventHub-Khmer", "EventHub-Thai"} <= set(programs), programs.keys()
    assert programs.keys() <= {"EventHub-Khmer", "EventHub-Thai", "EventHub-Sans", "EventHub-Sans-Bold"}
    _pages, text = _pdf_text(out.read_bytes())
    assert "សុខា ចាន់" in text and "ศิริพร ชัยพร" in text and "Lan NGUYỄN" in text


def test_four_up_sheet_keeps_printer_margins(client, make, workshop, login_as, tmp_path):
    for i in range(5):
        make.registration(workshop.event, workshop.usa, given_name=f"Person{i}", family_name="Smith")
    login_as(workshop.secretariat)
    data = client.get(f"/events/{workshop.event.slug}/badges.pdf").data
    pages, text = _pdf_text(data)
    assert pages == 2 and all(f"Person{i} SMITH" in text for i in range(5))  # four badges fit on a sheet
    (tmp_path / "sheet.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", "1", "-singlefile", str(tmp_path / "sheet.pdf"),
                    str(tmp_path / "sheet")], check=True)
    width, height, pixels = _pgm(tmp_path / "sheet.pgm")
    margin = round(9.5 / 25.4 * 40)  # just inside 10 mm
    rows = [pixels[y * width:(y + 1) * width] for y in range(height)]
    border = [*rows[:margin], *rows[-margin:], *(r[:margin] + r[-margin:] for r in rows)]
    assert all(p > 245 for r in border for p in r), "something prints inside the printer's 10 mm margin"
    inside = rows[margin + 2][margin + 2:width - margin - 2]
    assert min(inside) < 128  # the colour bands start right at the margin


def test_a_local_name_that_repeats_the_latin_one_prints_once(client, make, workshop, login_as):
    ev = workshop.event
    make.registration(ev, workshop.usa, given_name="Lan", family_name="Nguyễn Thị", name_local="Nguyễn Thị Lan")
    make.registration(ev, workshop.usa, given_name="John", family_name="Smith", name_local="John SMITH")
    make.registration(ev, workshop.prc, given_name="Wei", family_name="Chen", name_local="陈伟")
    login_as(workshop.secretariat)
    _pages, text = _pdf_text(client.get(f"/events/{ev.slug}/badges.pdf").data)
    assert text.casefold().count("nguyễn") == 1 and text.count("John") == 1 and "陈伟" in text


def _pdftotext(data: bytes, tmp_path) -> str:
    (tmp_path / "doc.pdf").write_bytes(data)
    out = subprocess.run(["pdftotext", str(tmp_path / "doc.pdf"), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def test_a_name_no_font_covers_is_noted_in_the_pdf_and_logged_once(client, make, workshop, login_as, caplog,
                                                                    tmp_path):
    ev = workshop.event
    make.registration(ev, workshop.usa, given_name="Abebe", family_name="Bekele", name_local="አበበ ቢቂላ")  # Ethiopic
    make.registration(ev, workshop.prc, given_name="Wei", family_name="Chen", name_local="陈伟")
    login_as(workshop.secretariat)
    fonts._warned.clear()
    with caplog.at_level(logging.WARNING, logger="eventhub.attendance.fonts"):
        first = client.get(f"/events/{ev.slug}/badges.pdf").data
        client.get(f"/events/{ev.slug}/badges.pdf")
    assert len(PdfReader(io.BytesIO(first)).pages) == 2  # the note, then the sheet
    text = _pdftotext(first, tmp_path)
    assert "Before you print: 1 name has characters no font covers" in text
    assert "Abebe BEKELE (አበበ ቢቂላ)" in text and "U+12A0" in text and "Wei CHEN (陈伟)" not in text
    warnings = [r.getMessage() for r in caplog.records if r.name == "eventhub.attendance.fonts"]
    assert len(warnings) == 1 and "U+12A0" in warnings[0] and "Abebe" not in warnings[0]  # once, no names


def test_the_badges_page_says_when_the_server_lacks_a_font(client, workshop, login_as, monkeypatch):
    login_as(workshop.secretariat)
    page = client.get(f"/events/{workshop.event.slug}/badges").get_data(as_text=True)
    assert "will not print correctly" not in page
    monkeypatch.setattr(fonts, "missing_fonts", lambda: ((), True))  # no shipped file missing; no CJK font
    page = client.get(f"/events/{workshop.event.slug}/badges").get_data(as_text=True)
    assert "Some names will not print correctly on this server" in page
    assert "The font Noto Sans CJK SC is not installed" in page


def test_pdf_progress_lines_stay_out_of_the_server_log(client, make, workshop, login_as, caplog):
    make.registration(workshop.event, workshop.prc, given_name="Wei", family_name="Chen", name_local="陈伟")
    login_as(workshop.secretariat)
    with caplog.at_level(logging.INFO):
        assert client.get(f"/events/{workshop.event.slug}/badges.pdf").status_code == 200
        assert client.get(f"/events/{workshop.event.slug}/reports/attendance.pdf").status_code == 200
    noisy = [r for r in caplog.records if r.name.startswith(("weasyprint", "fontTools")) and r.levelno < logging.WARNING]
    assert noisy == []
