"""The audit log: every write, with who made it, when, and the record before and after."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from obligations import models
from obligations.serialize import jsonable

# Columns that describe the row's bookkeeping rather than the fact itself.
NOT_AUDITED = frozenset({"recorded_at", "created_at", "updated_at", "digest"})


def snapshot(row: models.Base) -> dict[str, Any]:
    """The row's columns as JSON-ready values."""
    mapper = inspect(type(row))
    return {
        c.key: jsonable(getattr(row, c.key))
        for c in mapper.column_attrs
        if c.key not in NOT_AUDITED
    }


def log_change(
    session: Session,
    actor: str,
    operation: str,
    entity: str,
    entity_id: int | None,
    state_code: str | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> models.AuditEntry:
    entry = models.AuditEntry(
        at=datetime.now(UTC).replace(tzinfo=None, microsecond=0),
        actor=actor,
        operation=operation,
        entity=entity,
        entity_id=entity_id,
        state_code=state_code,
        before=json.dumps(before, ensure_ascii=False, sort_keys=True) if before else None,
        after=json.dumps(after, ensure_ascii=False, sort_keys=True) if after else None,
    )
    session.add(entry)
    session.flush()
    return entry


def log_creation(session: Session, actor: str, entity: str, row: Any) -> models.AuditEntry:
    """A row just written: nothing before it, the row after."""
    state_code = getattr(row, "state_code", None)
    return log_change(session, actor, "create", entity, row.id, state_code, None, snapshot(row))


@dataclass(frozen=True)
class AuditView:
    id: int
    at: datetime
    actor: str
    operation: str
    entity: str
    entity_id: int | None
    state: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class AuditPage:
    items: list[AuditView]
    total: int
    limit: int
    offset: int


def audit_page(
    session: Session, limit: int = 100, offset: int = 0, state: str | None = None
) -> AuditPage:
    """Newest first."""
    query = select(models.AuditEntry)
    count = select(func.count()).select_from(models.AuditEntry)
    if state:
        query = query.where(models.AuditEntry.state_code == state.upper())
        count = count.where(models.AuditEntry.state_code == state.upper())
    rows = session.scalars(query.order_by(models.AuditEntry.id.desc()).limit(limit).offset(offset))
    items = [
        AuditView(
            r.id,
            r.at,
            r.actor,
            r.operation,
            r.entity,
            r.entity_id,
            r.state_code,
            json.loads(r.before) if r.before else None,
            json.loads(r.after) if r.after else None,
        )
        for r in rows
    ]
    return AuditPage(items, session.scalar(count) or 0, limit, offset)
