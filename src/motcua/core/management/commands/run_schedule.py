import logging
import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from motcua.core.schedule import JOBS, enqueue_due

log = logging.getLogger(__name__)
SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Command(BaseCommand):
    help = (
        "Queue the periodic jobs (outbox sweep, mailbox polling) when they are due, for the "
        "task worker (db_worker) to run. Runs until stopped; --once checks once (for cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once, then exit.")
        parser.add_argument(
            "--interval", type=float, default=5, help="Seconds between checks (default 5)."
        )

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        if once:
            self._report(enqueue_due())
            return
        self._stopping = False
        self._previous = {signum: signal.signal(signum, self._stop) for signum in SIGNALS}
        jobs = ", ".join(
            f"{name} every {job.interval.total_seconds():g} s" for name, job in JOBS.items()
        )
        self.stdout.write(f"Scheduler started: {jobs}.")
        try:
            while not self._stopping:
                self._check()
                deadline = time.monotonic() + interval
                while not self._stopping and time.monotonic() < deadline:
                    time.sleep(min(0.2, max(deadline - time.monotonic(), 0)))
        finally:
            self._restore_signals()
        self.stdout.write("Scheduler stopped.")

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        # Finish the current check, then leave; a second signal ends the process at once.
        self._stopping = True
        self._restore_signals()

    def _restore_signals(self) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _check(self) -> None:
        close_old_connections()
        try:
            self._report(enqueue_due())
        except Exception:  # the database restarting must not end the scheduler
            log.exception("The periodic job check failed; trying again at the next check")
        finally:
            close_old_connections()

    def _report(self, names: list[str]) -> None:
        if names:
            stamp = timezone.localtime().strftime("%d/%m/%Y %H:%M:%S")
            self.stdout.write(f"{stamp} queued: {', '.join(names)}")
