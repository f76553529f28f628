"""Shared set-up of the documents tests: an event with a Chinese delegate asking for a visa letter,
their focal point, the secretariat, the organizer, and a delegate of another economy."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from eventhub.attendance.models import CheckIn, CheckInSource
from eventhub.extensions import db

PASSPORT = {"name_in_passport": "WANG XIAOMEI", "nationality": "Chinese", "passport_number": "E 1234-5678",
            "date_of_birth": "1985-04-21", "stay_from": "2030-06-26", "stay_to": "2030-06-29"}


@dataclass
class World:
    event: object
    delegate: object  # the user
    reg: object
    focal: object
    secretariat: object
    organizer: object
    outsider: object  # a delegate of Thailand
    outsider_reg: object


@pytest.fixture
def world(make) -> World:
    event = make.event(slug="docs-ws", title="Workshop on Digital Trade", start=date(2030, 6, 27), days=2,
                       venue="Baiyun International Convention Center", host_organisation="Ministry of Commerce")
    focal = make.user("focal.prc@example.org")
    prc = make.delegation(event, "PRC", quota=10, focal_point=focal)
    delegate = make.user("wang@example.org")
    reg = make.registration(event, prc, user=delegate, email="wang@example.org", given_name="Xiaomei",
                            family_name="Wang", name_local="王晓梅", visa_letter=True, sex="female")
    tha = make.delegation(event, "THA", quota=10)
    outsider = make.user("somchai@example.org")
    outsider_reg = make.registration(event, tha, user=outsider, email="somchai@example.org", visa_letter=True)
    return World(event, delegate, reg, focal, make.staff(event, "secretariat", "sec@example.org"),
                 make.staff(event, "organizer", "org@example.org"), outsider, outsider_reg)


def check_in(event, reg, *, session=None, day=None) -> None:
    zone = ZoneInfo(event.timezone)
    day = day or event.start_date
    db.session.add(CheckIn(event_id=event.id, registration_id=reg.id, day=day,
                           session_id=session.id if session else None, source=CheckInSource.DESK,
                           scanned_at=datetime.combine(day, time(9, 0), tzinfo=zone)))
    db.session.commit()


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def english_on(html: str) -> list[str]:
    """English of our own on a page seen in Chinese (the untranslated-page crawl's check, on one page)."""
    from tests.i18n.test_untranslated_pages import _Text, content_strings, english_in

    parser = _Text("http://localhost/")
    parser.feed(html)
    return english_in("\n".join(parser.parts), content_strings())
