"""E-mail departments about escalations that arrived or fell due (run every few minutes by a
systemd timer; see the README). Safe to run twice at once: each notice goes out once."""

from django.core.management.base import BaseCommand

from inquiries.services.escalation_mail import notify_escalations


class Command(BaseCommand):
    help = "E-mail departments about new and overdue escalations (each notice once)."

    def handle(self, *args: object, **options: object) -> None:
        result = notify_escalations()
        self.stdout.write(
            f"sent {result.sent}, failed {result.failed} (of which without an address {result.no_address})"
        )
