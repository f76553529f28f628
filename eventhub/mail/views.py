import sqlalchemy as sa
from flask import Blueprint, render_template

from eventhub.accounts.permissions import require_admin
from eventhub.extensions import db
from eventhub.mail.models import OutboxMessage

bp = Blueprint("mail", __name__, url_prefix="/admin/mail")


@bp.route("/")
def outbox():
    require_admin()
    messages = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200)).all()
    return render_template("mail/outbox.html", messages=messages)
