"""`flask eventhub …` commands. Each command is one transaction: it commits once at the end."""

from __future__ import annotations

import click
from flask import Flask

from eventhub.db import write_intent
from eventhub.errors import DomainError
from eventhub.extensions import db


def register_cli(app: Flask) -> None:
    @app.cli.group("eventhub")
    def group():
        """EventHub administration."""

    @group.command("load-economies")
    def load_economies():
        """Load the APEC economies, guests and observers (idempotent)."""
        from eventhub.economies.services import load_reference_data

        with write_intent():
            added = load_reference_data(db.session)
            db.session.commit()
        click.echo(f"Economies: {added} added.")

    @group.command("load-demo")
    @click.option("--password", envvar="EVENTHUB_DEMO_PASSWORD", default=None,
                  help="Password of the demo accounts (default: EVENTHUB_DEMO_PASSWORD or a random one).")
    def load_demo(password):
        """Load the demo workshop (idempotent) and print the demo log-ins."""
        from eventhub.demo import demo_password, load_demo

        password = demo_password(app, password)
        with write_intent():
            accounts = load_demo(db.session, password)
            db.session.commit()
        click.echo("")
        click.echo("Demo workshop: /events/apec-sme-cluster-2025/")
        click.echo(f"Demo log-ins (password for all: {password})")
        for email, role in accounts:
            click.echo(f"  {email:<36} {role}")
        click.echo("")

    @group.command("create-user")
    @click.argument("email")
    @click.option("--name", default="")
    @click.option("--admin", is_flag=True, help="Make the user a site admin.")
    @click.password_option()
    def create_user(email, name, admin, password):
        """Create a user account."""
        from eventhub.accounts.services import create_user as create

        try:
            with write_intent():
                user = create(db.session, email, password, name=name, is_admin=admin)
                db.session.commit()
        except DomainError as exc:
            raise click.ClickException(exc.message) from exc
        click.echo(f"Created {user.email}{' (admin)' if admin else ''}.")

    @group.command("make-admin")
    @click.argument("email")
    @click.option("--revoke", is_flag=True, help="Take site admin away instead.")
    def make_admin(email, revoke):
        """Make an existing user a site admin."""
        from eventhub.accounts.services import find_user

        with write_intent():
            user = find_user(db.session, email)
            if user is None:
                raise click.ClickException(f"No user with the e-mail {email}.")
            user.is_admin = not revoke
            db.session.commit()
        click.echo(f"{user.email} is {'no longer' if revoke else 'now'} a site admin.")

    @group.command("purge-personal-data")
    @click.option("--days", type=click.IntRange(min=0), required=True,
                  help="Purge events that ended more than this many days ago.")
    @click.option("--event", "event_slug", default=None, help="Only this event (its slug).")
    def purge_personal_data(days, event_slug):
        """Remove personal details of registrations, keeping the counts reports need."""
        from eventhub.registration.privacy import purge_personal_data as purge

        with write_intent():
            done = purge(db.session, days=days, event_slug=event_slug)
            db.session.commit()
        for event, count in done:
            click.echo(f"{event.slug}: personal details of {count} registrations removed.")
        click.echo(f"Purged {sum(n for _, n in done)} registrations in {len(done)} events "
                   f"that ended more than {days} days ago.")

    @group.command("mail-worker")
    @click.option("--poll", default=1.0, show_default=True, help="Seconds between looks at an empty outbox.")
    def mail_worker(poll):
        """Run the delivery process: send queued e-mail as it arrives, until stopped."""
        from flask import current_app

        from eventhub.mail.worker import run_until_signalled

        run_until_signalled(current_app._get_current_object(), poll_seconds=poll)

    @group.command("deliver-mail")
    def deliver_mail():
        """Deliver queued e-mail that is due (run it from cron to retry failures)."""
        from eventhub.mail.delivery import deliver_due
        from eventhub.messages.reminders import run_due_reminders

        reminders = run_due_reminders(min_interval=0)
        total_sent = total_failed = 0
        while True:
            sent, failed = deliver_due()
            total_sent += sent
            total_failed += failed
            if sent + failed == 0:
                break
            if sent == 0:
                break
        click.echo(f"Mail: {reminders} reminders queued, {total_sent} sent, {total_failed} failed (kept for retry).")

    from eventhub.api.cli import register as register_api_cli  # deliver-webhooks

    register_api_cli(group)

    from eventhub.matching.cli import register as register_matching_cli  # matching-day-before

    register_matching_cli(group)
