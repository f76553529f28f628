"""The public verification page a consulate opens from the QR code: genuine or not, for whom, which
event — nothing else (no passport number, no date of birth, no contact)."""

from __future__ import annotations

from flask import render_template

from eventhub.documents.verification import verify as look_up
from eventhub.documents.views import bp
from eventhub.extensions import db, limiter


@bp.route("/verify/<reference>")
@limiter.limit("60 per minute")
def verify(reference: str):
    found = look_up(db.session, reference[:40])
    status = 200 if found.found else 404
    return render_template("documents/verify.html", found=found, reference=reference[:40]), status
