"""Answers kept in memory for as long as the record's revision stays the same."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from obligations.record import LeastRecentlyUsed, Record, load_record
from obligations.revision import current_revision, revision_of


class AnswerCache:
    """Memoises answers computed from the whole record, keyed by revision and question."""

    def __init__(self, size: int = 512) -> None:
        self._lock = threading.Lock()  # guards the record kept
        self._record: tuple[int, Record] | None = None
        self._answers = LeastRecentlyUsed(size)  # by (revision, question)

    def answer_from(
        self,
        factory: sessionmaker[Session],
        key: Hashable,
        compute: Callable[[Record], Any],
        revision: int | None = None,
    ) -> Any:
        """As `answer`, reading the revision on a plain connection (unless the caller has just
        read it), and opening a session only when that revision's record is not in memory."""
        if revision is None:
            engine: Engine = factory.kw["bind"]
            with engine.connect() as connection:
                revision = revision_of(connection)
        # Computed from the record of exactly this revision: right for it, whatever came since.
        value = self.answer_in_memory(revision, key, compute)
        if value is not None:
            return value
        with factory() as session:
            return self.answer(session, key, compute)

    def answer_in_memory(
        self, revision: int, key: Hashable, compute: Callable[[Record], Any]
    ) -> Any | None:
        """As `answer_from` for a revision just read, without touching the database: None
        when that revision's record is not in memory (the caller then reads it)."""
        cached = self.kept(revision, key)
        if cached is not None:
            return cached
        with self._lock:
            kept = self._record
        if kept is None or kept[0] != revision:
            return None
        value = compute(kept[1])
        self.keep(revision, key, value)
        return value

    def kept(self, revision: int, key: Hashable) -> Any:
        """An answer kept for exactly this revision, else None."""
        return self._answers.get((revision, key))

    def keep(self, revision: int, key: Hashable, value: Any) -> None:
        """Keep an answer read at exactly this revision (the caller has checked it was)."""
        self._answers.put((revision, key), value)

    def answer(self, session: Session, key: Hashable, compute: Callable[[Record], Any]) -> Any:
        revision = current_revision(session)
        cached = self.kept(revision, key)
        if cached is not None:
            return cached
        record = self._record_at(session, revision)
        value = compute(record)
        if current_revision(session) != revision:
            return value
        self.keep(revision, key, value)
        return value

    def _record_at(self, session: Session, revision: int) -> Record:
        with self._lock:
            if self._record is not None and self._record[0] == revision:
                return self._record[1]
        record = load_record(session)
        record.answers_many = True
        # Keep it only if no write landed while it was read (READ COMMITTED sees each one).
        if current_revision(session) == revision:
            with self._lock:
                self._record = (revision, record)
        return record
