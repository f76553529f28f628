"""Account operations: plain functions with explicit arguments; they flush, never commit."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from eventhub.accounts.models import User, normalise_email
from eventhub.errors import Conflict


def find_user(db_session: DbSession, email: str) -> User | None:
    return db_session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def authenticate(db_session: DbSession, email: str, password: str) -> User | None:
    user = find_user(db_session, email)
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def create_user(
    db_session: DbSession, email: str, password: str | None = None, *, name: str = "", is_admin: bool = False
) -> User:
    email = normalise_email(email)
    if find_user(db_session, email) is not None:
        raise Conflict(f"An account with the e-mail {email} already exists.", field="email")
    user = User(email=email, name=name.strip(), is_admin=is_admin)
    if password:
        user.set_password(password)
    db_session.add(user)
    db_session.flush()
    return user


def get_or_create_user(db_session: DbSession, email: str, *, name: str = "") -> tuple[User, bool]:
    user = find_user(db_session, email)
    if user is not None:
        return user, False
    return create_user(db_session, email, name=name), True
