"""The schedule, run by one process per database: the one holding the scheduler lock.

`obligations serve` (in its supervising process, whatever the number of workers) and
`obligations worker` both run their jobs through ElectedScheduler. A process that finds the
lock taken stands by and tries again every OBLIGATIONS_SCHEDULER_STANDBY_SECONDS; when the
holder stops or dies, the first to try takes over. A holder that loses its lock (its
PostgreSQL connection dropped) stops its jobs at once and stands by again.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.exc import DBAPIError

from notifier.config import NotifierConfig
from notifier.scheduler_lock import SchedulerLock, scheduler_lock
from notifier.scheduling import configure, describe
from obligations.errors import InvalidInput
from obligations.settings import get_settings

log = logging.getLogger(__name__)

Say = Callable[[str], None]


def standby_seconds() -> float:
    seconds = get_settings().scheduler_standby_seconds
    if not 0 < seconds <= 3600:
        raise InvalidInput(
            f"OBLIGATIONS_SCHEDULER_STANDBY_SECONDS: {seconds:g} seconds: "
            "give more than 0, at most 3600"
        )
    return seconds


class ElectedScheduler:
    """Runs the jobs while this process holds the lock; else stands by to take over."""

    def __init__(
        self,
        database_url: str,
        config: NotifierConfig,
        role: str,
        say: Say,
        lock: SchedulerLock | None = None,
    ) -> None:
        self.database_url = database_url
        self.config = config
        self.role = role
        self.say = say
        self.poll = standby_seconds()
        self.lock = lock or scheduler_lock(database_url, role)
        self.scheduler: BackgroundScheduler | None = None
        self._stopping = threading.Event()
        self._mutex = threading.Lock()
        self._watch: threading.Thread | None = None

    @property
    def running_here(self) -> bool:
        return self.scheduler is not None

    def start(self) -> bool:
        """Try the lock once (saying who runs the schedule), then watch it in a thread."""
        with self._mutex:
            if self._acquire():
                try:
                    jobs = self._run_jobs()
                except BaseException:
                    self.lock.release()
                    raise
                self.say(f"notifier: the scheduler runs in this process ({self._me()})")
                self._say_all(jobs)
            else:
                self.say(
                    f"notifier: the scheduler runs in another process ({self.lock.holder()}); "
                    f"this one ({self._me()}) stands by and takes over if it stops"
                )
        self._watch = threading.Thread(target=self._keep_watch, name="scheduler-lock", daemon=True)
        self._watch.start()
        return self.running_here

    def stop(self, wait: bool = True) -> None:
        """Stop watching, let a running job finish (`wait`), then free the lock for another."""
        self._stopping.set()
        if self._watch is not None:
            self._watch.join()
        with self._mutex:
            self._stop_jobs(wait)
            self.lock.release()

    def _me(self) -> str:
        return f"pid {os.getpid()}, {self.role}"

    def _acquire(self) -> bool:
        try:
            return self.lock.try_acquire()
        except DBAPIError as error:
            log.warning("scheduler lock: the database cannot be reached (%s)", error.orig)
            return False

    def _keep_watch(self) -> None:
        while not self._stopping.wait(self.poll):
            with self._mutex:
                if self._stopping.is_set():
                    return
                if self.running_here:
                    if not self.lock.still_held():
                        self._stop_jobs(wait=False)
                        self.lock.release()
                        self.say(
                            f"notifier: the scheduler lock was lost; jobs stopped in this "
                            f"process ({self._me()}), standing by"
                        )
                elif self._acquire():
                    try:
                        jobs = self._run_jobs()
                    except Exception:
                        # Leave the lock to another process rather than hold it with no jobs.
                        log.exception("scheduler: could not start the jobs; standing by")
                        self.lock.release()
                        continue
                    self.say(
                        f"notifier: this process ({self._me()}) took over the scheduler: "
                        "the previous holder stopped"
                    )
                    self._say_all(jobs)

    def _run_jobs(self) -> list[str]:
        """Start the jobs; each job and its next run, to be said."""
        # A fresh scheduler each time: an APScheduler that was shut down cannot start again.
        scheduler = BackgroundScheduler()
        configure(scheduler, self.database_url, self.config)
        scheduler.start()
        self.scheduler = scheduler
        return describe(scheduler)

    def _say_all(self, lines: list[str]) -> None:
        for line in lines:
            self.say(line)

    def _stop_jobs(self, wait: bool) -> None:
        if self.scheduler is not None:
            if self.scheduler.running:
                self.scheduler.shutdown(wait=wait)
            self.scheduler = None
