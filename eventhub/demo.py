"""The demo workshops, loaded idempotently by `flask eventhub load-demo`: the finished one of
shared/domain.md (Guangzhou, 28 June 2025) here, the upcoming one in eventhub/demo_upcoming.py.

Every step looks up what it would create first, so a second run adds nothing and changes
nothing that a user may have edited. Feature packages add their part through the calls at
the end of load_demo(), in dependency order.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session as DbSession

from eventhub.accounts.models import EventRole, EventRoleKind, User
from eventhub.accounts.services import find_user
from eventhub.economies.services import by_code, load_reference_data
from eventhub.events.models import Event, EventStatus, Room, RoomKind
from eventhub.registration.models import Delegation, FocalPoint

DEMO_SLUG = "apec-sme-cluster-2025"
TZ = ZoneInfo("Asia/Shanghai")

# The economies of the Guangzhou workshop (domain.md), plus Lao PDR and Cambodia as guests.
DEMO_ECONOMIES = ["BD", "CDA", "HKC", "INA", "JPN", "ROK", "MAS", "PHL", "SGP", "THA", "USA", "LAO", "KHM"]

DEMO_ACCOUNTS = [
    ("admin@example.org", "Site Admin", "site admin"),
    ("organizer@example.org", "Li Wei (organizer)", "organizer of the demo event"),
    ("secretariat@example.org", "Sarah Tan (secretariat)", "secretariat of the demo event"),
    ("checkin@example.org", "Chen Jing (check-in desk)", "check-in staff of the demo event"),
    ("focal.thailand@example.org", "Siriporn Chaiyaporn", "focal point of Thailand"),
]


def demo_password(app: Flask, given: str | None) -> str:
    """The given password, or one generated once and kept in the instance folder."""
    if given:
        return given
    path = Path(app.instance_path) / "demo_password"
    if path.exists():
        return path.read_text().strip()
    password = secrets.token_urlsafe(9)
    path.write_text(password)
    path.chmod(0o600)
    return password


def _user(db_session: DbSession, email: str, name: str, password: str, *, admin: bool = False) -> User:
    user = find_user(db_session, email)
    if user is None:
        user = User(email=email, name=name, is_admin=admin)
        db_session.add(user)
    if not user.check_password(password):
        user.set_password(password)  # the printed password must work
    return user


def _local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=TZ)


def load_demo(db_session: DbSession, password: str) -> list[tuple[str, str]]:
    load_reference_data(db_session)
    users = {email: _user(db_session, email, name, password, admin=(email == "admin@example.org"))
             for email, name, _ in DEMO_ACCOUNTS}
    db_session.flush()

    event = db_session.scalar(sa.select(Event).where(Event.slug == DEMO_SLUG))
    if event is None:
        day = date(2025, 6, 28)
        event = Event(
            slug=DEMO_SLUG,
            title="Project on Promoting SME Industrial Cluster Development in the APEC Region",
            series="SMEWG",
            description=(
                "A one-day workshop on industrial cluster development for small and medium enterprises, "
                "hosted by the China Centre for Promotion of SME Development.\n\n"
                "Morning: opening remarks, expert presentations and roundtable discussions on key industries — "
                "petroleum and petrochemicals, biomedicine, new energy, new materials.\n\n"
                "Afternoon: site visits in Baiyun District to Guangdong Shifei Cosmetics Co., Ltd. and Guangzhou "
                "Seye Biopharmaceutical Technology Co., Ltd., with facility tours, corporate presentations and "
                "business matching."
            ),
            host_economy=by_code(db_session, "PRC"),
            host_organisation="China Centre for Promotion of SME Development",
            city="Guangzhou",
            venue="Guangzhou Baiyun International Convention Center",
            address="No. 1 Yuntai Road, Baiyun District, Guangzhou, Guangdong, China",
            timezone="Asia/Shanghai",
            start_date=day,
            end_date=day,
            registration_opens_at=_local(date(2025, 4, 1), 9),
            # Left open so that a newcomer can try the registration link of the demo.
            registration_closes_at=None,
            status=EventStatus.PUBLISHED,
            contact_email="sme-cluster@example.org",
            default_quota=4,
            approval_required=True,
        )
        event.rooms = [
            Room(name="Hall A (plenary)", kind=RoomKind.ROOM, capacity=150),
            Room(name="Meeting Room 1", kind=RoomKind.ROOM, capacity=20),
            Room(name="Meeting Room 2", kind=RoomKind.ROOM, capacity=20),
            Room(name="Meeting Room 3", kind=RoomKind.ROOM, capacity=20),
            Room(name="Meeting Room 4", kind=RoomKind.ROOM, capacity=20),
            Room(name="Guangdong Shifei Cosmetics Co., Ltd.", kind=RoomKind.OFFSITE,
                 address="Baiyun District, Guangzhou"),
            Room(name="Guangzhou Seye Biopharmaceutical Technology Co., Ltd.", kind=RoomKind.OFFSITE,
                 address="Baiyun District, Guangzhou"),
        ]
        db_session.add(event)
        db_session.flush()

    for email, role in (("organizer@example.org", EventRoleKind.ORGANIZER),
                        ("secretariat@example.org", EventRoleKind.SECRETARIAT),
                        ("checkin@example.org", EventRoleKind.CHECKIN)):
        exists = db_session.scalar(sa.select(EventRole.id).where(
            EventRole.event_id == event.id, EventRole.user_id == users[email].id, EventRole.role == role))
        if exists is None:
            db_session.add(EventRole(event=event, user=users[email], role=role))

    delegations = {d.economy.code: d for d in db_session.scalars(
        sa.select(Delegation).where(Delegation.event_id == event.id))}
    for code in DEMO_ECONOMIES:
        if code not in delegations:
            delegation = Delegation(event=event, economy=by_code(db_session, code), quota=event.default_quota)
            db_session.add(delegation)
            delegations[code] = delegation
    db_session.flush()

    thailand = delegations["THA"]
    focal = users["focal.thailand@example.org"]
    if db_session.scalar(sa.select(FocalPoint.id).where(
            FocalPoint.delegation_id == thailand.id, FocalPoint.user_id == focal.id)) is None:
        db_session.add(FocalPoint(delegation=thailand, user=focal))
    db_session.flush()

    accounts = [(email, role) for email, _, role in DEMO_ACCOUNTS]
    # --- Feature demos: the marked spot. One call per feature, in dependency order
    # (registration → agenda/sign-ups → attendance). Each is idempotent; a loader may return
    # extra (email, role) log-ins to print.
    from eventhub.registration import demo as registration_demo

    accounts += registration_demo.load(db_session, event, password=password)
    from eventhub.agenda import demo as agenda_demo

    accounts += agenda_demo.load(db_session, event)
    from eventhub.attendance import demo as attendance_demo

    accounts += attendance_demo.load(db_session, event)
    from eventhub.matching import demo as matching_demo

    accounts += matching_demo.load(db_session, event, password=password)
    # --- end of feature demos

    # The upcoming workshop (a month after the first load), where every delegate flow is open.
    from eventhub.demo_upcoming import load as load_upcoming
    from eventhub.demo_upcoming import registration_links

    upcoming = load_upcoming(db_session, users)
    accounts += registration_links(db_session, upcoming)
    return accounts
