"""Facts with their ids (public), and the secretariat's writes and corrections of them.

Built for the four kinds of fact from one table of specs, so each behaves alike: 201 with the
created object, 404 for an unknown State or id, 409 for a conflict with the record, 422 for
malformed input; a rejected request writes nothing, an accepted one lands in the audit log.
"""

# No `from __future__ import annotations`: the routes below are typed with loop variables.

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api import schemas
from api.deps import Principal, RecordId, Secretariat, reading, writing
from api.responses import json_bytes, json_response
from obligations import models, practice, recording
from obligations.audit import log_change, log_creation, snapshot
from obligations.corrections import ENTITIES, correct_fact, delete_fact, get_fact
from obligations.inputs import parse_state_code
from obligations.record import stored_articles
from obligations.record_cache import AnswerCache
from obligations.record_files import document_date
from obligations.revision import current_revision
from obligations.serialize import jsonable

router = APIRouter(prefix="/api/v1/states/{code}", tags=["facts"])


def action_view(row: models.DepositaryAction) -> dict[str, Any]:
    return {
        "id": row.id,
        "state": row.state_code,
        "action": row.action,
        "date": row.date,
        "articles": list(stored_articles(row.articles)),
        "source": row.source,
        "effective": row.effective,
        "notification": row.notification,
        "note": row.note,
    }


def report_view(row: models.ReportReceived) -> dict[str, Any]:
    return {
        "id": row.id,
        "state": row.state_code,
        "numbers": [row.first_number, row.last_number],
        "received": row.received,
        "symbol": row.symbol,
        "procedure": row.procedure,
        "source": row.source,
        "out_of_sequence": row.out_of_sequence,
    }


def review_view(row: models.Review) -> dict[str, Any]:
    return {
        "id": row.id,
        "state": row.state_code,
        "numbers": [row.first_number, row.last_number],
        "session": row.session,
        "date": row.date,
        "end_date": row.end_date,
        "symbol": row.symbol,
        "without_report": row.without_report,
        "source": row.source,
        "out_of_sequence": row.out_of_sequence,
    }


def decision_view(row: models.CommitteeDecision) -> dict[str, Any]:
    return {
        "id": row.id,
        "state": row.state_code,
        "report": row.report_number,
        "due": row.due,
        "decided": row.decided,
        "symbol": row.symbol,
        "kind": row.kind,
        "source": row.source,
    }


def create_action(session: Session, code: str, body: schemas.ActionIn) -> Any:
    return recording.record_action(
        session,
        code,
        body.action,
        body.date,
        body.articles,
        body.source,
        body.effective,
        body.notification,
        body.note,
    )


def create_report(session: Session, code: str, body: schemas.ReportIn) -> Any:
    return recording.record_report(
        session, code, body.numbers, body.received, body.symbol, body.procedure,
        out_of_sequence=body.out_of_sequence,
    )  # fmt: skip


def create_review(session: Session, code: str, body: schemas.ReviewIn) -> Any:
    return recording.record_review(
        session, code, body.numbers, body.session, body.date, body.symbol, body.end_date,
        body.without_report, body.source, body.out_of_sequence,
    )  # fmt: skip


def create_decision(session: Session, code: str, body: schemas.DecisionIn) -> Any:
    return recording.record_decision(
        session, code, body.report, body.due, body.decided, body.symbol, body.kind
    )


def loipr_view(row: models.ListOfIssuesPriorToReporting) -> dict[str, Any]:
    return {
        "id": row.id, "state": row.state_code, "report": row.report_number,
        "symbol": row.symbol, "transmitted": document_date(row, "transmitted"),
        "deadline": document_date(row, "deadline"), "source": row.source,
    }  # fmt: skip


def list_of_issues_view(row: models.ListOfIssues) -> dict[str, Any]:
    return {
        "id": row.id, "state": row.state_code, "report": row.report_number,
        "symbol": row.symbol, "issued": document_date(row, "issued"),
        "replies_received": document_date(row, "replies_received"),
        "replies_symbol": row.replies_symbol, "source": row.source,
    }  # fmt: skip


def observations_view(row: models.ConcludingObservations) -> dict[str, Any]:
    return {
        "id": row.id, "state": row.state_code, "number": row.number, "symbol": row.symbol,
        "adopted": document_date(row, "adopted"), "session": row.session,
        "next_numbers": [row.next_first, row.next_last or row.next_first]
        if row.next_first else None,
        "next_due": document_date(row, "next_due"), "next_due_mode": row.next_due_mode,
        "follow_up_due": document_date(row, "follow_up_due"),
        "follow_up_paragraphs": row.follow_up_paragraphs, "source": row.source,
    }  # fmt: skip


def follow_up_view(row: models.FollowUpReceived) -> dict[str, Any]:
    return {
        "id": row.id, "state": row.state_code, "number": row.number, "symbol": row.symbol,
        "received": document_date(row, "received"), "source": row.source,
    }  # fmt: skip


def create_loipr(session: Session, code: str, body: schemas.LoiprIn) -> Any:
    return practice.record_loipr(
        session, code, body.report, body.symbol, body.transmitted, body.deadline, body.source
    )


def create_list_of_issues(session: Session, code: str, body: schemas.ListOfIssuesIn) -> Any:
    return practice.record_list_of_issues(
        session, code, body.report, body.symbol, body.issued, body.replies_received,
        body.replies_symbol, body.source,
    )  # fmt: skip


