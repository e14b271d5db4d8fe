"""Signing in with a token, and out again: the secretariat's opens every page, a focal
point's opens its own State's page, messages and contacts."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from api.clients import client_of, throttle_of
from api.deps import Principal, reading
from api.errors import TooManyAttempts
from api.pages import languages
from api.pages.security import (
    check_csrf,
    close_session,
    notify,
    open_session,
    safe_next,
    session_holder,
)
from api.pages.web import PageRoute, render
from obligations.tokens import Role, authenticate

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, next: str | None = None) -> Response:
    if session_holder(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "signin.html", back_to=safe_next(next), error=None)


def refuse(request: Request, back_to: str, status: int, error: str) -> Response:
    return render(request, "signin.html", status, back_to=back_to, error=error)


def sign_in(request: Request, token: str, back_to: str) -> Response:
    gettext = languages.translator(request).gettext
    token = token.strip()
    if not token:
        return refuse(
            request, back_to, 401, gettext("Paste the token you were given (it starts obl_).")
        )
    client = f"signin {client_of(request)}"
    throttle = throttle_of(request)
    try:
        # Before the token is looked at: a held-off client learns nothing from a good guess.
        throttle.check(client, "sign-ins")
    except TooManyAttempts as held_off:
        response = refuse(request, back_to, 429, f"{str(held_off).capitalize()}.")
        response.headers["Retry-After"] = str(held_off.retry_after)
        return response
    with reading(request) as session:
        row = authenticate(session, token)
        found = Principal.of(row) if row is not None else None
    if found is None:
        throttle.failed(client)
        return refuse(request, back_to, 401, gettext("This token is unknown or has been revoked."))
    open_session(request, found.token_id)
    if found.role is Role.FOCAL_POINT:
        notify(
            request,
            gettext("Signed in as %(name)s, a focal point of %(state)s.")
            % {"name": found.name, "state": found.state},
        )
        # Its own State's page, unless it was on its way to one of that State's pages.
        own = f"/states/{found.state}"
        if back_to != own and not back_to.startswith(own + "/"):
            back_to = own
    else:
        notify(request, gettext("Signed in as %(name)s.") % {"name": found.name})
    return RedirectResponse(back_to, status_code=303)


@router.post("/signin", response_class=HTMLResponse)
async def signin_submit(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form)
    token = form.get("token")
    back_to = safe_next(str(form.get("next") or "/"))
    return await run_in_threadpool(
        sign_in, request, token if isinstance(token, str) else "", back_to
    )


@router.post("/signout")
async def signout(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form)
    await run_in_threadpool(close_session, request)
    notify(request, languages.translator(request).gettext("Signed out."))
    return RedirectResponse("/", status_code=303)
