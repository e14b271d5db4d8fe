"""The outbox keeps naive UTC timestamps, as the rest of the schema does."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
