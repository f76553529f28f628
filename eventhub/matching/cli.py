"""`flask eventhub matching-day-before`: queue tomorrow's meeting schedules (run it from cron, e.g.
hourly: each person gets their schedule once per day, eventhub.matching.onday.queue_day_before)."""

from __future__ import annotations

import click


def register(group) -> None:
    @group.command("matching-day-before")
    def matching_day_before():
        """Queue each participant's business-matching meetings of the next day (once per person and day)."""
        from eventhub.db import write_intent
        from eventhub.extensions import db
        from eventhub.matching.onday import events_with_meetings, queue_day_before

        with write_intent():
            done = [(event.slug, queue_day_before(db.session, event)) for event in events_with_meetings(db.session)]
            db.session.commit()
        for slug, n in done:
            click.echo(f"{slug}: {n} schedules queued.")
        click.echo(f"Matching: {sum(n for _, n in done)} schedules queued in {len(done)} events.")
