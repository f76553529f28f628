"""The pages around the API: a person's scoped API tokens, and an event's integrations
(webhooks with their last deliveries, redelivery by hand)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from eventhub.accounts.permissions import Action, authorize
from eventhub.api import auth, webhooks
from eventhub.api.forms import EmptyForm, TokenForm, WebhookForm
from eventhub.api.models import ApiToken, Scope, Webhook, WebhookDelivery, WebhookKind
from eventhub.db import utcnow
from eventhub.errors import DomainError
from eventhub.events.views import load_event
from eventhub.extensions import db

bp = Blueprint("integrations", __name__)
RECENT_DELIVERIES = 20


@bp.route("/my/api-tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form, new_token = TokenForm(), None
    if form.validate_on_submit():
        _row, new_token = auth.issue_token(db.session, current_user, name=form.name.data,
                                           scopes={Scope(v) for v in form.scopes.data},
                                           valid_days=int(form.valid_days.data) if form.valid_days.data else None)
        db.session.commit()
        form = TokenForm(formdata=None)
    rows = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == current_user.id)
                              .order_by(ApiToken.id.desc())).all()
    status = 400 if form.errors else 200
    response = Response(render_template("api/tokens.html", form=form, new_token=new_token, tokens=rows,
                                        revoke_form=EmptyForm(), now=utcnow()), status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/my/api-tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    if auth.revoke_token(db.session, current_user, token_id):
        db.session.commit()
        flash(_("The token is revoked: programs using it stop working now."), "info")
    return redirect(url_for("integrations.tokens"))


def _page(event, form, status: int = 200):
    hooks = db.session.scalars(sa.select(Webhook).where(Webhook.event_id == event.id).order_by(Webhook.id)).all()
    deliveries = db.session.execute(
        sa.select(WebhookDelivery, Webhook.url).join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(Webhook.event_id == event.id).order_by(WebhookDelivery.id.desc()).limit(RECENT_DELIVERIES)).all()
    return render_template("api/integrations.html", event=event, form=form, hooks=hooks, deliveries=deliveries,
                           kind_label=_kind_label), status


def _kind_label(kind: str) -> str:
    return WebhookKind(kind).label if kind in WebhookKind._value2member_map_ else kind


@bp.route("/events/<slug>/integrations", methods=["GET", "POST"])
@login_required
def integrations(slug: str):
    event = load_event(slug, public=False)
    authorize(Action.EDIT_EVENT, event)
    form = WebhookForm()
    if form.validate_on_submit():
        try:
            webhooks.add_webhook(db.session, event, url=form.url.data, kinds=set(form.kinds.data), actor=current_user,
                                 allow_private=current_app.config.get("WEBHOOKS_ALLOW_PRIVATE", False))
        except DomainError as exc:
            db.session.rollback()
            getattr(form, exc.field or "url").errors = [exc.message]
            return _page(event, form, 400)
        db.session.commit()
        flash(_("The webhook is saved. Changes of the kinds you chose are sent to it from now on."), "success")
        return redirect(url_for("integrations.integrations", slug=slug))
    return _page(event, form, 400 if form.errors else 200)


@bp.route("/events/<slug>/integrations/deliveries/<int:delivery_id>/redeliver", methods=["POST"])
@login_required
def redeliver(slug: str, delivery_id: int):
    event = load_event(slug, public=False)
    authorize(Action.EDIT_EVENT, event)
    if not EmptyForm().validate_on_submit():
        abort(400)
    delivery = db.session.scalar(sa.select(WebhookDelivery).join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
                                 .where(WebhookDelivery.id == delivery_id, Webhook.event_id == event.id))
    if delivery is None:
        abort(404)
    webhooks.redeliver(db.session, delivery)
    db.session.commit()
    flash(_("Delivery %(id)d will be sent again shortly.", id=delivery_id), "info")
    return redirect(url_for("integrations.integrations", slug=slug))
