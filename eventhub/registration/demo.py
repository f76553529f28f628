"""Demo delegates of the Guangzhou workshop, loaded idempotently by `flask eventhub load-demo`.

Rows are written directly (no e-mails are queued), but places are taken with the same conditional
UPDATE as in production, so every delegation's counter matches its approved registrations.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from eventhub.accounts.models import User
from eventhub.economies.services import by_code
from eventhub.registration.models import (
    Category,
    Delegation,
    FocalPoint,
    Funding,
    Registration,
    RegistrationLog,
    RegistrationStatus,
    Sex,
)
from eventhub.registration.services import take_place

S = RegistrationStatus
F, M = Sex.FEMALE, Sex.MALE

# (economy, email, honorific, given, family, local script, sex, organisation, position, category, funding, status)
PEOPLE = [
    ("THA", "delegate1@example.org", "Mr", "Somchai", "Jaidee", "สมชาย ใจดี", M,
     "Office of SME Promotion (OSMEP)", "Director, SME Cluster Division", Category.HEAD, Funding.APEC, S.APPROVED),
    ("THA", "siriwan.p@example.org", "Ms", "Siriwan", "Phongsri", "ศิริวรรณ พงษ์ศรี", F,
     "Department of Industrial Promotion", "Senior Officer", Category.DELEGATE, Funding.APEC, S.APPROVED),
    ("THA", "anan.w@example.org", "Dr", "Anan", "Wongsakul", "อนันต์ วงศ์สกุล", M,
     "Chulalongkorn University", "Lecturer, Innovation Management", Category.SPEAKER, Funding.SELF, S.APPROVED),
    ("THA", "pimchanok.r@example.org", "Ms", "Pimchanok", "Rattanaporn", "พิมพ์ชนก รัตนพร", F,
     "Thai Biomedical Cluster Association", "Manager", Category.DELEGATE, Funding.SELF, S.APPROVED),
    ("THA", "delegate3@example.org", "Mr", "Kittipong", "Saetang", "กิตติพงษ์ แซ่ตั้ง", M,
     "Eastern Economic Corridor Office", "Analyst", Category.DELEGATE, Funding.SELF, S.WAITLISTED),
    ("JPN", "delegate2@example.org", "Ms", "Yui", "Sato", "佐藤 結衣", F,
     "Organization for Small & Medium Enterprises and Regional Innovation (SMRJ)", "Deputy Director",
     Category.HEAD, Funding.SELF, S.APPROVED),
    ("JPN", "ken.tanaka@example.org", "Mr", "Ken", "Tanaka", "田中 健", M,
     "Ministry of Economy, Trade and Industry", "Section Chief", Category.DELEGATE, Funding.SELF, S.APPROVED),
    ("JPN", "hanako.suzuki@example.org", "Ms", "Hanako", "Suzuki", "鈴木 花子", F,
     "Osaka Chamber of Commerce", "Researcher", Category.OBSERVER, Funding.SELF, S.SUBMITTED),
    ("ROK", "minjun.kim@example.org", "Mr", "Min-jun", "Kim", "김민준", M,
     "Korea SMEs and Startups Agency (KOSME)", "Team Leader", Category.HEAD, Funding.SELF, S.APPROVED),
    ("ROK", "seoyeon.lee@example.org", "Dr", "Seo-yeon", "Lee", "이서연", F,
     "Korea Institute for Industrial Economics and Trade", "Research Fellow", Category.SPEAKER, Funding.SELF,
     S.APPROVED),
    ("HKC", "wai.chan@example.org", "Mr", "Wai", "Chan", "陳偉", M,
     "Trade and Industry Department", "Assistant Director", Category.DELEGATE, Funding.SELF, S.APPROVED),
    ("HKC", "kayan.lee@example.org", "Ms", "Ka-yan", "Lee", "李嘉欣", F,
     "Hong Kong Productivity Council", "Consultant", Category.DELEGATE, Funding.SELF, S.APPROVED),
    ("INA", "siti.r@example.org", "Ms", "Siti", "Rahmawati", "", F,
     "Ministry of Cooperatives and SMEs", "Deputy Director", Category.HEAD, Funding.APEC, S.APPROVED),
    ("INA", "budi.s@example.org", "Mr", "Budi", "Santoso", "", M,
     "Indonesian Chamber of Commerce", "Vice Chair", Category.DELEGATE, Funding.APEC, S.APPROVED),
    ("MAS", "nurul.aisyah@example.org", "Ms", "Nurul Aisyah", "binti Ahmad", "", F,
     "SME Corporation Malaysia", "Senior Manager", Category.HEAD, Funding.APEC, S.APPROVED),
    ("MAS", "weiming.tan@example.org", "Mr", "Wei Ming", "Tan", "陈伟明", M,
     "Malaysian Investment Development Authority", "Director", Category.DELEGATE, Funding.APEC, S.APPROVED),
    ("PHL", "maria.santos@example.org", "Ms", "Maria Cristina", "Santos", "", F,
     "Department of Trade and Industry", "Assistant Secretary", Category.HEAD, Funding.APEC, S.APPROVED),
    ("PHL", "jose.reyes@example.org", "Mr", "Jose", "Reyes", "", M,
     "Philippine Exporters Confederation", "Board Member", Category.DELEGATE, Funding.SELF, S.SUBMITTED),
    ("SGP", "huimin.lim@example.org", "Ms", "Hui Min", "Lim", "林慧敏", F,
     "Enterprise Singapore", "Director, SME Centres", Category.HEAD, Funding.SELF, S.APPROVED),
    ("SGP", "rajesh.kumar@example.org", "Mr", "Rajesh", "Kumar", "", M,
     "Singapore Business Federation", "Senior Manager", Category.DELEGATE, Funding.SELF, S.APPROVED),
    ("CDA", "emily.tremblay@example.org", "Ms", "Emily", "Tremblay", "", F,
     "Innovation, Science and Economic Development Canada", "Policy Analyst", Category.DELEGATE, Funding.SELF,
     S.APPROVED),
    ("USA", "sarah.johnson@example.org", "Dr", "Sarah", "Johnson", "", F,
     "U.S. Small Business Administration", "Senior Advisor", Category.SPEAKER, Funding.SELF, S.APPROVED),
    ("USA", "michael.brown@example.org", "Mr", "Michael", "Brown", "", M,
     "U.S. Department of Commerce", "International Trade Specialist", Category.DELEGATE, Funding.SELF, S.APPROVED),
    ("BD", "hafizah.hj@example.org", "Ms", "Nur Hafizah", "Haji Yusof", "", F,
     "Darussalam Enterprise (DARe)", "Officer", Category.DELEGATE, Funding.APEC, S.APPROVED),
    ("LAO", "souksavanh.p@example.org", "Mr", "Souksavanh", "Phommachanh", "ສຸກສະຫວັນ ພົມມະຈັນ", M,
     "Department of SME Promotion", "Deputy Director General", Category.GUEST, Funding.SELF, S.APPROVED),
    ("KHM", "sokha.chan@example.org", "Ms", "Sokha", "Chan", "សុខា ចាន់", F,
     "Ministry of Industry, Science, Technology and Innovation", "Officer", Category.GUEST, Funding.SELF,
     S.APPROVED),
    # Added by the secretariat from economies that were not invited as delegations.
    ("VN", "nguyen.van.an@example.org", "Dr", "Văn An", "Nguyễn", "Nguyễn Văn An", M,
     "Viet Nam Institute for Economic and Policy Research", "Senior Expert", Category.SPEAKER, Funding.APEC,
     S.APPROVED),
    ("PRC", "chen.wei@example.org", "Mr", "Wei", "Chen", "陈伟", M,
     "China Centre for Promotion of SME Development", "Deputy Director-General", Category.MODERATOR,
     Funding.SELF, S.APPROVED),
]
WITH_ACCOUNTS = ("delegate1@example.org", "delegate2@example.org", "delegate3@example.org")
DIETARY = {"delegate1@example.org": "halal", "huimin.lim@example.org": "vegetarian",
           "nurul.aisyah@example.org": "halal", "ken.tanaka@example.org": "no shellfish"}

# International calling codes (the bus manifests of the site visits list every passenger's phone).
CALLING = {"THA": "+66 81", "JPN": "+81 90", "ROK": "+82 10", "HKC": "+852 9", "INA": "+62 812", "MAS": "+60 12",
           "PHL": "+63 917", "SGP": "+65 9", "CDA": "+1 613", "USA": "+1 202", "BD": "+673 8", "LAO": "+856 20",
           "KHM": "+855 12", "VN": "+84 90", "PRC": "+86 138"}


def demo_phone(n: int, code: str) -> str:
    """A made-up but well-formed mobile number for the n-th demo person."""
    return f"{CALLING.get(code, '+86 139')} {(n * 7919) % 9000 + 1000} {(n * 104729) % 9000 + 1000}"


def load(db_session: DbSession, event, password: str | None = None) -> list[tuple[str, str]]:
    """Add the demo delegates to `event` (idempotent). Returns the delegate log-ins to print."""
    delegations = {d.economy.code: d for d in db_session.scalars(
        sa.select(Delegation).where(Delegation.event_id == event.id))}
    existing = set(db_session.scalars(sa.select(Registration.email).where(Registration.event_id == event.id)))
    secretariat = db_session.scalar(sa.select(User).where(User.email == "secretariat@example.org"))
    thai_focal = db_session.scalar(sa.select(User).join(FocalPoint, FocalPoint.user_id == User.id).where(
        FocalPoint.delegation_id == delegations["THA"].id)) if "THA" in delegations else None
    start = datetime(2025, 4, 2, 2, 0, tzinfo=UTC)
    for n, (code, email, honorific, given, family, local, sex, org, position, category, funding,
            status) in enumerate(PEOPLE):
        user = db_session.scalar(sa.select(User).where(User.email == email))
        if user is None:
            user = User(email=email, name=f"{given} {family}")
            db_session.add(user)
        if email in WITH_ACCOUNTS and password and not user.check_password(password):
            user.set_password(password)
        db_session.flush()
        if email in existing:
            # Loaded by an earlier version without phones: give them one, never overwrite a real one.
            db_session.execute(
                sa.update(Registration).where(Registration.event_id == event.id, Registration.email == email,
                                              Registration.phone == "")
                .values(phone=demo_phone(n, code)).execution_options(synchronize_session=False))
            continue
        delegation = delegations.get(code)
        economy = delegation.economy if delegation else by_code(db_session, code)
        at = start + timedelta(days=n, hours=n % 7)
        reg = Registration(
            event_id=event.id, economy_id=economy.id, delegation_id=delegation.id if delegation else None,
            user_id=user.id, email=email, honorific=honorific, given_name=given, family_name=family,
            name_local=local, sex=sex, organisation=org, position=position, category=category, funding=funding,
            sector="Government" if "Ministry" in org or "Department" in org else "SME support",
            phone=demo_phone(n, code), dietary=DIETARY.get(email, ""), visa_letter=code in ("LAO", "KHM", "INA", "PHL"),
            consent_list=n % 4 != 3, consent_photo=n % 3 != 2, privacy_acknowledged_at=at,
            status=S.SUBMITTED, created_at=at, updated_at=at,
        )
        db_session.add(reg)
        db_session.flush()
        source = "registered" if delegation else "added by staff"
        db_session.add(RegistrationLog(registration_id=reg.id, action=source, to_status="submitted", at=at,
                                       actor_id=None if delegation else (secretariat.id if secretariat else None)))
        approver = thai_focal if code == "THA" else secretariat
        decided = at + timedelta(days=2)
        if status in (S.APPROVED, S.WAITLISTED):
            if delegation is None or take_place(db_session, delegation.id):
                reg.status = S.APPROVED
                db_session.add(RegistrationLog(registration_id=reg.id, action="approved", from_status="submitted",
                                               to_status="approved", at=decided,
                                               actor_id=approver.id if approver else None))
            else:
                reg.status, reg.waitlisted_at = S.WAITLISTED, decided
                db_session.add(RegistrationLog(registration_id=reg.id, action="waitlisted",
                                               from_status="submitted", to_status="waitlisted", note="quota full",
                                               at=decided, actor_id=approver.id if approver else None))
        db_session.flush()
    return [
        ("delegate1@example.org", "delegate of Thailand (approved)"),
        ("delegate2@example.org", "delegate of Japan (approved)"),
        ("delegate3@example.org", "delegate of Thailand (waitlisted)"),
    ]
