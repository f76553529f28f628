"""`flask eventhub deliver-webhooks`: send the webhook deliveries that are due (cron, or by hand)."""

from __future__ import annotations

import click


def register(group) -> None:
    @group.command("deliver-webhooks")
    def deliver_webhooks():
        """Send webhook deliveries that are due (failures stay queued for retry)."""
        from eventhub.api.delivery import deliver_due_webhooks

        total_sent = total_failed = 0
        while True:
            sent, failed = deliver_due_webhooks()
            total_sent += sent
            total_failed += failed
            if sent == 0:  # nothing more due, or every receiver refuses: the rest waits for its retry time
                break
        click.echo(f"Webhooks: {total_sent} delivered, {total_failed} failed attempts (kept for retry).")
