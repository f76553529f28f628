"""The upcoming demo workshop: dated from the day `flask eventhub load-demo` first loads it.

The Guangzhou workshop of shared/domain.md (28 June 2025) is kept as the finished one, with its
attendance. This second one, in Chengdu a month ahead, has registration and sign-ups open, so that
a newcomer on a fresh clone can try every delegate flow: register through an economy's link, book
the site visit, rank the roundtables. Once loaded its dates stay as they are (a later run adds
nothing and moves nothing); delete the database to date it afresh.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from eventhub.accounts.models import EventRole, EventRoleKind, User
from eventhub.agenda.models import Session, SessionKind, SessionSpeaker, SignupMode, SiteVisit, SpeakerRole
from eventhub.db import utcnow
from eventhub.economies.models import Economy
from eventhub.economies.services import by_code
from eventhub.events.models import Event, EventStatus, Room, RoomKind
from eventhub.registration.demo import PEOPLE, WITH_ACCOUNTS, demo_phone
from eventhub.registration.models import (
    Delegation,
    FocalPoint,
    Registration,
    RegistrationLog,
    RegistrationStatus,
)
from eventhub.registration.services import take_place
from eventhub.signups.vehicles import add_vehicle

UPCOMING_SLUG = "sichuan-sme-clusters"
DAYS_AHEAD = 30
ECONOMIES = ["AUS", "BD", "CDA", "CHL", "HKC", "INA", "JPN", "ROK", "MAS", "MEX", "NZ", "PE", "PHL", "SGP",
             "CT", "THA", "USA", "VN", "LAO", "KHM"]
# Registered already, so that lists, the site visit and the rankings are not empty. The demo log-ins
# (WITH_ACCOUNTS) are left out: they register themselves.
PRE_REGISTERED = 10

ROUNDTABLES = [
    ("Roundtable: electronic information clusters", "Meeting Room A", "Electronic information"),
    ("Roundtable: equipment manufacturing clusters", "Meeting Room B", "Equipment manufacturing"),
    ("Roundtable: food and light textiles clusters", "Meeting Room C", "Food, Light textiles"),
]


def load(db_session: DbSession, users: dict[str, User], *, today: date | None = None) -> Event:
    """Add the Chengdu workshop (idempotent); `users` are the demo accounts by e-mail."""
    event = db_session.scalar(sa.select(Event).where(Event.slug == UPCOMING_SLUG))
    if event is not None:
        _fill_missing_phones(db_session, event)
        return event
    now = utcnow()
    day = (today or now.date()) + timedelta(days=DAYS_AHEAD)
    event = Event(
        slug=UPCOMING_SLUG,
        title="Workshop on Sichuan's SME Industrial Clusters with Local Features",
        series="SMEWG",
        description=(
            "A one-day workshop in Chengdu on the SME industrial clusters of Sichuan's provincial list — "
            "36 clusters in 17 cities across electronic information, equipment manufacturing, food and light "
            "textiles, energy and chemicals, advanced materials and pharmaceutical health.\n\n"
            "Morning: opening, expert presentations, and parallel roundtables by sector (rank the three; "
            "places are allocated by preference).\n\n"
            "Afternoon: a site visit to the Chongzhou Smart Home Industry Cluster, by bus from the venue."
        ),
        host_economy=by_code(db_session, "PRC"),
        host_organisation="China Centre for Promotion of SME Development",
        city="Chengdu",
        venue="Chengdu Tianfu International Conference Center",
        address="Tianfu New Area, Chengdu, Sichuan, China",
        timezone="Asia/Shanghai",
        start_date=day,
        end_date=day,
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=None,  # closes when the event ends
        status=EventStatus.PUBLISHED,
        contact_email="sichuan-clusters@example.org",
        default_quota=4,
        # Registrations through a link are admitted at once while the delegation has places, so a
        # newcomer can go on to book and rank without waiting for the secretariat.
        approval_required=False,
    )
    event.rooms = [
        Room(name="Plenary Hall", kind=RoomKind.ROOM, capacity=120),
        *(Room(name=room, kind=RoomKind.ROOM, capacity=20) for _, room, _ in ROUNDTABLES),
        Room(name="Chongzhou Smart Home Industry Cluster", kind=RoomKind.OFFSITE,
             address="Chongzhou Economic Development Zone, Chengdu, Sichuan"),
    ]
    db_session.add(event)
    db_session.flush()
    for email, role in (("organizer@example.org", EventRoleKind.ORGANIZER),
                        ("secretariat@example.org", EventRoleKind.SECRETARIAT),
                        ("checkin@example.org", EventRoleKind.CHECKIN)):
        db_session.add(EventRole(event=event, user=users[email], role=role))
    delegations = {}
    for code in ECONOMIES:
        economy = by_code(db_session, code)
        if economy is not None:
            delegations[code] = Delegation(event=event, economy=economy, quota=event.default_quota)
            db_session.add(delegations[code])
    db_session.flush()
    db_session.add(FocalPoint(delegation=delegations["THA"], user=users["focal.thailand@example.org"]))
    people = _pre_register(db_session, event, delegations, now)
    _programme(db_session, event, day, now, people)
    db_session.flush()
    return event


def _pre_register(db_session: DbSession, event: Event, delegations: dict, now: datetime) -> list[Registration]:
    people = []
    for n, (code, email, honorific, given, family, local, sex, org, position, category, funding,
            _status) in enumerate(PEOPLE):
        delegation = delegations.get(code)
        if email in WITH_ACCOUNTS or delegation is None or len(people) >= PRE_REGISTERED:
            continue
        user = db_session.scalar(sa.select(User).where(User.email == email))
        at = now - timedelta(hours=20 - n)
        reg = Registration(
            event_id=event.id, economy_id=delegation.economy_id, delegation_id=delegation.id,
            user_id=user.id if user else None, email=email, honorific=honorific, given_name=given,
            family_name=family, name_local=local, sex=sex, organisation=org, position=position,
            category=category, funding=funding, phone=demo_phone(n, code), privacy_acknowledged_at=at,
            consent_list=True, status=RegistrationStatus.SUBMITTED, created_at=at, updated_at=at,
        )
        db_session.add(reg)
        db_session.flush()
        db_session.add(RegistrationLog(registration_id=reg.id, action="registered", to_status="submitted", at=at))
        if take_place(db_session, delegation.id):
            reg.status = RegistrationStatus.APPROVED
            db_session.add(RegistrationLog(registration_id=reg.id, action="approved", from_status="submitted",
                                           to_status="approved", note="approval not required", at=at))
            people.append(reg)
    db_session.flush()
    return people


def _fill_missing_phones(db_session: DbSession, event: Event) -> None:
    """As the registration demo does: a demo person without a phone gets one; a real one is kept."""
    numbers = {email: demo_phone(n, code) for n, (code, email, *_rest) in enumerate(PEOPLE)}
    for reg in db_session.scalars(sa.select(Registration).where(Registration.event_id == event.id,
                                                                Registration.phone == "")):
        if reg.email in numbers:
            reg.phone = numbers[reg.email]


def _programme(db_session: DbSession, event: Event, day: date, now: datetime, people: list) -> None:
    tz = event.tz
    rooms = {r.name: r for r in event.rooms}

    def at(hh: int, mm: int = 0) -> datetime:
        return datetime.combine(day, time(hh, mm), tzinfo=tz)

    def session(title, kind, start, end, room=None, **kw) -> Session:
        s = Session(event_id=event.id, kind=kind, title=title, starts_at=start, ends_at=end,
                    room_id=rooms[room].id if room else None, **kw)
        db_session.add(s)
        return s

    signup_opens = now - timedelta(days=1)
    ranking_closes = at(18) - timedelta(days=5)
    opening = session("Opening and welcome", SessionKind.OPENING, at(9), at(9, 30), "Plenary Hall",
                      for_everyone=True, description="Welcome by the host and the APEC SME Working Group.")
    chair = next((r for r in people if r.email == "anan.w@example.org"), None)
    if chair is not None:
        opening.speakers.append(SessionSpeaker(role=SpeakerRole.CHAIR, registration_id=chair.id, position=0))
    opening.speakers.append(SessionSpeaker(role=SpeakerRole.SPEAKER, external_name="Ms Wang Li", position=1,
                                           affiliation="Sichuan Provincial Department of Economy and Information"))
    session("Expert presentations: Sichuan's clusters with local features", SessionKind.PRESENTATION,
            at(9, 30), at(10, 30), "Plenary Hall", for_everyone=True, sector_tags="Industrial clusters",
            description="How the provincial cluster list was drawn up, and what its 36 clusters share.")
    session("Coffee break", SessionKind.BREAK, at(10, 30), at(10, 45), "Plenary Hall", for_everyone=True)
    for title, room, tags in ROUNDTABLES:
        session(title, SessionKind.ROUNDTABLE, at(10, 45), at(12), room, sector_tags=tags, bookable=True,
                capacity=8, signup_mode=SignupMode.PREFERENCE, economy_cap=2, signup_opens_at=signup_opens,
                signup_closes_at=ranking_closes,
                description="The sector's clusters in Sichuan, their SMEs and cooperation across economies.")
    session("Lunch", SessionKind.MEAL, at(12), at(13, 15), "Plenary Hall", for_everyone=True)
    visit = session("Site visit: Chongzhou Smart Home Industry Cluster", SessionKind.SITE_VISIT, at(14),
                    at(16, 30), "Chongzhou Smart Home Industry Cluster", sector_tags="Smart home, Furniture",
                    bookable=True, capacity=20, economy_cap=3, signup_opens_at=signup_opens,
                    signup_closes_at=at(18) - timedelta(days=3),
                    description="Factory tours of smart-home and furniture makers, the cluster's design centre, "
                                "and business matching with its SMEs.")
    visit.site_visit = SiteVisit(host_name="Chongzhou Smart Home Industry Cluster", host_sector="Smart home",
                                 host_address="Chongzhou Economic Development Zone, Chengdu, Sichuan",
                                 cluster="Chongzhou Smart Home Industry Cluster",
                                 meeting_point="Main entrance, Tianfu International Conference Center",
                                 departs_at=at(13, 15), returns_at=at(17, 30),
                                 requirements="Photo ID (passport)\nClosed shoes")
    session("Business matching with Sichuan cluster firms", SessionKind.BUSINESS_MATCHING, at(17, 30),
            at(18, 30), "Plenary Hall", for_everyone=True, sector_tags="Industrial clusters",
            description="Pre-arranged one-to-one meetings between delegates and Sichuan SMEs.")
    db_session.flush()
    add_vehicle(db_session, visit, name="Bus 1", seats=20, guide_name="Mr Zhang Hao", guide_phone="+86 28 8000 0000")


def registration_links(db_session: DbSession, event: Event) -> list[tuple[str, str]]:
    """Lines for load-demo to print: where the upcoming workshop is, and two economies' links."""
    links = [(f"/events/{event.slug}", f"upcoming demo workshop, {event.start_date:%d %b %Y} (register, book, rank)")]
    for code, who in (("JPN", "delegate2@example.org registers here"), ("THA", "delegate1@example.org registers here")):
        token = db_session.scalar(sa.select(Delegation.invite_token).join(Economy, Economy.id == Delegation.economy_id)
                                  .where(Delegation.event_id == event.id, Economy.code == code))
        if token:
            links.append((f"/r/{token}", f"registration link of {code} ({who})"))
    return links
