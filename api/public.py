"""The public record, read-only: no token needed, every answer as at a date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from api.deps import factory
from api.responses import csv_bytes, json_bytes, json_response
from obligations import queries
from obligations.inputs import parse_state_code, today
from obligations.record import Record
from obligations.record_cache import AnswerCache
from obligations.serialize import jsonable

router = APIRouter(prefix="/api/v1", tags=["public record"])

AsOf = Annotated[
    date | None, Query(description="Answer as at this date (YYYY-MM-DD); default today (UTC).")
]
Region = Annotated[
    str | None,
    Query(
        description="UN regional group: AFR, APG, EEG, GRULAC or WEOG.",
        pattern="^(?i:AFR|APG|EEG|GRULAC|WEOG)$",
    ),
]


async def cached(
    request: Request, key: tuple[object, ...], compute: Callable[[Record], bytes]
) -> bytes:
    """The answer, computed on the event loop when the record is in memory (a fraction of a
    millisecond of CPU: a hop to a worker thread would cost more), else read in a thread."""
    answers: AnswerCache = request.app.state.answers
    # The response cache in front has just read the revision (see api.response_cache).
    revision = getattr(request.state, "record_revision", None)
    if revision is not None:
        body: bytes | None = answers.answer_in_memory(revision, key, compute)
        if body is not None:
            return body
    read: bytes = await run_in_threadpool(
        answers.answer_from, factory(request), key, compute, revision
    )
    return read


def day(as_of: date | None) -> date:
    return as_of or today()


@router.get("/ping", summary="A trivial answer, to check the service is up")
def ping() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/status", summary="The status of the Convention as at a date")
async def status(request: Request, as_of: AsOf = None) -> Response:
    when = day(as_of)
    return json_response(
        await cached(
            request,
            ("status", when),
            lambda record: json_bytes(queries.convention_status(record, when)),
        )
    )


@dataclass(frozen=True)
class StateSummary:
    code: str
    name: str
    regional_group: str | None
    party: bool
    entry_into_force: date | None


@router.get("/states", summary="Every State, with whether it is a party as at a date")
async def states(
    request: Request,
    as_of: AsOf = None,
    party: Annotated[
        bool | None, Query(description="Only parties (true) or non-parties (false).")
    ] = None,
    region: Region = None,
) -> Response:
    when = day(as_of)

    def compute(record: Record) -> bytes:
        summaries: list[StateSummary] = queries.kept_by_status_days(
            record,
            "state summaries",
            when,
            lambda: [
                StateSummary(
                    a.code,
                    a.name,
                    a.regional_group,
                    a.standing.party,
                    a.entry_into_force.date if a.entry_into_force else None,
                )
                for a in queries.assess_all(record, when, reporting=False)
            ],
        )
        chosen = [
            s
            for s in summaries
            if (party is None or s.party == party)
            and (region is None or (s.regional_group or "") == region.upper())
        ]
        return json_bytes({"as_of": when, "items": sorted(chosen, key=lambda s: s.name)})

    return json_response(
        await cached(request, ("states", when, party, region and region.upper()), compute)
    )


@router.get("/states/{code}", summary="A State's dossier as at a date")
async def state(request: Request, code: str, as_of: AsOf = None) -> Response:
    when = day(as_of)
    iso = parse_state_code(code, "code")
    return json_response(
        await cached(
            request,
            ("state", iso, when),
            lambda record: json_bytes(queries.state_dossier(record, iso, when)),
        )
    )


OVERDUE_COLUMNS = (
    "code", "name", "number", "kind", "due", "days_overdue", "basis", "overdue_from", "region",
    "verified",
)  # fmt: skip


BY_STATE_COLUMNS = (
    "code", "name", "region", "items", "what", "oldest_due", "overdue_since", "days_overdue",
    "verified",
)  # fmt: skip


@router.get("/overdue", summary="Reports and follow-up overdue as at a date, most overdue first")
async def overdue(
    request: Request,
    as_of: AsOf = None,
    region: Region = None,
    format: Annotated[Literal["json", "csv"], Query(description="json (default) or csv")] = "json",
    by: Annotated[
        Literal["item", "state"],
        Query(description="item (default): one row per report or follow-up; state: one per State"),
    ] = "item",
) -> Response:
    when = day(as_of)
    group = region.upper() if region else None

    def compute(record: Record) -> bytes:
        if by == "state":
            grouped = queries.overdue_by_state(record, when, group)
            if format == "csv":
                rows = [{**row, "what": "; ".join(row["what"])} for row in jsonable(grouped.states)]
                return csv_bytes(BY_STATE_COLUMNS, rows)
            return json_bytes(grouped)
        view = queries.overdue_reports(record, when, group)
        if format == "csv":
            return csv_bytes(OVERDUE_COLUMNS, jsonable(view.items))
        return json_bytes(view)

    body = await cached(request, ("overdue", when, group, format, by), compute)
    if format == "csv":
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="overdue-{when.isoformat()}.csv"'
            },
        )
    return json_response(body)


@router.get("/upcoming", summary="Reports falling due within the next days")
async def upcoming(
    request: Request,
    as_of: AsOf = None,
    within: Annotated[int, Query(ge=0, le=1826, description="Days ahead (default 90).")] = 90,
    region: Region = None,
) -> Response:
    when = day(as_of)
    group = region.upper() if region else None
    return json_response(
        await cached(
            request,
            ("upcoming", when, within, group),
            lambda record: json_bytes(queries.upcoming_reports(record, when, within, group)),
        )
    )


@router.get("/declarations", summary="Articles 76 and 77: declarations and the threshold of ten")
async def declarations(request: Request, as_of: AsOf = None) -> Response:
    when = day(as_of)

    def compute(record: Record) -> bytes:
        status = queries.convention_status(record, when)
        parties = [p.code for p in status.parties]
        return json_bytes(
            {
                "as_of": when,
                "declarations": status.declarations,
                "parties_not_declared": {
                    article: [c for c in parties if c not in procedure.states]
                    for article, procedure in status.declarations.items()
                },
            }
        )

    return json_response(await cached(request, ("declarations", when), compute))
