"""The secretariat's pages, rendered on the server: dashboard, overdue list, States, status
report, calendars, and (signed in) the forms, the outbox and the audit log."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from api.pages import (
    audit,
    calendars,
    contacts,
    corrections,
    dashboard,
    facts,
    languages,
    outbox,
    overdue,
    signin,
    states,
    status,
)
from api.pages.security import SESSION_HOURS, session_secret
from api.pages.web import error_page
from obligations.settings import Settings

STATIC = Path(__file__).resolve().parent.parent / "static"
# Paths whose errors stay JSON (the API and its documentation).
JSON_PATHS = ("/api/", "/docs", "/redoc", "/openapi.json")

ROUTERS = (
    dashboard.router,
    overdue.router,
    states.router,
    status.router,
    calendars.router,
    signin.router,
    facts.router,
    corrections.router,
    contacts.router,
    outbox.router,
    audit.router,
)


def install(app: FastAPI, settings: Settings) -> None:
    """Add the pages to the app: routes, /static, the session cookie, HTML error pages."""
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie="obligations_session",
        max_age=SESSION_HOURS * 3600,
        same_site="lax",
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router)

    @app.exception_handler(HTTPException)
    async def not_found_page(request: Request, error: HTTPException) -> Response:
        if request.url.path.startswith(JSON_PATHS) or error.status_code < 400:
            return await http_exception_handler(request, error)
        gettext = languages.translator(request).gettext
        if error.status_code == 404:
            message = gettext("There is no page at %(path)s.") % {"path": request.url.path}
        elif error.status_code == 405:
            message = gettext("%(method)s is not possible at %(path)s.") % {
                "method": request.method,
                "path": request.url.path,
            }
        else:
            message = str(error.detail)
        response = await run_in_threadpool(error_page, request, error.status_code, message)
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        return response
