"""The programme of the demo workshop (shared/domain.md), loaded idempotently after the registration demo.

Opening remarks by three officials, expert presentations, four roundtables in preference mode with
rankings (and an allocation preview to look at), lunch, two bookable site visits in Baiyun District
with a bus each — one full with a waitlist, one with seats left — and business matching.
The demo delegates with log-ins (delegate1/delegate2) are left unbooked so a newcomer can try.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from eventhub.agenda.models import Session, SessionKind, SessionSpeaker, SignupMode, SiteVisit, SpeakerRole
from eventhub.events.models import Room
from eventhub.registration.models import Registration, RegistrationStatus
from eventhub.signups import roundtables
from eventhub.signups import services as signups
from eventhub.signups.models import AllocationRun, Booking, RoundtablePreference, Vehicle

TZ = ZoneInfo("Asia/Shanghai")
DAY = date(2025, 6, 28)
KEEP_FREE = ("delegate1@example.org", "delegate2@example.org")  # newcomers try booking themselves

ROUNDTABLES = [
    ("Roundtable: petroleum and petrochemicals", "Meeting Room 1", "Petroleum, Petrochemicals"),
    ("Roundtable: biomedicine", "Meeting Room 2", "Biomedicine"),
    ("Roundtable: new energy", "Meeting Room 3", "New energy"),
    ("Roundtable: new materials", "Meeting Room 4", "New materials"),
]

VISITS = [
    dict(title="Site visit: Guangdong Shifei Cosmetics Co., Ltd.", room="Guangdong Shifei Cosmetics Co., Ltd.",
         host="Guangdong Shifei Cosmetics Co., Ltd.", sector="Cosmetics and personal care",
         address="Baiyun District, Guangzhou, Guangdong", cluster="Baiyun beauty and cosmetics cluster",
         capacity=12, bus=12, book=12, wait=3, economy_cap=3,
         description="Facility tour of the production lines and R&D laboratory, a corporate presentation, and "
                     "business matching with cosmetics SMEs of the Baiyun cluster."),
    dict(title="Site visit: Guangzhou Seye Biopharmaceutical Technology Co., Ltd.",
         room="Guangzhou Seye Biopharmaceutical Technology Co., Ltd.",
         host="Guangzhou Seye Biopharmaceutical Technology Co., Ltd.", sector="Biopharmaceuticals",
         address="Baiyun District, Guangzhou, Guangdong", cluster="Guangzhou biomedicine cluster",
         capacity=15, bus=15, book=6, wait=0, economy_cap=None,
         description="Facility tour, a corporate presentation on biopharmaceutical innovation, and business "
                     "matching with life-science SMEs."),
]
# Chinese titles and descriptions of the programme (Chinese readers see these). The breaks and the site
# visits have none — the hosts' official Chinese company names are not in our notes — so the demo also
# shows the English fallback.
CHINESE = {
    "Opening remarks": ("开幕致辞", "东道主及APEC中小企业工作组致欢迎辞。"),
    "Expert presentations: cluster development in practice": (
        "专家报告：产业集群发展实践", "来自四个经济体的专家介绍中小企业集群发展的要素：供应链、技能、融资与创新服务。"),
    "Roundtable: petroleum and petrochemicals": ("圆桌会议：石油和石化", "讨论该行业的产业集群、中小企业及跨境合作。"),
    "Roundtable: biomedicine": ("圆桌会议：生物医药", "讨论该行业的产业集群、中小企业及跨境合作。"),
    "Roundtable: new energy": ("圆桌会议：新能源", "讨论该行业的产业集群、中小企业及跨境合作。"),
    "Roundtable: new materials": ("圆桌会议：新材料", "讨论该行业的产业集群、中小企业及跨境合作。"),
    "Business matching with Baiyun District companies": ("与白云区企业商务对接", "代表与当地中小企业预约的一对一洽谈。"),
}


def _at(hh: int, mm: int = 0) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hh, mm, tzinfo=TZ)


def load(db_session: DbSession, event) -> list[tuple[str, str]]:
    existing = {s.title: s for s in db_session.scalars(sa.select(Session).where(Session.event_id == event.id))}
    rooms = {r.name: r for r in db_session.scalars(sa.select(Room).where(Room.event_id == event.id))}
    people = list(db_session.scalars(
        sa.select(Registration).where(Registration.event_id == event.id,
                                      Registration.status == RegistrationStatus.APPROVED)
        .order_by(Registration.id)))
    by_email = {r.email: r for r in people}

    def session(title: str, kind: SessionKind, start: datetime, end: datetime, *, room: str | None = None,
                speakers=(), **kw) -> Session:
        if title in existing:
            return existing[title]
        title_zh, description_zh = CHINESE.get(title, ("", ""))
        s = Session(event_id=event.id, kind=kind, title=title, starts_at=start, ends_at=end,
                    title_zh=title_zh, description_zh=description_zh,
                    room_id=rooms[room].id if room in rooms else None, changed_at=_at(8), **kw)
        for i, (role, who, affiliation) in enumerate(speakers):
            reg = by_email.get(who) if "@" in who else None
            if "@" in who and reg is None:
                continue  # the registration demo did not add this person
            s.speakers.append(SessionSpeaker(role=role, registration_id=reg.id if reg else None,
                                             external_name="" if reg else who, affiliation=affiliation,
                                             position=i))
        db_session.add(s)
        db_session.flush()
        existing[title] = s
        return s

    session("Opening remarks", SessionKind.OPENING, _at(9), _at(9, 30), room="Hall A (plenary)", for_everyone=True,
            description="Welcome by the host and the APEC SME Working Group.",
            speakers=[(SpeakerRole.CHAIR, "chen.wei@example.org", "China Centre for Promotion of SME Development"),
                      (SpeakerRole.SPEAKER, "Ms Zhao Min", "Ministry of Industry and Information Technology"),
                      (SpeakerRole.SPEAKER, "Mr Huang Jianguo",
                       "Department of Industry and Information Technology of Guangdong Province"),
                      (SpeakerRole.SPEAKER, "Ms Maria Cristina Santos", "APEC SME Working Group")])
    session("Expert presentations: cluster development in practice", SessionKind.PRESENTATION, _at(9, 30),
            _at(10, 30), room="Hall A (plenary)", for_everyone=True, sector_tags="Industrial clusters",
            description="Experts from four economies on what makes SME clusters grow: supply chains, skills, "
                        "finance and innovation services.",
            speakers=[(SpeakerRole.MODERATOR, "chen.wei@example.org", ""),
                      (SpeakerRole.SPEAKER, "anan.w@example.org", "Chulalongkorn University"),
                      (SpeakerRole.SPEAKER, "seoyeon.lee@example.org", "KIET"),
                      (SpeakerRole.SPEAKER, "sarah.johnson@example.org", "U.S. Small Business Administration"),
                      (SpeakerRole.SPEAKER, "nguyen.van.an@example.org", "VEPR")])
    session("Coffee break", SessionKind.BREAK, _at(10, 30), _at(10, 45), room="Hall A (plenary)", for_everyone=True)
    moderators = ["anan.w@example.org", "seoyeon.lee@example.org", "sarah.johnson@example.org",
                  "nguyen.van.an@example.org"]
    tables = []
    for (title, room, tags), moderator in zip(ROUNDTABLES, moderators, strict=True):
        tables.append(session(
            title, SessionKind.ROUNDTABLE, _at(10, 45), _at(12), room=room, sector_tags=tags,
            bookable=True, capacity=7, signup_mode=SignupMode.PREFERENCE, economy_cap=2,
            signup_opens_at=_at(8).replace(month=5, day=1), signup_closes_at=_at(18).replace(day=DAY.day - 3),
            description="Discussion of the sector's clusters, their SMEs and cross-border cooperation.",
            speakers=[(SpeakerRole.MODERATOR, moderator, "")]))
    session("Lunch", SessionKind.MEAL, _at(12), _at(13, 15), room="Hall A (plenary)", for_everyone=True)
    visits = []
    for v in VISITS:
        s = session(v["title"], SessionKind.SITE_VISIT, _at(14), _at(16, 30), room=v["room"],
                    sector_tags=v["sector"], bookable=True, capacity=v["capacity"], economy_cap=v["economy_cap"],
                    economy_cap_until=_at(18).replace(day=20) if v["economy_cap"] else None,
                    signup_opens_at=_at(9).replace(month=5, day=1), description=v["description"])
        if s.site_visit is None:
            s.site_visit = SiteVisit(host_name=v["host"], host_sector=v["sector"], host_address=v["address"],
                                     cluster=v["cluster"], meeting_point="Main lobby, convention center",
                                     departs_at=_at(13, 20), returns_at=_at(17, 15),
                                     requirements="Photo ID (passport)\nBusiness attire\nClosed shoes")
        db_session.flush()
        if db_session.scalar(sa.select(Vehicle.id).where(Vehicle.session_id == s.id)) is None:
            signups.add_vehicle(db_session, s, name="Bus 1", seats=v["bus"], guide_name="Ms Liang Xiaoyu",
                                guide_phone="+86 20 8000 0000")
        visits.append((s, v))
    session("Business matching with Baiyun District companies", SessionKind.BUSINESS_MATCHING, _at(17, 30),
            _at(18, 30), room="Hall A (plenary)", for_everyone=True, sector_tags="Cosmetics, Biomedicine",
            description="Pre-arranged one-to-one meetings between delegates and local SMEs.")
    db_session.flush()

    candidates = [r for r in people if r.email not in KEEP_FREE]
    if not candidates:
        return []
    _book_visits(db_session, visits, candidates)
    _rank_roundtables(db_session, event, tables, candidates)
    return []


def _book_visits(db_session: DbSession, visits, candidates) -> None:
    if db_session.scalar(sa.select(Booking.id).where(Booking.session_id.in_([s.id for s, _ in visits]))):
        return
    queue = list(candidates)
    for s, v in visits:
        confirmed = 0
        for reg in list(queue):
            if confirmed >= v["book"]:
                break
            outcome = signups.book(db_session, s.id, reg.id, notify_person=False, now=_at(9).replace(month=5,
                                                                                                  day=2))
            if outcome.confirmed:
                confirmed += 1
                queue.remove(reg)
        for reg in queue[: v["wait"]]:
            signups.book(db_session, s.id, reg.id, notify_person=False, now=_at(9).replace(month=5, day=3))
        queue = queue[v["wait"]:]
        signups.auto_assign_vehicles(db_session, s)


def _rank_roundtables(db_session: DbSession, event, tables, candidates) -> None:
    if not tables or db_session.scalar(sa.select(RoundtablePreference.id).where(
            RoundtablePreference.event_id == event.id)):
        return
    # Biomedicine and new energy are popular; rankings rotate so the preview has something to show.
    orders = [(1, 2, 3, 0), (1, 0, 2, 3), (2, 1, 3, 0), (1, 3, 2, 0), (0, 1, 2, 3), (2, 3, 1, 0), (3, 1, 0, 2)]
    for i, reg in enumerate(candidates):
        order = orders[i % len(orders)]
        for rank, index in enumerate(order[:3], start=1):
            db_session.add(RoundtablePreference(event_id=event.id, registration_id=reg.id,
                                                session_id=tables[index].id, slot=tables[0].starts_at, rank=rank))
    db_session.flush()
    if db_session.scalar(sa.select(AllocationRun.id).where(AllocationRun.event_id == event.id)) is None:
        roundtables.run_allocation(db_session, event.id, tables[0].starts_at, actor_id=None)
