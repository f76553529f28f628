"""Shared set-up of the registration tests: an open event with a Thai delegation and its people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from eventhub.db import utcnow


@dataclass
class World:
    event: object
    thailand: object
    viet_nam: object
    focal: object
    other_focal: object
    organizer: object
    secretariat: object


@pytest.fixture
def world(make) -> World:
    return make_world(make)


def make_world(make) -> World:
    """The world of the fixture, for tests elsewhere (tests/i18n) that need the same set-up."""
    now = utcnow()
    event = make.event(title="SME Cluster Workshop", registration_opens_at=now - timedelta(days=1),
                       registration_closes_at=now + timedelta(days=20), contact_email="sme@example.org")
    focal = make.user("focal.th@example.org", name="Siriporn Chaiyaporn")
    other_focal = make.user("focal.vn@example.org", name="Nguyen Thi Lan")
    thailand = make.delegation(event, "THA", quota=2, focal_point=focal)
    viet_nam = make.delegation(event, "VN", quota=3, focal_point=other_focal)
    organizer = make.staff(event, "organizer", "org@example.org")
    secretariat = make.staff(event, "secretariat", "sec@example.org")
    return World(event, thailand, viet_nam, focal, other_focal, organizer, secretariat)


def details(**overrides) -> dict:
    """Form-level details of a person, as the services take them."""
    values = {
        "honorific": "Mr", "given_name": "Somchai", "family_name": "Jaidee", "name_local": "สมชาย ใจดี",
        "sex": "male", "organisation": "Office of SME Promotion", "position": "Director", "sector": "Government",
        "category": "delegate", "phone": "+66 2 123 4567", "dietary": "halal", "accessibility": "",
        "arrival_at": None, "departure_at": None, "visa_letter": True, "funding": "self_funded",
        "consent_list": True, "consent_photo": False,
    }
    values.update(overrides)
    return values


def form_data(**overrides) -> dict:
    """What a browser posts from the public registration form."""
    data = {
        "honorific": "Ms", "given_name": "Lan", "family_name": "Nguyễn", "name_local": "Nguyễn Thị Lan",
        "sex": "female", "organisation": "Agency for SME Development", "position": "Officer",
        "sector": "Government", "category": "delegate", "email": "lan@example.vn", "phone": "+84 24 1234 5678",
        "dietary": "", "accessibility": "", "arrival_at": "", "departure_at": "", "funding": "self_funded",
        "consent_list": "y", "privacy": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
