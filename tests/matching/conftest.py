"""A small matching world: an event with matching on, a Thai delegate, a Chinese firm and their profiles."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pytest

from eventhub.extensions import db
from eventhub.matching import participants, profiles
from tests.conftest import PASSWORD

SECTORS = ["Biomedicine", "Cosmetics", "Logistics"]


@dataclass
class World:
    event: object
    settings: object
    users: dict
    regs: dict
    profiles: dict


@functools.cache
def _password_hash() -> str:
    # scrypt is slow on purpose: hash the test password once, not once per participant.
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD, method="scrypt")


def add_participant(make, event, settings, key: str, economy: str, *, organisation: str, listed: bool = True,
                    category: str = "delegate", **profile):
    from eventhub.accounts.models import User

    user = User(email=f"{key}@example.org", password_hash=_password_hash(), password_version=1)
    db.session.add(user)
    db.session.flush()
    reg = make.registration(event, economy=economy, user=user, email=f"{key}@example.org", given_name=key.title(),
                            family_name="Tester", organisation=organisation, phone="+86 20 1234 5678",
                            category=category)
    fields = dict(sectors=[], cluster_name="", cluster_location="", offers="", seeks="", offer_types=[],
                  seek_types=[], languages=["en"], listed=listed)
    fields.update(profile)
    p = profiles.save_profile(db.session, settings, reg, organisation=organisation, **fields)
    db.session.commit()
    return user, reg, p


@pytest.fixture
def world(make) -> World:
    event = make.event(title="Cluster workshop")
    settings = participants.save_settings(db.session, event.id, enabled=True,
                                          categories=participants.DEFAULT_CATEGORIES, sectors=SECTORS,
                                          open_request_limit=3, requests_close_at=None)
    db.session.commit()
    w = World(event, settings, {}, {}, {})
    for key, economy, organisation, extra in (
        ("ana", "THA", "Bangkok Biotech", dict(sectors=["Biomedicine"], seeks="partners in biomedicine research",
                                                seek_types=["technology_transfer"], offer_types=["buyer"])),
        ("seye", "PRC", "Guangzhou Seye Biopharmaceutical", dict(
            sectors=["Biomedicine"], offers="biomedicine research and licensing", offer_types=["technology_transfer"],
            cluster_name="Baiyun biomedicine cluster", cluster_location="Guangzhou", languages=["zh", "en"])),
        ("shifei", "PRC", "Guangdong Shifei Cosmetics", dict(sectors=["Cosmetics"], offer_types=["supplier"],
                                                              cluster_name="Baiyun District cosmetics cluster")),
    ):
        w.users[key], w.regs[key], w.profiles[key] = add_participant(make, event, settings, key, economy,
                                                                     organisation=organisation, **extra)
    return w


from tests.matching.daykit import scheduled  # noqa: E402,F401  (meetings in slots: on the day, mail, feed, PDFs)
