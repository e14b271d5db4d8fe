"""The record's revision: a counter bumped in the same transaction as every change of a fact.

Whoever keeps answers in memory (the API) compares revisions, so a cached answer never
outlives the facts it was computed from, whichever process wrote them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, event, insert, select, update
from sqlalchemy.orm import Session

from obligations import models

FACT_TYPES = (
    models.State,
    models.StateName,
    models.DepositaryAction,
    models.ReportReceived,
    models.Review,
    models.CommitteeDecision,
    models.ListOfIssuesPriorToReporting,
    models.ListOfIssues,
    models.ConcludingObservations,
    models.FollowUpReceived,
)


def current_revision(session: Session) -> int:
    return session.scalar(select(models.RecordRevision.value)) or 0


REVISION = select(models.RecordRevision.__table__.c.value)


def revision_of(connection: Connection) -> int:
    """The revision read on a plain connection: what every cached answer asks first, at
    less than half the cost of an ORM session."""
    return connection.scalar(REVISION) or 0


@event.listens_for(Session, "after_flush")
def _bump_revision(session: Session, _context: Any) -> None:
    touched = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, FACT_TYPES) for obj in touched):
        bumped = session.execute(
            update(models.RecordRevision).values(value=models.RecordRevision.value + 1)
        )
        if bumped.rowcount == 0:  # type: ignore[attr-defined]
            # The counter's row is missing (a table emptied by hand): start it again.
            session.execute(insert(models.RecordRevision).values(id=1, value=1))
