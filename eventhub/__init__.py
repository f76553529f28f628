"""EventHub: registration, agenda, sign-ups, calendars and attendance for multi-economy workshops."""

from __future__ import annotations

import logging
import random
import time
from pathlib import Path

from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

from eventhub import extensions
from eventhub.config import load_settings
from eventhub.db import configure_sqlite, set_write_intent
from eventhub.extensions import csrf, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent

# Imported so every model is known to SQLAlchemy and Alembic before anything queries.
MODEL_MODULES = (
    "eventhub.economies.models",
    "eventhub.accounts.models",
    "eventhub.events.models",
    "eventhub.registration.models",
    "eventhub.registration.list_stamps",  # the triggers that keep the staff list's stamp
    "eventhub.agenda.models",
    "eventhub.signups.models",
    "eventhub.attendance.models",
    "eventhub.mail.models",
    "eventhub.matching.models",
    "eventhub.matching.firm_models",
    "eventhub.api.models",
    "eventhub.documents.models",
    "eventhub.surveys.models",
    "eventhub.messages.models_texts",
    "eventhub.messages.models_reminders",
    "eventhub.messages.models_announcements",
)

BLUEPRINT_MODULES = (
    "eventhub.accounts.views",
    "eventhub.economies.views",
    "eventhub.events.views",
    "eventhub.registration.views",
    "eventhub.agenda.views",
    "eventhub.signups.views",
    "eventhub.calendars.views",
    "eventhub.attendance.views",
    "eventhub.mail.views",
    "eventhub.i18n.views",
    "eventhub.messages.views",
    "eventhub.matching.views",
    "eventhub.api.views",
    "eventhub.api.pages",
    "eventhub.documents.views",
    "eventhub.surveys.views",
    "eventhub.messages.views_announcements",
)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "media-src 'self' blob:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


# PostgreSQL's codes for "this transaction was chosen as a deadlock victim" and "could not
# serialize": the whole transaction was rolled back, so running the view again is safe.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
VIEW_ATTEMPTS = 3


class EventHubApp(Flask):
    """Flask, plus one rule: a view that the database rolled back as a deadlock or serialization
    victim runs again (a few times, after a short random pause) instead of answering 500."""

    def dispatch_request(self):
        for attempt in range(1, VIEW_ATTEMPTS + 1):
            try:
                return super().dispatch_request()
            except OperationalError as exc:
                if attempt == VIEW_ATTEMPTS or getattr(exc.orig, "sqlstate", None) not in RETRYABLE_SQLSTATES:
                    raise
                self.logger.warning("request %s %s retried after %s", request.method, request.path,
                                    type(exc.orig).__name__)
                extensions.db.session.rollback()
                time.sleep(random.uniform(0.005, 0.03) * attempt)
        raise AssertionError("unreachable")