def create_observations(session: Session, code: str, body: schemas.ObservationsIn) -> Any:
    return practice.record_observations(
        session, code, body.number, body.symbol, body.adopted, body.session, body.next_numbers,
        body.next_due, body.next_due_mode, body.follow_up_due, body.follow_up,
        body.follow_up_paragraphs, body.source,
    )  # fmt: skip


def create_follow_up(session: Session, code: str, body: schemas.FollowUpIn) -> Any:
    return practice.record_follow_up(
        session, code, body.number, body.received, body.symbol, body.source
    )


@dataclass(frozen=True)
class FactSpec:
    entity: str
    path: str
    create_body: type[BaseModel]
    # None: corrected by deleting the fact and recording it again.
    patch_body: type[BaseModel] | None
    create: Callable[..., Any]
    view: Callable[..., dict[str, Any]]


SPECS = [
    FactSpec(
        "action", "actions", schemas.ActionIn, schemas.ActionPatch, create_action, action_view
    ),
    FactSpec(
        "report", "reports", schemas.ReportIn, schemas.ReportPatch, create_report, report_view
    ),
    FactSpec(
        "review", "reviews", schemas.ReviewIn, schemas.ReviewPatch, create_review, review_view
    ),
    FactSpec(
        "decision",
        "decisions",
        schemas.DecisionIn,
        schemas.DecisionPatch,
        create_decision,
        decision_view,
    ),
    FactSpec("loipr", "loiprs", schemas.LoiprIn, None, create_loipr, loipr_view),
    FactSpec(
        "list-of-issues",
        "lists-of-issues",
        schemas.ListOfIssuesIn,
        None,
        create_list_of_issues,
        list_of_issues_view,
    ),
    FactSpec(
        "observations",
        "observations",
        schemas.ObservationsIn,
        None,
        create_observations,
        observations_view,
    ),
    FactSpec("follow-up", "follow-up", schemas.FollowUpIn, None, create_follow_up, follow_up_view),
]


def body_bytes(value: Any, status_code: int = 200) -> Response:
    return json_response(json_bytes(value), status_code)


def register(spec: FactSpec) -> None:
    model = ENTITIES[spec.entity]
    create_body = spec.create_body
    patch_body = spec.patch_body

    @router.get(
        f"/{spec.path}",
        summary=f"Every {spec.entity} recorded for the State",
        name=f"list_{spec.path}",
    )
    async def list_facts(request: Request, code: str) -> Response:
        iso = parse_state_code(code, "code")
        answers: AnswerCache = request.app.state.answers
        # Read by the response cache in front (see api.response_cache), if it was.
        revision: int | None = getattr(request.state, "record_revision", None)
        key = ("facts", spec.path, iso)
        kept: bytes | None = None if revision is None else answers.kept(revision, key)
        if kept is not None:
            return json_response(kept)

        def read() -> bytes:
            with reading(request) as session:
                recording.require_state(session, iso)
                rows = session.scalars(
                    select(model).where(model.state_code == iso).order_by(model.id)
                )
                body = json_bytes({"state": iso, "items": [spec.view(r) for r in rows]})
                # Kept only as read at the revision the request was keyed by.
                if revision is not None and current_revision(session) == revision:
                    answers.keep(revision, key, body)
                return body

        return json_response(await run_in_threadpool(read))

    @router.post(
        f"/{spec.path}",
        status_code=201,
        summary=f"Record a {spec.entity}",
        name=f"create_{spec.entity}",
    )
    def create_fact(
        request: Request,
        code: str,
        body: create_body,  # type: ignore[valid-type]
        who: Secretariat,
    ) -> Response:
        iso = parse_state_code(code, "code")
        with writing(request) as session:
            row = spec.create(session, iso, body)
            log_creation(session, who.actor, spec.entity, row)
            view = spec.view(row)
        return body_bytes(view, 201)

    if patch_body is not None:
        register_correction(spec, patch_body)

    @router.delete(
        f"/{spec.path}/{{fact_id}}",
        status_code=204,
        summary=f"Delete a {spec.entity} recorded in error",
        name=f"delete_{spec.entity}",
    )
    def delete(request: Request, code: str, fact_id: RecordId, who: Secretariat) -> Response:
        iso = parse_state_code(code, "code")
        with writing(request) as session:
            row = get_fact(session, spec.entity, fact_id, iso)
            before = snapshot(row)
            delete_fact(session, row)
            log_change(session, who.actor, "delete", spec.entity, fact_id, iso, before, None)
        return Response(status_code=204)


def register_correction(spec: FactSpec, patch_body: type[BaseModel]) -> None:
    @router.patch(
        f"/{spec.path}/{{fact_id}}",
        summary=f"Correct a {spec.entity}",
        name=f"correct_{spec.entity}",
    )
    def correct(
        request: Request,
        code: str,
        fact_id: RecordId,
        body: patch_body,  # type: ignore[valid-type]
        who: Secretariat,
    ) -> Response:
        iso = parse_state_code(code, "code")
        changes = jsonable(body.model_dump(exclude_unset=True))  # type: ignore[attr-defined]
        with writing(request) as session:
            row = get_fact(session, spec.entity, fact_id, iso)
            before = snapshot(row)
            correct_fact(session, spec.entity, row, changes)
            log_change(
                session, who.actor, "update", spec.entity, row.id, iso, before, snapshot(row)
            )
            view = spec.view(row)
        return body_bytes(view)


for _spec in SPECS:
    register(_spec)


__all__ = ["Principal", "router"]
