"""The language switcher: remembered in a cookie, and saved on the account of whoever is logged in."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from eventhub.extensions import db
from eventhub.i18n import COOKIE, COOKIE_MAX_AGE, match
from eventhub.web import safe_next

bp = Blueprint("i18n", __name__)


@bp.route("/language", methods=["POST"])
def switch():
    back = safe_next(request.form.get("next"), url_for("events.index"))
    code = match(request.form.get("lang"))
    response = redirect(back, 303)
    if code is None:  # a code we do not offer: the page again, in the language it was in
        return response
    if current_user.is_authenticated:
        current_user.language = code
        db.session.commit()
    response.set_cookie(COOKIE, code, max_age=COOKIE_MAX_AGE, samesite="Lax", secure=request.is_secure,
                        httponly=True)
    return response
