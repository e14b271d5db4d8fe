"""The outbox (secretariat): every reminder, notice and digest planned, and its delivery."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from api.deps import Principal, RecordId, reading, writing
from api.pages import languages
from api.pages.security import (
    check_csrf,
    notify,
    refuse_other_state,
    require_officer,
    safe_next,
    session_holder,
)
from api.pages.web import PageRoute, link, page_number, render
from notifier.outbox import STATUSES, check_status, list_messages, retry_message
from obligations.errors import Conflict, NotFound
from obligations.inputs import parse_state_code
from obligations.tokens import Role

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PAGE_SIZE = 50


@router.get("/outbox", response_class=HTMLResponse)
def outbox_page(
    request: Request,
    status: str | None = None,
    state: str | None = None,
    page: str | None = None,
) -> Response:
    holder = session_holder(request)
    if holder is None or holder.role is not Role.FOCAL_POINT:
        require_officer(request)
    chosen = check_status(status or None)
    code = parse_state_code(state, "state") if state else None
    if holder is not None and holder.role is Role.FOCAL_POINT:
        # A focal point sees the messages sent to its own State, and only those.
        refuse_other_state(holder, code or str(holder.state))
        code = holder.state
    number = page_number(page)
    with reading(request) as session:
        # One more than a page, to know whether a next page exists.
        found = list_messages(
            session,
            status=chosen,
            state_code=code,
            limit=PAGE_SIZE + 1,
            offset=(number - 1) * PAGE_SIZE,
        )
    return render(
        request,
        "outbox.html",
        messages=found[:PAGE_SIZE],
        chosen_status=chosen,
        state=code,
        statuses=STATUSES,
        page=number,
        previous=link("/outbox", status=chosen, state=code, page=number - 1)
        if number > 1
        else None,
        next=link("/outbox", status=chosen, state=code, page=number + 1)
        if len(found) > PAGE_SIZE
        else None,
        retry=holder is not None and holder.role is Role.SECRETARIAT,
        focal=holder is not None and holder.role is Role.FOCAL_POINT,
    )


def retry(request: Request, officer: Principal, message_id: int, back_to: str) -> Response:
    gettext = languages.translator(request).gettext
    try:
        with writing(request) as session:
            retry_message(session, message_id, officer.actor)
    except (NotFound, Conflict) as error:
        notify(request, gettext("Not retried: %(reason)s.") % {"reason": error}, "error")
    else:
        due_now = gettext(
            "Message %(number)s is due now; the next delivery run sends it (every few minutes "
            "while the tracker's scheduler runs)."
        )
        notify(request, due_now % {"number": message_id})
    return RedirectResponse(back_to, status_code=303)


@router.post("/outbox/{message_id}/retry")
async def outbox_retry(request: Request, message_id: RecordId) -> Response:
    officer = await run_in_threadpool(require_officer, request)
    form = await request.form()
    check_csrf(request, form)
    back_to = safe_next(str(form.get("back") or "/outbox"))
    return await run_in_threadpool(retry, request, officer, message_id, back_to)
