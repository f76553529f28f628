import sqlalchemy as sa
from flask import Blueprint, render_template

from eventhub.accounts.permissions import require_admin
from eventhub.economies.models import Economy
from eventhub.extensions import db

bp = Blueprint("economies", __name__, url_prefix="/admin/economies")


@bp.route("/")
def index():
    require_admin()
    economies = db.session.scalars(sa.select(Economy).order_by(Economy.sort_key)).all()
    return render_template("economies/index.html", economies=economies)
