"""Bearer tokens for the API: shown once when made, kept only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from obligations import models
from obligations.errors import Conflict, InvalidInput, NotFound
from obligations.inputs import check_plain_text
from obligations.recording import require_state

TOKEN_PREFIX = "obl_"


class Role(StrEnum):
    SECRETARIAT = "secretariat"
    FOCAL_POINT = "focal-point"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TokenView:
    id: int
    name: str
    role: str
    state: str | None
    created_at: datetime
    revoked_at: datetime | None


def view(row: models.ApiToken) -> TokenView:
    return TokenView(row.id, row.name, row.role, row.state_code, row.created_at, row.revoked_at)


def create_token(
    session: Session, role: str, name: str, state: str | None = None
) -> tuple[models.ApiToken, str]:
    """A new token; the clear text is returned here and nowhere else."""
    try:
        kind = Role(role)
    except ValueError:
        raise InvalidInput("role: must be 'secretariat' or 'focal-point'") from None
    label = check_plain_text(name, "name")
    if not label:
        raise InvalidInput("name: give the token a name (who holds it)")
    code: str | None = None
    if kind is Role.FOCAL_POINT:
        if not state:
            raise InvalidInput("state: a focal-point token belongs to one State (--state CODE)")
        code = require_state(session, state).code
    elif state:
        raise InvalidInput("state: a secretariat token is not tied to a State")
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = models.ApiToken(name=label, role=kind.value, state_code=code, digest=digest(clear))
    session.add(row)
    session.flush()
    return row, clear


def list_tokens(session: Session) -> list[TokenView]:
    return [view(r) for r in session.scalars(select(models.ApiToken).order_by(models.ApiToken.id))]


def revoke_token(session: Session, token_id: int) -> models.ApiToken:
    row = session.get(models.ApiToken, token_id)
    if row is None:
        raise NotFound(f"no token with id {token_id}")
    if row.revoked_at is not None:
        raise Conflict(f"token {token_id} was already revoked on {row.revoked_at:%Y-%m-%d}")
    row.revoked_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    session.flush()
    return row


def authenticate(session: Session, clear: str) -> models.ApiToken | None:
    """The live token with this clear text, if any."""
    row = session.scalar(select(models.ApiToken).where(models.ApiToken.digest == digest(clear)))
    if row is None or row.revoked_at is not None:
        return None
    return row
