import logging
import signal
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from contactcenter.lib import ratelimit
from knowledgebase import related
from knowledgebase.search import sentences
from knowledgebase.search.backend import SCHEMA_VERSION, IndexMissing, backend
from knowledgebase.search.indexer import Indexer, prune_log, rebuild, restore_if_unreadable
from knowledgebase.services import purge_search_log

logger = logging.getLogger(__name__)

# Related Q&As (knowledgebase.related) are computed only after this many quiet seconds
# without index changes, and for at most RELATED_SECONDS_PER_POLL per poll: the index
# work (publish → searchable) never waits behind them.
RELATED_AFTER_QUIET_SECONDS = 2.0
RELATED_SECONDS_PER_POLL = 0.1
# When no list is due, look again only after this long (or after the next index change).
RELATED_IDLE_SECONDS = 30.0
# Question vectors (search/sentences.py, ~25 ms each) are computed in the same quiet time, in
# batches of sentences.BATCH, for about this long per poll: 2,000 new Q&As take a few minutes.
VECTOR_SECONDS_PER_POLL = 0.3


class Command(BaseCommand):
    help = (
        "Keep this host's search index up to date from the index log (run one per host); "
        "also keeps each Q&A's related Q&As and question vector, prunes the index log and purges "
        "the search log after its retention period. On a PUBLIC_ONLY host it keeps the index only: the shared "
        "housekeeping is the staff hosts' indexers' work, and the public role may not do it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=0.25, help="Seconds between polls.")
        parser.add_argument("--reconcile-every", type=float, default=600, help="Seconds between full checks.")
        parser.add_argument("--retention-days", type=int, default=7, help="Prune log rows older than this.")
        parser.add_argument("--once", action="store_true", help="Apply what is pending, reconcile and exit.")
        parser.add_argument("--skip-related", action="store_true", help="Do not compute related Q&As.")
        parser.add_argument("--skip-vectors", action="store_true", help="Do not compute question vectors.")

    def handle(
        self,
        *args: object,
        interval: float,
        reconcile_every: float,
        retention_days: int,
        once: bool,
        skip_related: bool = False,
        skip_vectors: bool = False,
        **options: object,
    ) -> None:
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        retention = timedelta(days=retention_days)
        # The public host's database role reads the index log but writes none of these tables.
        housekeeping = not settings.PUBLIC_ONLY
        skip_related = skip_related or not housekeeping
        indexer = Indexer()
        last_reconcile = 0.0
        last_change = 0.0
        related_idle_until = vectors_idle_until = 0.0
        vectors_made = 0
        self.stdout.write(f"Indexer running (poll every {interval}s).")
        while not stopping:
            if not once:
                close_old_connections()  # a long-running process: drop broken or stale connections
            try:
                backend().ensure_current()
                if self._too_far_behind(retention):
                    rebuild()
                elif backend().generation.position().get("schema") != SCHEMA_VERSION:
                    self.stdout.write("The index was built by an older version: rebuilding it.")
                    rebuild()
                elif backend().store.is_suspect():
                    self.stdout.write("A search failed on the index: reading it through.")
                    self._restore_if_unreadable()
            except IndexMissing:
                self.stdout.write("No index on this host yet: building it.")
                rebuild()
            except Exception:  # garbage where the index's table of contents should be
                if not self._restore_if_unreadable():
                    raise
            applied = self._on_readable_index(indexer.apply_pending)
            if applied:
                self.stdout.write(f"Applied {applied} change(s).")
                last_change = time.monotonic()
                related_idle_until = vectors_idle_until = 0.0
            now = time.monotonic()
            quiet = now - last_change >= RELATED_AFTER_QUIET_SECONDS and now >= related_idle_until
            try:
                computed = None
                if not skip_related and (once or quiet):
                    computed = related.refresh(seconds=None if once else RELATED_SECONDS_PER_POLL)
                if computed == 0:  # nothing due: no need to ask again every poll
                    related_idle_until = now + RELATED_IDLE_SECONDS
            except Exception:  # pages fall back to the topic; the index work must go on
                logger.warning("Could not refresh related Q&As", exc_info=True)
            vectors_due = now >= vectors_idle_until and (
                once or now - last_change >= RELATED_AFTER_QUIET_SECONDS
            )
            try:
                if housekeeping and not skip_vectors and vectors_due:
                    computed = sentences.refresh(seconds=None if once else VECTOR_SECONDS_PER_POLL)
                    vectors_made += computed
                    if not computed:  # none due: look again after a while, or after the next change
                        vectors_idle_until = now + RELATED_IDLE_SECONDS
                    if vectors_made and (once or not computed):  # one line when a run of them ends
                        self.stdout.write(f"Computed {vectors_made} question vector(s).")
                        vectors_made = 0
            except Exception:  # search ranks without them meanwhile; the index work must go on
                logger.warning("Could not compute question vectors", exc_info=True)
            if once or time.monotonic() - last_reconcile > reconcile_every:
                fixed = self._on_readable_index(indexer.reconcile)
                if fixed:
                    self.stdout.write(f"Reconciled {fixed} Q&A(s).")
                if housekeeping:
                    prune_log(older_than=retention)
                    purge_search_log()
                    ratelimit.purge()
                last_reconcile = time.monotonic()
            if once:
                break
            time.sleep(interval)

    def _restore_if_unreadable(self) -> bool:
        rebuilt = restore_if_unreadable()
        if rebuilt:
            self.stdout.write("The index was unreadable: rebuilt it.")
        return rebuilt

    def _on_readable_index(self, work: Callable[[], int]) -> int:
        """Run index work; when it fails on a corrupted index, rebuild the index and run it again.
        Any other failure (the database away) stops the command, as before."""
        try:
            return work()
        except Exception:
            if not self._restore_if_unreadable():
                raise
        return work()

    def _too_far_behind(self, retention: timedelta) -> bool:
        """A host whose index is older than the log's retention may have missed pruned rows."""
        from datetime import datetime

        from django.utils import timezone

        position = backend().generation.position()
        times = [position.get(key) for key in ("built_at", "applied_at", "checked_at") if position.get(key)]
        if not times:
            return False
        return timezone.now() - max(datetime.fromisoformat(str(t)) for t in times) > retention