def create_app(config: dict | None = None) -> Flask:
    import importlib

    app = EventHubApp(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(load_settings(Path(app.instance_path)))
    if config:
        app.config.update(config)
    # A server can drop idle connections (a PostgreSQL restart): test each one before use. A SQLite
    # file cannot, and the test would cost every request a statement.
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {
        "pool_pre_ping": not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")})

    for module in MODEL_MODULES:
        importlib.import_module(module)

    # `db` is not a name of this package: eventhub.db is the module of column types.
    extensions.db.init_app(app)
    migrate.init_app(app, extensions.db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    from eventhub import i18n

    i18n.init_app(app)
    with app.app_context():
        configure_sqlite(extensions.db.engine)

    login_manager.login_view = "accounts.login"
    from flask_babel import lazy_gettext

    # Translated when flashed (str() of the lazy text), in the language of the request that needs the log-in.
    login_manager.login_message = lazy_gettext("Please log in to see this page.")
    login_manager.localize_callback = str
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str):
        from eventhub.accounts.models import User

        # The session carries "<id>:<password version>:<session generation>": changing or
        # resetting a password, or logging out, ends every session of that user.
        number = user_id.partition(":")[0]
        user = extensions.db.session.get(User, int(number)) if number.isdigit() and len(number) < 12 else None
        if user is None or not user.matches_session_id(user_id):
            return None
        return user

    from eventhub.web import IdConverter

    app.url_map.converters["int"] = IdConverter  # before the blueprints bind their rules
    for module in BLUEPRINT_MODULES:
        app.register_blueprint(importlib.import_module(module).bp)

    _register_request_hooks(app)
    _register_error_pages(app)
    _register_template_helpers(app)

    from eventhub.cli import register_cli

    register_cli(app)
    if not app.debug:
        logging.basicConfig(level=logging.INFO)
    return app


def _register_request_hooks(app: Flask) -> None:
    from eventhub.web import refuse_unusable_input

    @app.before_request
    def _begin():
        # NUL characters and deeply nested JSON: a clean 400 before any view or query sees them.
        refuse_unusable_input()
        # State-changing requests take SQLite's write lock up front (see eventhub.db).
        set_write_intent(request.method not in SAFE_METHODS)

    @app.after_request
    def _after(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if _is_personal(response):
            # Pages for a logged-in person show personal data: no browser or proxy may keep them
            # (the back button after log-out, a shared computer).
            response.headers["Cache-Control"] = "no-store"
        return response


def _is_personal(response) -> bool:
    from flask import session

    if request.endpoint == "static" or "Cache-Control" in response.headers:
        return False  # static files, and responses that chose their own caching (feeds with ETags)
    if "_user_id" in session:  # asked first: after a view's commit, the user object would load again
        return True
    user = g.get("_login_user")
    return bool(user is not None and user.is_authenticated)


def _register_error_pages(app: Flask) -> None:
    from flask_babel import gettext as _

    def wants_json() -> bool:
        return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"

    def page(status: int, title: str, message: str, *, database_away: bool = False):
        try:
            extensions.db.session.rollback()
        except SQLAlchemyError:
            database_away = True
        if database_away:
            # The page header shows who is logged in, which needs the database: render the
            # error page for an anonymous visitor rather than fail again inside the handler.
            g._login_user = login_manager.anonymous_user()
        if wants_json():
            return jsonify({"error": title, "message": message}), status
        return render_template("errors/error.html", status=status, title=title, message=message), status

    @app.errorhandler(400)
    def bad_request(e):
        return page(400, _("Bad request"), getattr(e, "description", "") or _("The request could not be understood."))

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return page(400, _("Form expired"), _("The form was missing its security token or it had expired. "
                                               "Go back, reload the page and try again."))

    @app.errorhandler(401)
    def unauthorized(e):
        if wants_json():
            return page(401, _("Authentication required"), _("Log in or send a valid API token."))
        return login_manager.unauthorized()

    @app.errorhandler(403)
    def forbidden(e):
        return page(403, _("Not allowed"), _("You do not have permission to see or do this."))

    @app.errorhandler(404)
    def not_found(e):
        return page(404, _("Page not found"), _("There is nothing at this address. Check the link or go back."))

    @app.errorhandler(405)
    def method_not_allowed(e):
        return page(405, _("Not allowed"), _("This address does not accept that kind of request."))

    @app.errorhandler(413)
    def too_large(e):
        return page(413, _("File too large"), _("The upload is larger than the 8 MB EventHub accepts."))

    @app.errorhandler(429)
    def too_many(e):
        return page(429, _("Too many attempts"), _("Too many attempts in a short time. Wait a minute and try again."))

    # The database is down, restarting or unreachable (or, on PostgreSQL, chose this request as
    # a deadlock victim): nothing was saved and the same request will work in a moment. The pool
    # pings connections before use, so the app recovers by itself when the database is back.
    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(e):
        app.logger.error("database unavailable: %s", getattr(e, "orig", e))
        response = app.make_response(page(503, _("Try again in a moment"),
                                          _("EventHub cannot reach its database just now. Nothing was saved; "
                                            "please try again in a minute."), database_away=True))
        response.headers["Retry-After"] = "30"
        return response

    @app.errorhandler(500)
    def server_error(e):
        return page(500, _("Something went wrong"), _("The error has been logged. Nothing was saved; please try again."))


def _register_template_helpers(app: Flask) -> None:
    from flask_login import current_user

    from eventhub.accounts.permissions import Action, can
    from eventhub.formatting import register_filters
    from eventhub.registration.display import status_badge

    register_filters(app)
    from eventhub.lang import lang_attr

    app.add_template_filter(lang_attr, "lang_attr")  # names in a local script carry their `lang`
    app.add_template_global(status_badge, "status_badge")

    @app.context_processor
    def _helpers():
        return {
            "Action": Action,
            "can": lambda action, event, **kw: can(current_user, action, event, **kw),
        }
