import logging
import signal
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from inquiries.services.inbox import take_inbox

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Turn the public contact form's waiting messages into open web inquiries (one loop per "
        "deployment, on a staff host: the public host only writes the inbox)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep taking messages in until stopped.")
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between passes with --loop.")
        parser.add_argument("--batch", type=int, default=100, help="Messages taken in at most per pass.")

    def handle(self, *args: object, loop: bool, interval: float, batch: int, **options: object) -> None:
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        if loop:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
            self.stdout.write(f"Taking the contact-form inbox in every {interval}s.")
        while True:
            if loop:
                close_old_connections()  # a long-running process: drop broken or stale connections
            try:
                taken = take_inbox(limit=batch)
            except Exception:
                if not loop:
                    raise
                # A database that is away for a moment must not end the loop; the rows wait.
                logger.exception("Could not take the contact-form inbox in")
                taken = 0
            if taken:
                self.stdout.write(f"Took in {taken} message(s).")
            if not loop or stopping:
                break
            if taken < batch:  # more waiting: go on at once
                time.sleep(interval)
            if stopping:
                break
