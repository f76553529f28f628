"""Request and response models: the server validates against them and the OpenAPI description
is generated from them (spectree), so the two cannot drift apart."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

from eventhub.registration.models import Category
from eventhub.web import MAX_ID  # an id the database can hold: PostgreSQL refuses to compare a bigger one


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None = None


class Error(BaseModel):
    error: ErrorDetail


def _iso_text(value):
    # pydantic would take a number as seconds since 1970: the description promises ISO 8601 text.
    if not isinstance(value, str | datetime) or (isinstance(value, str) and not _ISO.match(value)):
        raise ValueError("must be an ISO 8601 time with its UTC offset, e.g. 2025-06-28T09:00:00+08:00")
    return value


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]")
IsoTime = Annotated[AwareDatetime, BeforeValidator(_iso_text)]


class Page(Strict):
    cursor: str | None = Field(None, max_length=100, description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=200)


class SyncPage(Page):
    updated_since: IsoTime | None = Field(None, description="ISO 8601 with UTC offset: only rows changed since")


class RegistrationQuery(SyncPage):
    economy: str | None = Field(None, max_length=10, description="economy code, e.g. THA")
    state: Literal["submitted", "approved", "waitlisted", "declined", "cancelled"] | None = None
    category: Category | None = None


class Room(BaseModel):
    id: int
    name: str
    capacity: int | None


class Session(BaseModel):
    id: int
    title: str
    kind: str
    status: str
    starts_at: datetime
    ends_at: datetime
    room: Room | None
    bookable: bool
    capacity: int | None
    seats_left: int | None


class Economy(BaseModel):
    code: str
    name: str


class EventSummary(BaseModel):
    slug: str
    title: str
    city: str
    start_date: date
    end_date: date
    timezone: str
    status: str


class EventList(BaseModel):
    data: list[EventSummary]
    next_cursor: str | None


class EventDetail(EventSummary):
    description: str
    venue: str
    sessions: list[Session]
    economies: list[Economy]


class Registration(BaseModel):
    id: int
    economy: str
    delegation_id: int | None
    email: str
    given_name: str
    family_name: str
    organisation: str
    position: str
    category: str
    state: str
    created_at: datetime
    updated_at: datetime


class RegistrationList(BaseModel):
    data: list[Registration]
    next_cursor: str | None


class Delegation(BaseModel):
    id: int
    economy: str
    quota: int
    taken: int
    places_left: int
    counts: dict[str, int]


class DelegationList(BaseModel):
    data: list[Delegation]


class Booking(BaseModel):
    id: int
    registration_id: int
    session_id: int
    status: str
    updated_at: datetime


class BookingList(BaseModel):
    data: list[Booking]
    next_cursor: str | None


class CheckIn(BaseModel):
    id: int
    registration_id: int
    day: date
    session_id: int | None
    scanned_at: datetime
    recorded_at: datetime
    undone: bool


class CheckInList(BaseModel):
    data: list[CheckIn]
    next_cursor: str | None


class SummaryRow(BaseModel):
    key: str
    label: str
    registered: int
    approved: int
    attended: int
    no_shows: int


class DayFigures(BaseModel):
    day: date
    attended: int
    economies: int
    no_shows: int


class SessionFigures(BaseModel):
    session_id: int
    title: str
    booked: int
    attended: int
    capacity: int | None


class AttendanceSummary(BaseModel):
    totals: SummaryRow
    economies_registered: int
    economies_represented: int
    by_economy: list[SummaryRow]
    by_category: list[SummaryRow]
    per_day: list[DayFigures]
    per_session: list[SessionFigures]


class NewRegistration(Strict):
    email: str = Field(max_length=254)
    given_name: str = Field(min_length=1, max_length=120)
    family_name: str = Field(min_length=1, max_length=120)
    organisation: str = Field("", max_length=300)
    position: str = Field("", max_length=200)
    category: Category | None = None


class Decision(Strict):
    decision: Literal["approve", "decline"]
    reason: str = Field("", max_length=500)
    approve_unconfirmed: bool = False


class NewBooking(Strict):
    registration_id: int = Field(ge=1, le=MAX_ID)


class BookingResult(BaseModel):
    id: int
    status: str
