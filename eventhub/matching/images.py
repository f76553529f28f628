"""A profile's logo or photo: the upload is checked and re-encoded by documents.images (PNG or JPEG,
size, dimensions, decompression bombs), then shrunk to what the catalogue shows."""

from __future__ import annotations

import io

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from eventhub.documents.images import reencode_image
from eventhub.matching.firm_models import ProfileImage
from eventhub.matching.models import MatchingProfile

SHOWN_SIDE = 400  # pixels: a card shows the image small; a phone's screen at most this wide


def profile_png(data: bytes, *, field: str) -> bytes:
    """A PNG of at most SHOWN_SIDE a side, drawn from the checked, re-encoded upload."""
    from PIL import Image

    clean = reencode_image(data, field=field)
    with Image.open(io.BytesIO(clean)) as image:
        image.load()
        image.thumbnail((SHOWN_SIDE, SHOWN_SIDE))
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def store(db: DbSession, profile: MatchingProfile, png: bytes) -> ProfileImage:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    current = db.get(ProfileImage, profile.id)
    if current is None:
        current = ProfileImage(profile_id=profile.id, png=png, width=width, height=height)
        db.add(current)
    else:
        current.png, current.width, current.height = png, width, height
    db.flush()
    return current


def remove(db: DbSession, profile: MatchingProfile) -> None:
    db.execute(sa.delete(ProfileImage).where(ProfileImage.profile_id == profile.id))
    db.flush()


def image_of(db: DbSession, profile_id: int) -> ProfileImage | None:
    return db.get(ProfileImage, profile_id)


def event_image_ids(db: DbSession, event_id: int) -> set[int]:
    """The profiles of the event that have an image (one statement, for a page of cards)."""
    return set(db.scalars(sa.select(ProfileImage.profile_id).join(
        MatchingProfile, MatchingProfile.id == ProfileImage.profile_id).where(MatchingProfile.event_id == event_id)))
