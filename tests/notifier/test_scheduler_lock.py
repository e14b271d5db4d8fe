"""The scheduler lock: one holder per database, freed when it stops, lost with its connection."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from notifier.elected import ElectedScheduler
from notifier.scheduler_lock import APPLICATION_PREFIX, scheduler_lock
from obligations.db import make_engine
from obligations.settings import get_settings
from tests.notifier.conftest import config_for

PATIENCE_SECONDS = 30


def test_one_holder_at_a_time_and_the_next_takes_it_when_freed(database_url: str) -> None:
    first = scheduler_lock(database_url, "obligations worker")
    second = scheduler_lock(database_url, "obligations serve")
    try:
        assert first.try_acquire()
        assert not second.try_acquire()
        assert second.holder() == f"pid {os.getpid()} on {socket.gethostname()}, obligations worker"
        assert first.still_held() and not second.still_held()
        first.release()
        assert second.try_acquire()
        assert not first.try_acquire()
    finally:
        first.release()
        second.release()


def test_sqlite_a_lock_file_removed_by_hand_is_no_longer_held(tmp_path: Path) -> None:
    database = tmp_path / "obligations.sqlite3"
    lock = scheduler_lock(f"sqlite:///{database}", "obligations worker")
    try:
        assert lock.try_acquire()
        lock_file = tmp_path / "obligations.sqlite3.scheduler-lock"
        assert lock_file.read_text().startswith(f"pid {os.getpid()} on ")
        lock_file.unlink()
        # Another process could now lock a new file: this one must stop its jobs.
        assert not lock.still_held()
    finally:
        lock.release()


def _terminate_lock_connections(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            return len(
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE application_name LIKE :prefix AND pid <> pg_backend_pid()"
                        " AND application_name LIKE :me"
                    ),
                    {"prefix": APPLICATION_PREFIX + "%", "me": f"%pid {os.getpid()} %"},
                ).all()
            )
    finally:
        engine.dispose()


def test_postgresql_a_lost_connection_loses_the_lock(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's advisory lock lives in a connection; SQLite has none")
    holder = scheduler_lock(database_url, "obligations worker")
    other = scheduler_lock(database_url, "obligations serve")
    try:
        assert holder.try_acquire()
        assert _terminate_lock_connections(database_url) == 1
        assert not holder.still_held()
        assert other.try_acquire()
    finally:
        holder.release()
        other.release()


@pytest.fixture
def quick_standby(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("OBLIGATIONS_SCHEDULER_STANDBY_SECONDS", "0.1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


class Said:
    """What an ElectedScheduler says, and a way to wait for a line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()

    def __call__(self, line: str) -> None:
        with self._changed:
            self.lines.append(line)
            self._changed.notify_all()

    def wait_for(self, fragment: str) -> None:
        deadline = time.monotonic() + PATIENCE_SECONDS
        with self._changed:
            while not any(fragment in line for line in self.lines):
                left = deadline - time.monotonic()
                if left <= 0:
                    pytest.fail(f"never said {fragment!r}: {self.lines}")
                self._changed.wait(left)


def test_the_one_standing_by_takes_over_when_the_holder_stops(
    database_url: str, quick_standby: None
) -> None:
    config = config_for()
    said_a, said_b = Said(), Said()
    a = ElectedScheduler(database_url, config, "obligations serve", said_a)
    b = ElectedScheduler(database_url, config, "obligations worker", said_b)
    try:
        assert a.start() is True
        assert b.start() is False
        assert said_b.lines[0].startswith("notifier: the scheduler runs in another process (pid ")
        assert "obligations serve); this one (pid" in said_b.lines[0]
        assert a.scheduler is not None and len(a.scheduler.get_jobs()) == 3
        assert b.scheduler is None
        a.stop()
        said_b.wait_for("took over the scheduler")
        assert b.scheduler is not None and len(b.scheduler.get_jobs()) == 3
    finally:
        a.stop(wait=False)
        b.stop(wait=False)


def test_a_holder_whose_connection_is_cut_stops_its_jobs(
    database_url: str, quick_standby: None
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's advisory lock lives in a connection; SQLite has none")
    said = Said()
    elected = ElectedScheduler(database_url, config_for(), "obligations worker", said)
    try:
        assert elected.start()
        assert _terminate_lock_connections(database_url) == 1
        said.wait_for("the scheduler lock was lost; jobs stopped")
        # Nobody else holds it: the same process takes it again on its next try.
        said.wait_for("took over the scheduler")
        assert elected.scheduler is not None and elected.scheduler.running
    finally:
        elected.stop(wait=False)
