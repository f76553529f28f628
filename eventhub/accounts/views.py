from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from eventhub.accounts import services
from eventhub.accounts.forms import LoginForm
from eventhub.extensions import db, limiter

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect would let a phishing link borrow our log-in page.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("events.index")


def _login_limit() -> str:
    from flask import current_app

    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], exempt_when=lambda: not _limits_enabled())
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            flash(f"Welcome, {user.display_name}.", "success")
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append("The e-mail or the password is not right.")
    return render_template("accounts/login.html", form=form), 200 if request.method == "GET" else 200


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("events.index"))


def _limits_enabled() -> bool:
    from flask import current_app

    return current_app.config["RATELIMIT_ENABLED"]
