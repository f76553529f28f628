"""Account operations: plain functions with explicit arguments; they flush, never commit."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from eventhub.accounts.models import EventRole, EventRoleKind, User, normalise_email, verify_password
from eventhub.accounts.passwords import MIN_LENGTH, password_problem
from eventhub.accounts.tokens import Purpose, TokenInvalid, make_password_token, read_password_token
from eventhub.errors import Conflict, DomainError, NotFound
from eventhub.i18n import recipient_language
from eventhub.mail.outbox import build_message, queue, queue_template

# Turns a password token into the absolute URL of the page that uses it.
LinkBuilder = Callable[[str], str]

MIN_PASSWORD_LENGTH = MIN_LENGTH


def find_user(db_session: DbSession, email: str) -> User | None:
    return db_session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def authenticate(db_session: DbSession, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None.

    The password hash runs in every case (against a dummy hash for an unknown address), so the
    answer takes as long whether or not the address has an account.
    """
    user = find_user(db_session, email)
    if user is None:
        verify_password(None, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def create_user(
    db_session: DbSession, email: str, password: str | None = None, *, name: str = "", is_admin: bool = False
) -> User:
    email = normalise_email(email)
    if find_user(db_session, email) is not None:
        raise Conflict(_("An account with the e-mail %(email)s already exists.", email=email), field="email")
    user = User(email=email, name=name.strip(), is_admin=is_admin)
    if password:
        check_password_strength(password, user)
        user.set_password(password)
    db_session.add(user)
    db_session.flush()
    return user


def get_or_create_user(db_session: DbSession, email: str, *, name: str = "") -> tuple[User, bool]:
    user = find_user(db_session, email)
    if user is not None:
        return user, False
    return create_user(db_session, email, name=name), True


# --- Passwords ----------------------------------------------------------------------------------------

def request_password_reset(
    db_session: DbSession, email: str, *, secret_key: str, link_for: LinkBuilder, max_age_minutes: int
) -> bool:
    """E-mail a reset link if an active account has this address. Returns whether one was queued.

    The caller shows the same answer either way, so the form does not reveal who has an account;
    and the work is the same either way (a token signed, the message rendered and built), so the
    answer time does not reveal it either. Only the queueing differs.
    """
    user = find_user(db_session, email)
    known = user is not None and user.active
    subject = user if known else User(id=0, email=normalise_email(email), password_version=0)
    token = make_password_token(secret_key, subject, Purpose.RESET)
    # In the account holder's language, whichever language the page asking for it was in.
    with force_locale(recipient_language(user=subject)):
        text = render_template("mail/accounts/password_reset.txt", user=subject, link=link_for(token),
                               max_age_minutes=max_age_minutes)
        message = build_message(to=[subject.email], subject=_("Reset your EventHub password"), text=text)
    message.as_bytes()  # what queue() does for a known address
    if not known:
        return False
    queue(db_session, message)
    return True


def user_for_password_token(
    db_session: DbSession, token: str, *, secret_key: str, max_age: dict[Purpose, int]
) -> User:
    """The user a valid password link belongs to. Raises TokenInvalid when it is expired or used."""
    user_id, version, _purpose = read_password_token(secret_key, token, max_age=max_age)
    user = db_session.get(User, user_id)
    if user is None or not user.active:
        raise TokenInvalid(_("This link is not valid any more."))
    if (user.password_version or 0) != version:
        raise TokenInvalid(_("This link has already been used. Each link works once; ask for a new one."))
    return user


def check_password_strength(password: str, user: User) -> None:
    """Refuse a common or guessable password (or one made of the user's own details), saying why."""
    problem = password_problem(password, user_inputs=(user.email, user.name))
    if problem:
        raise DomainError(problem, field="password")


def set_password(db_session: DbSession, user: User, password: str) -> None:
    """Set a new password. Bumps password_version, so every outstanding link stops working.

    Raises DomainError (field "password") for a password that is too short or easy to guess.
    """
    check_password_strength(password, user)
    user.set_password(password)
    db_session.flush()


def end_all_sessions(db_session: DbSession, user: User) -> None:
    """Log the user out everywhere: every session and remember-me cookie issued so far stops working."""
    user.end_all_sessions()
    db_session.flush()


# --- Event staff roles ------------------------------------------------------------------------------

def grant_role(
    db_session: DbSession,
    event,
    email: str,
    role: EventRoleKind,
    *,
    granted_by: User | None,
    secret_key: str,
    link_for: LinkBuilder,
    event_url: str,
) -> tuple[EventRole, bool]:
    """Give `email` a staff role in `event`, creating the account if needed.

    A new account gets an e-mail with a link to set its password; an existing one is told of its
    new role. Returns (role, account_created).
    """
    email = normalise_email(email)
    try:
        # A double submit (or two organizers at once) meets the UNIQUE constraints on the user's e-mail
        # and on (event, user, role): the savepoint keeps the transaction usable for the message.
        with db_session.begin_nested():
            user, created = get_or_create_user(db_session, email)
            if _has_role(db_session, event.id, user.id, role):
                raise Conflict(_("%(email)s is already %(role)s of this event.", email=email,
                                 role=role.label.lower()), field="email")
            grant = EventRole(event_id=event.id, user_id=user.id, role=role)
            db_session.add(grant)
            db_session.flush()
    except IntegrityError:
        raise Conflict(_("%(email)s was just made %(role)s of this event (a second click?). Reload the page "
                         "to see the staff list.", email=email, role=role.label.lower()), field="email") from None
    context = {"user": user, "event": event, "role": role, "granted_by": granted_by, "event_url": event_url}
    with force_locale(recipient_language(user=user, event=event)):  # the new staff member's language
        from eventhub.i18n import localized

        title = localized(event, "title")
        if created or not user.password_hash:
            queue_template(
                db_session, to=[user.email], subject=_("Your EventHub account for %(event)s", event=title),
                template="accounts/welcome", link=link_for(make_password_token(secret_key, user, Purpose.WELCOME)),
                **context,
            )
        else:
            queue_template(
                db_session, to=[user.email],
                subject=_("You are now %(role)s of %(event)s", role=role.label.lower(), event=title),
                template="accounts/role_granted", **context,
            )
    return grant, created


def _has_role(db_session: DbSession, event_id: int, user_id: int, role: EventRoleKind) -> bool:
    return db_session.scalar(
        sa.select(EventRole.id).where(EventRole.event_id == event_id, EventRole.user_id == user_id,
                                      EventRole.role == role)
    ) is not None


def revoke_role(db_session: DbSession, event, role_id: int) -> EventRole:
    """Take a staff role away. An event keeps at least one organizer."""
    grant = db_session.get(EventRole, role_id)
    if grant is None or grant.event_id != event.id:
        raise NotFound(_("That role does not exist (any more)."))
    if grant.role == EventRoleKind.ORGANIZER:
        # Two organizers revoking each other at once must not leave none: lock the event row first
        # (PostgreSQL; SQLite writers are already serialised by BEGIN IMMEDIATE).
        db_session.execute(sa.select(type(event).id).where(type(event).id == event.id).with_for_update())
        organizers = db_session.scalar(
            sa.select(sa.func.count()).select_from(EventRole)
            .where(EventRole.event_id == event.id, EventRole.role == EventRoleKind.ORGANIZER)
        )
        if organizers <= 1:
            raise Conflict(_("An event needs at least one organizer. Add another organizer first."))
    db_session.delete(grant)
    db_session.flush()
    return grant


def event_staff(db_session: DbSession, event) -> list[EventRole]:
    from sqlalchemy.orm import joinedload

    return list(
        db_session.scalars(
            sa.select(EventRole).join(User, User.id == EventRole.user_id)
            .where(EventRole.event_id == event.id).options(joinedload(EventRole.user))
            .order_by(EventRole.role, User.email)
        )
    )
