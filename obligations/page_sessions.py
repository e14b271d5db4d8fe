"""Signed-in sessions of the pages, kept in the database so that signing out ends them.

The cookie holds a random session id; the database keeps only its SHA-256 digest, the token
that opened it and when it ends. Signing out deletes the row: a copied cookie then opens
nothing, on every process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import DateTime, ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from obligations.models import ApiToken, Base


class PageSession(Base):
    __tablename__ = "page_sessions"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_id: Mapped[int] = mapped_column(
        ForeignKey("api_tokens.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def open_page_session(session: Session, token_id: int, lifetime: dt.timedelta) -> str:
    """A new session for this token; returns the id to put in the cookie (shown only here)."""
    now = _now()
    session.execute(delete(PageSession).where(PageSession.expires_at <= now))
    session_id = secrets.token_urlsafe(32)
    session.add(
        PageSession(
            digest=_digest(session_id), token_id=token_id, created_at=now, expires_at=now + lifetime
        )
    )
    return session_id


def session_token(session: Session, session_id: str) -> ApiToken | None:
    """The token of a live session, or None if it ended, expired, or never was."""
    return session.scalar(
        select(ApiToken)
        .join(PageSession, PageSession.token_id == ApiToken.id)
        .where(PageSession.digest == _digest(session_id), PageSession.expires_at > _now())
    )


def close_page_session(session: Session, session_id: str) -> None:
    session.execute(delete(PageSession).where(PageSession.digest == _digest(session_id)))
