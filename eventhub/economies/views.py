from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from eventhub.accounts.permissions import require_admin
from eventhub.economies import services
from eventhub.economies.forms import KIND_LABELS, EconomyForm, EligibilityForm
from eventhub.economies.models import Economy
from eventhub.errors import DomainError, NotFound
from eventhub.extensions import db
from eventhub.i18n import localized
from eventhub.web import add_domain_error

bp = Blueprint("economies", __name__, url_prefix="/admin/economies")


def _economy(economy_id: int) -> Economy:
    economy = db.session.scalar(
        sa.select(Economy).where(Economy.id == economy_id).options(selectinload(Economy.eligibility))
    )
    if economy is None:
        abort(404)
    return economy


@bp.route("/")
def index():
    require_admin()
    economies = db.session.scalars(
        sa.select(Economy).options(selectinload(Economy.eligibility)).order_by(Economy.sort_key, Economy.id)
    ).all()
    return render_template("economies/index.html", economies=economies, kinds=KIND_LABELS, today=date.today(),
                           eligible=services.is_travel_eligible)


@bp.route("/new", methods=["GET", "POST"])
def new():
    require_admin()
    form = EconomyForm()
    if request.method == "GET":
        last = db.session.scalar(sa.select(sa.func.max(Economy.sort_key))) or 0
        form.sort_key.data = last + 10
    if form.validate_on_submit():
        try:
            economy = services.save_economy(db.session, None, **_fields(form))
        except DomainError as exc:
            db.session.rollback()
            add_domain_error(form, exc)
        else:
            db.session.commit()
            flash(_("%(economy)s is added.", economy=localized(economy, "name")), "success")
            return redirect(url_for("economies.edit", economy_id=economy.id))
    return render_template("economies/form.html", form=form, economy=None)


@bp.route("/<int:economy_id>", methods=["GET", "POST"])
def edit(economy_id: int):
    require_admin()
    economy = _economy(economy_id)
    form = EconomyForm(obj=economy if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data = economy.kind.value
    if form.validate_on_submit():
        try:
            services.save_economy(db.session, economy, **_fields(form))
        except DomainError as exc:
            db.session.rollback()
            add_domain_error(form, exc)
            economy = _economy(economy_id)
        else:
            db.session.commit()
            flash(_("%(economy)s is saved.", economy=localized(economy, "name")), "success")
            return redirect(url_for("economies.index") + f"#economy-{economy.id}")
    return render_template("economies/form.html", form=form, economy=economy, period_form=EligibilityForm(formdata=None))


@bp.route("/<int:economy_id>/eligibility", methods=["POST"])
def add_eligibility(economy_id: int):
    require_admin()
    economy = _economy(economy_id)
    period_form = EligibilityForm()
    if period_form.validate_on_submit():
        try:
            services.add_eligibility(db.session, economy, period_form.effective_from.data,
                                     period_form.effective_to.data)
        except DomainError as exc:
            db.session.rollback()
            add_domain_error(period_form, exc)
            economy = _economy(economy_id)
        else:
            db.session.commit()
            flash(_("%(economy)s: travel eligibility saved.", economy=localized(economy, "name")), "success")
            return redirect(url_for("economies.edit", economy_id=economy_id) + "#eligibility")
    form = EconomyForm(formdata=None, obj=economy)
    form.kind.data = economy.kind.value
    return render_template("economies/form.html", form=form, economy=economy, period_form=period_form)


@bp.route("/<int:economy_id>/eligibility/<int:period_id>/delete", methods=["POST"])
def delete_eligibility(economy_id: int, period_id: int):
    require_admin()
    economy = _economy(economy_id)
    try:
        services.remove_eligibility(db.session, economy, period_id)
    except NotFound:
        abort(404)
    db.session.commit()
    flash(_("The eligibility period is removed."), "success")
    return redirect(url_for("economies.edit", economy_id=economy_id) + "#eligibility")


def _fields(form: EconomyForm) -> dict:
    # A form posted without the Chinese name (an older page) leaves it as it is; an empty field clears it.
    name_zh = (form.name_zh.data or "") if "name_zh" in request.form else None
    return {"code": form.code.data, "name": form.name.data, "name_zh": name_zh,
            "kind": form.kind.data, "sort_key": form.sort_key.data, "active": form.active.data}
