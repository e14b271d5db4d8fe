"""JSON and CSV bodies from the engine's answers (the same serializer as the CLI's --json)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from fastapi import Response

from obligations.csvcells import neutralise_value
from obligations.serialize import json_bytes

__all__ = ["csv_bytes", "json_bytes", "json_response"]


def json_response(body: bytes, status_code: int = 200) -> Response:
    return Response(body, status_code=status_code, media_type="application/json")


def csv_bytes(columns: Sequence[str], rows: list[dict[str, Any]]) -> bytes:
    """A CSV download; text cells that would start a formula are neutralised."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise_value(row[k]) for k in columns})
    return buffer.getvalue().encode("utf-8")
