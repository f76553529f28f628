"""Suggestions: the listed profiles that complement a participant's best, with the reason shown.

A pair complements when one side offers what the other seeks: cooperation types count most, then
shared sectors, then words that one side's offer and the other's need have in common.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session as DbSession
from sqlalchemy.orm import joinedload

from eventhub.matching.models import CooperationType, MatchingProfile, MeetingRequest, unpack
from eventhub.registration.models import Registration

TYPE_WEIGHT, SECTOR_WEIGHT, WORD_WEIGHT = 3.0, 1.0, 0.5
MAX_WORDS = 4  # words count a little, and only so much: a long text should not outweigh a type
_WORD = re.compile(r"\w{4,}", re.UNICODE)
_STOP = frozenset("with that from this have they their your about into also more other such which will "
                  "company companies products services looking partners partner".split())


@functools.lru_cache(maxsize=4096)
def words(text: str) -> frozenset[str]:
    # Cached: one participant's texts are compared with every other profile's on each catalogue page.
    return frozenset(w for w in _WORD.findall((text or "").casefold()) if w not in _STOP)


@dataclass(frozen=True)
class Suggestion:
    profile: MatchingProfile
    score: float
    reason: str


def score(me: MatchingProfile, them: MatchingProfile) -> tuple[float, str]:
    """How well `them` complements `me`, and the first reason why, as a sentence (empty when 0)."""
    they_offer = [t for t in unpack(me.seek_types) if t in set(unpack(them.offer_types))]
    they_seek = [t for t in unpack(me.offer_types) if t in set(unpack(them.seek_types))]
    sectors = [s for s in unpack(me.sectors) if s in set(unpack(them.sectors))]
    common = sorted((words(me.seeks) & words(them.offers)) | (words(me.offers) & words(them.seeks)))
    total = (TYPE_WEIGHT * (len(they_offer) + len(they_seek)) + SECTOR_WEIGHT * len(sectors)
             + WORD_WEIGHT * min(len(common), MAX_WORDS))
    if they_offer and sectors:
        reason = _("They offer %(type)s in %(sector)s, which you seek.",
                   type=CooperationType(they_offer[0]).label.lower(), sector=sectors[0])
    elif they_offer:
        reason = _("They offer %(type)s, which you seek.", type=CooperationType(they_offer[0]).label.lower())
    elif they_seek:
        reason = _("They seek %(type)s, which you offer.", type=CooperationType(they_seek[0]).label.lower())
    elif sectors:
        reason = _("You both work in %(sector)s.", sector=sectors[0])
    elif common:
        reason = _("Your texts both mention “%(word)s”.", word=common[0])
    else:
        reason = ""
    return total, reason


def suggestions(db: DbSession, me: MatchingProfile, *, limit: int = 10) -> list[Suggestion]:
    """The best-complementing listed profiles of the event that `me` has not been in touch with yet.
    Three statements, whatever the number of profiles (they are scored in memory: an event has hundreds)."""
    asked = {row for row in db.scalars(sa.select(
        sa.case((MeetingRequest.low_id == me.id, MeetingRequest.high_id), else_=MeetingRequest.low_id))
        .where(MeetingRequest.event_id == me.event_id,
               sa.or_(MeetingRequest.low_id == me.id, MeetingRequest.high_id == me.id)))}
    # Scored on plain rows (the columns score() reads); only the few shown are loaded as profiles.
    others = db.execute(
        sa.select(MatchingProfile.id, MatchingProfile.organisation, MatchingProfile.sectors,
                  MatchingProfile.offers, MatchingProfile.seeks, MatchingProfile.offer_types,
                  MatchingProfile.seek_types)
        .where(MatchingProfile.event_id == me.event_id, MatchingProfile.listed.is_(True),
               MatchingProfile.id != me.id)).all()
    own = me.organisation.strip().casefold()
    # My side once; the others' values without their sentences (only the few shown get one).
    seek, offer, sectors = set(unpack(me.seek_types)), set(unpack(me.offer_types)), set(unpack(me.sectors))
    my_seeks, my_offers = words(me.seeks), words(me.offers)
    ranked = []
    for them in others:
        if them.id in asked or (own and them.organisation.strip().casefold() == own):
            continue
        value = (TYPE_WEIGHT * (len(seek.intersection(unpack(them.offer_types)))
                                + len(offer.intersection(unpack(them.seek_types))))
                 + SECTOR_WEIGHT * len(sectors.intersection(unpack(them.sectors)))
                 + WORD_WEIGHT * min(len((my_seeks & words(them.offers)) | (my_offers & words(them.seeks))),
                                     MAX_WORDS))
        if value > 0:
            ranked.append((value, them.organisation.casefold(), them.id))
    ranked.sort(key=lambda r: (-r[0], r[1], r[2]))
    top = ranked[:limit]
    loaded = {p.id: p for p in db.scalars(
        sa.select(MatchingProfile).where(MatchingProfile.id.in_([r[2] for r in top]))
        .options(joinedload(MatchingProfile.registration).joinedload(Registration.economy)))} if top else {}
    return [Suggestion(loaded[pid], value, score(me, loaded[pid])[1]) for value, _name, pid in top]
