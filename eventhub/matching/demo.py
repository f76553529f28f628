"""The demo workshop's business matching: "Business matching with Baiyun District companies".

Cluster firms register through the invitation link (as a firm would), delegates have profiles,
and requests are pending, declined, accepted and scheduled, so that a newcomer sees the catalogue,
suggestions, a schedule and the report. Idempotent: once matching is on, nothing is added.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from eventhub.agenda.models import Session, SessionKind
from eventhub.economies.services import by_code
from eventhub.matching import firms, participants, profiles, scheduling
from eventhub.matching import requests as meeting_requests
from eventhub.registration.models import Registration, RegistrationStatus

SESSION_TITLE = "Business matching with Baiyun District companies"
SECTORS = ["Cosmetics", "Biomedicine", "Petroleum and petrochemicals", "New energy", "New materials",
           "Packaging", "Logistics"]
COSMETICS = ("Baiyun District cosmetics cluster", "Guangzhou")
BIOMEDICINE = ("Baiyun District biomedicine cluster", "Guangzhou")

# (name, cluster, sectors, offers, offer types, seeks, seek types, [(given, family, position, e-mail, languages)])
FIRMS = [
    ("Guangdong Shifei Cosmetics Co., Ltd.", COSMETICS, ["Cosmetics"],
     "Skin-care and make-up OEM and ODM manufacturing, formulation and filling lines.", ["supplier", "technology_transfer"],
     "Distributors in South-East Asia; natural raw materials.", ["distribution", "buyer"],
     [("Huang", "Min", "Export manager", "firm.shifei@example.org", ["zh", "en"]),
      ("Zhou", "Lan", "R&D director", "zhou.lan@shifei.example", ["zh"])]),
    ("Guangzhou Seye Biopharmaceutical Technology Co., Ltd.", BIOMEDICINE, ["Biomedicine", "Cosmetics"],
     "Biomedicine research, active ingredients and licensing of patented peptides.",
     ["technology_transfer", "joint_research"],
     "Clinical research partners and investors for new active ingredients.", ["investment", "joint_research"],
     [("Liang", "Hao", "Business development", "firm.seye@example.org", ["zh", "en"])]),
    ("Guangzhou Baiyun Packaging Materials Co., Ltd.", COSMETICS, ["Packaging", "Cosmetics"],
     "Bottles, jars and recyclable packaging for cosmetics.", ["supplier"],
     "Buyers among cosmetics brands; recycled resin suppliers.", ["buyer", "supplier"],
     [("Wu", "Jie", "Sales director", "wu.jie@baiyun-pack.example", ["zh", "en"])]),
    ("Guangzhou Huaxin Fragrance Materials Co., Ltd.", COSMETICS, ["Cosmetics", "New materials"],
     "Natural fragrance and essential-oil materials.", ["supplier"],
     "Distribution partners and joint research on plant extracts.", ["distribution", "joint_research"],
     [("Lin", "Yue", "General manager", "lin.yue@huaxin.example", ["zh", "en"])]),
]

# Delegates' profiles: (e-mail, organisation, sectors, offers, offer types, seeks, seek types)
DELEGATES = [
    ("delegate1@example.org", "Thai SME Promotion Office", ["Cosmetics", "Biomedicine"],
     "Links to Thai herbal cosmetics producers.", ["distribution", "policy_exchange"],
     "Technology transfer in biomedicine and cosmetics manufacturing.", ["technology_transfer", "supplier"]),
    ("siriwan.p@example.org", "Siam Herbal Beauty Co.", ["Cosmetics"], "Herbal raw materials.", ["supplier"],
     "OEM manufacturing partners for skin care.", ["supplier"]),
    ("delegate2@example.org", "Osaka Life Science Cluster", ["Biomedicine"], "Clinical research network.",
     ["joint_research"], "Licensing of active ingredients.", ["technology_transfer"]),
    ("minjun.kim@example.org", "K-Beauty Export Association", ["Cosmetics"], "Distribution in Korea.",
     ["distribution", "buyer"], "Packaging suppliers.", ["supplier"]),
    ("wai.chan@example.org", "HK Biotech Ventures", ["Biomedicine"], "Early-stage investment.", ["investment"],
     "Biomedicine start-ups to invest in.", ["technology_transfer"]),
    ("maria.santos@example.org", "Philippine Coconut Products Council", ["Cosmetics", "New materials"],
     "Coconut-based oils and materials.", ["supplier"], "Buyers and fragrance houses.", ["buyer"]),
]


def _registration(db: DbSession, event_id: int, email: str) -> Registration | None:
    return db.scalar(sa.select(Registration).where(Registration.event_id == event_id, Registration.email == email,
                                                   Registration.status == RegistrationStatus.APPROVED))


FIRM_PHONE = "+86 20 3600 0000"
ACCOUNTS = [("firm.shifei@example.org", "a firm (Guangdong Shifei Cosmetics) in the business matching"),
            ("firm.seye@example.org", "a firm (Guangzhou Seye Biopharmaceutical) in the business matching")]


def load(db: DbSession, event, *, password: str) -> list[tuple[str, str]]:
    """The demo's matching, once; the firms' log-ins (each time, as the rest of the demo lists its own)."""
    current = participants.settings_of(db, event.id)
    if current is not None and current.enabled:
        # Loaded before: only fill what later versions of the demo added (phones for the manifests).
        db.execute(sa.update(Registration).where(Registration.event_id == event.id, Registration.matching_only,
                                                 Registration.phone == "").values(phone=FIRM_PHONE))
        return list(ACCOUNTS)
    session = db.scalar(sa.select(Session).where(Session.event_id == event.id, Session.title == SESSION_TITLE,
                                                 Session.kind == SessionKind.BUSINESS_MATCHING))
    if session is None:
        return []
    settings = participants.save_settings(db, event.id, enabled=True, categories=participants.DEFAULT_CATEGORIES,
                                          sectors=SECTORS, open_request_limit=10, requests_close_at=None)
    scheduling.configure_session(db, session, meeting_minutes=15, break_minutes=5,
                                 table_names=[f"Table {n}" for n in range(1, 7)])
    firms.rotate_link(db, event.id)
    prc = by_code(db, "PRC")
    for name, (cluster, place), sectors, offers, offer_types, seeks, seek_types, reps in FIRMS:
        details = firms.FirmDetails(name=name, economy_id=prc.id, sectors=sectors, cluster_name=cluster,
                                    cluster_location=place, offers=offers, seeks=seeks, offer_types=offer_types,
                                    seek_types=seek_types)
        people = [firms.Representative(given_name=given, family_name=family, position=position, email=email,
                                       languages=langs, phone=FIRM_PHONE)
                  for family, given, position, email, langs in reps]
        firm = firms.register_firm(db, settings, details, people, notify=False)
        for member in firm.members:
            member.registration.user.set_password(password)
    mine = {}
    for email, organisation, sectors, offers, offer_types, seeks, seek_types in DELEGATES:
        reg = _registration(db, event.id, email)
        if reg is None:
            continue
        mine[email] = profiles.save_profile(
            db, settings, reg, organisation=organisation, sectors=sectors, cluster_name="", cluster_location="",
            offers=offers, seeks=seeks, offer_types=offer_types, seek_types=seek_types,
            languages=["en"], listed=True)
    reps = {m.registration.email: participants.profile_of(db, m.registration_id)
            for f in firms.firms_of(db, event.id) for m in f.members}
    _requests(db, settings, mine, reps)
    scheduling.propose(db, event.id, move_published=False, time_limit=2.0)
    scheduling.publish(db, event.id)
    db.flush()
    return list(ACCOUNTS)


def _requests(db: DbSession, settings, mine: dict, reps: dict) -> None:
    """Accepted (then scheduled), pending and declined requests between delegates and firms."""
    plan = [  # (sender, receiver, answer)
        ("delegate1@example.org", "firm.shifei@example.org", "accept"),
        ("delegate1@example.org", "firm.seye@example.org", "accept"),
        ("siriwan.p@example.org", "firm.shifei@example.org", "accept"),
        ("delegate2@example.org", "firm.seye@example.org", "accept"),
        ("minjun.kim@example.org", "wu.jie@baiyun-pack.example", "accept"),
        ("wai.chan@example.org", "firm.seye@example.org", "pending"),
        ("maria.santos@example.org", "lin.yue@huaxin.example", "accept"),
        ("firm.shifei@example.org", "minjun.kim@example.org", "pending"),
        ("maria.santos@example.org", "wu.jie@baiyun-pack.example", "decline"),
        ("delegate1@example.org", "lin.yue@huaxin.example", "pending"),
    ]
    everyone = {**mine, **reps}
    for sender, receiver, answer in plan:
        a, b = everyone.get(sender), everyone.get(receiver)
        if a is None or b is None:
            continue
        sent = meeting_requests.send_request(db, settings, a, b.id, "We would like to discuss cooperation.")
        if answer == "accept":
            meeting_requests.accept(db, sent.request)
        elif answer == "decline":
            meeting_requests.decline_request(db, sent.request.id, b, "Not our market this year.")
    db.flush()
