from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from eventhub.accounts import services
from eventhub.accounts.attempts import limit_of, take_attempt
from eventhub.accounts.forms import AccountForm, ForgotPasswordForm, LoginForm, SetPasswordForm
from eventhub.accounts.tokens import Purpose, TokenInvalid
from eventhub.db import set_write_intent
from eventhub.errors import DomainError
from eventhub.extensions import db
from eventhub.web import absolute_url, add_domain_error, safe_next

bp = Blueprint("accounts", __name__)

WELCOME_MAX_AGE = 7 * 24 * 3600


@bp.before_app_request
def _forget_previous_request():
    # Request-scoped caches live on `g`. In production g is fresh per request; under the test
    # client the app context (and g) can outlive a request, so clear what must not leak.
    for key in ("_login_user", "_event_roles", "_focal_delegations", "_organizes_any"):
        g.pop(key, None)


@bp.teardown_app_request
def _end_write_intent(_exc=None):
    # The write intent (BEGIN IMMEDIATE on SQLite) belongs to one request. Without this reset it
    # outlives the request in its thread, and code that runs there later (a test's factories, a
    # CLI command after a test-client call) would hold SQLite's write lock for a mere read.
    set_write_intent(False)


def _after_login(target: str | None, user=None) -> str:
    # Only same-site paths: an open redirect would let a phishing link borrow our log-in page.
    default = url_for("events.mine")
    if user is not None and not target:
        # A delegate of one event (and nothing else) lands on that event's home page.
        from eventhub.messages.home import single_home_registration

        reg = single_home_registration(db.session, user)
        if reg is not None:
            default = url_for("messages.home", slug=reg.event.slug)
    return safe_next(target, default)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _limits_enabled() -> bool:
    return current_app.config["RATELIMIT_ENABLED"]


def _limit_attempts(scope: str) -> None:
    """429 once this address has posted `scope`'s form more than LOGIN_RATE_LIMIT allows.

    Counted in the database (see eventhub.accounts.attempts), so the limit holds however many
    workers and hosts serve the site. Runs first in the view, before anything else uses the session.
    """
    if request.method != "POST" or not _limits_enabled():
        return
    amount, window = limit_of(_login_limit())
    if not take_attempt(db.session, f"{scope}:{request.remote_addr or '-'}", amount=amount, window=window):
        abort(429)


def password_link_max_age() -> dict[Purpose, int]:
    return {
        Purpose.RESET: int(current_app.config.get("PASSWORD_RESET_MAX_AGE", 3600)),
        Purpose.WELCOME: int(current_app.config.get("PASSWORD_WELCOME_MAX_AGE", WELCOME_MAX_AGE)),
    }


def password_link(token: str) -> str:
    return absolute_url("accounts.reset_password", token=token)


@bp.route("/login", methods=["GET", "POST"])
def login():
    _limit_attempts("login")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_after_login(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(_after_login(request.args.get("next"), user))
        form.password.errors.append(_("The e-mail or the password is not right."))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    # GET only asks: a link or an image on another site must not be able to log anyone out.
    if request.method == "GET":
        if not current_user.is_authenticated:
            return redirect(url_for("events.index"))
        return render_template("accounts/logout.html")
    if current_user.is_authenticated:
        # Every session of this user ends, on every device, and cookies captured before stop working.
        services.end_all_sessions(db.session, current_user._get_current_object())
        db.session.commit()
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("events.index"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    _limit_attempts("forgot")
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        max_age = password_link_max_age()[Purpose.RESET]
        services.request_password_reset(
            db.session, form.email.data, secret_key=current_app.config["SECRET_KEY"],
            link_for=password_link, max_age_minutes=max_age // 60,
        )
        db.session.commit()
        # The same answer whether or not the address has an account.
        return render_template("accounts/forgot_sent.html", email=form.email.data.strip(),
                               minutes=max_age // 60)
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    _limit_attempts("reset")
    try:
        user = services.user_for_password_token(
            db.session, token, secret_key=current_app.config["SECRET_KEY"], max_age=password_link_max_age()
        )
    except TokenInvalid as exc:
        return render_template("accounts/reset_invalid.html", message=exc.message, expired=exc.expired), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(db.session, user, form.password.data)
        except DomainError as exc:
            db.session.rollback()
            add_domain_error(form, exc)
        else:
            db.session.commit()
            login_user(user)
            flash(_("Your new password is set. You are logged in."), "success")
            return redirect(url_for("events.mine"))
    return render_template("accounts/reset.html", form=form, user=user)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The person's own settings: the language of their pages and e-mails."""
    from eventhub.i18n import COOKIE, COOKIE_MAX_AGE, current_language, match

    form = AccountForm()
    if request.method == "GET":
        form.language.data = match(current_user.language) or current_language()
    if form.validate_on_submit():
        current_user.language = match(form.language.data)
        db.session.commit()
        # The page after the redirect is in the language just chosen, and so is the switcher's cookie.
        response = redirect(url_for("accounts.account"), 303)
        response.set_cookie(COOKIE, current_user.language, max_age=COOKIE_MAX_AGE, samesite="Lax",
                            secure=request.is_secure, httponly=True)
        from flask_babel import force_locale

        with force_locale(current_user.language):
            flash(_("Your settings are saved."), "success")
        return response
    return render_template("accounts/account.html", form=form)
