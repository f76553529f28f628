"""The mail outbox for site admins: every message with its delivery state; failed ones can be retried."""

from email import message_from_bytes, policy

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import load_only

from eventhub.accounts.permissions import require_admin
from eventhub.extensions import db
from eventhub.mail.delivery import retry
from eventhub.mail.models import MailStatus, OutboxMessage

bp = Blueprint("mail", __name__, url_prefix="/admin/mail")

PAGE_SIZE = 100


@bp.route("/")
def outbox():
    require_admin()
    status = request.args.get("status", "")
    status = status if status in {s.value for s in MailStatus} else ""
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status:
        query = query.where(OutboxMessage.status == MailStatus(status))
    # Only the columns the list shows: the raw message bodies stay in the database.
    query = query.options(load_only(
        OutboxMessage.id, OutboxMessage.recipients, OutboxMessage.subject, OutboxMessage.status,
        OutboxMessage.attempts, OutboxMessage.created_at, OutboxMessage.sent_at, OutboxMessage.next_attempt_at,
        OutboxMessage.last_error,
    ))
    messages = db.session.scalars(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    counts = dict(db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)).all())
    return render_template("mail/outbox.html", messages=messages[:PAGE_SIZE], has_more=len(messages) > PAGE_SIZE,
                           page=page, status=status, counts={s.value: counts.get(s, 0) for s in MailStatus},
                           to_files=not current_app.config.get("MAIL_SERVER"))


@bp.route("/<int:message_id>")
def message(message_id: int):
    require_admin()
    row = db.session.get(OutboxMessage, message_id)
    if row is None:
        abort(404)
    if not row.raw:  # deferred: written by the delivery process when it sends it
        return render_template("mail/message.html", m=row, headers=[], text="", parts=[], text_lang="en")
    parsed = message_from_bytes(row.raw, policy=policy.default)
    body = parsed.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    headers = [(name, str(parsed[name])) for name in ("From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID")
               if parsed[name]]
    parts = [(p.get_content_type(), p.get_filename() or "", len(p.get_payload(decode=True) or b""))
             for p in parsed.walk() if not p.is_multipart() and p is not body]
    # The message is in its recipient's language, not the page's: say which, for screen readers.
    text_lang = "zh-Hans" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"
    return render_template("mail/message.html", m=row, headers=headers, text=text, parts=parts, text_lang=text_lang)


@bp.route("/<int:message_id>/retry", methods=["POST"])
def retry_message(message_id: int):
    require_admin()
    row = db.session.get(OutboxMessage, message_id)
    if row is None:
        abort(404)
    if row.status == MailStatus.SENT:
        flash(_("This message was already delivered."), "info")
        return redirect(url_for("mail.message", message_id=message_id))
    retry(row)
    db.session.commit()
    flash(_("The message is queued again; the delivery process sends it within seconds."), "success")
    return redirect(url_for("mail.message", message_id=message_id))
