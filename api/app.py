"""The application factory: one FastAPI app from the settings."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.concurrency import run_in_threadpool

from api import contacts, docs, errors, health, openapi, pages, public, records
from api.clients import FAILURES_PER_WINDOW, WINDOW_SECONDS, Proxies, Throttle
from api.deps import query_dates
from api.pages.security import SecureCookies
from api.pages.web import error_page
from api.response_cache import ResponseCache
from api.revision_reader import RevisionReader
from obligations.db import make_engine, session_factory, unavailable
from obligations.record_cache import AnswerCache
from obligations.settings import Settings, get_settings

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, database_url: str | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = make_engine(database_url or settings.resolved_database_url())

    revision_reader = RevisionReader(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await revision_reader.close()
        engine.dispose()

    app = FastAPI(
        title="treaty-obligations",
        summary="Reporting obligations under the Migrant Workers Convention (ICRMW)",
        version="1",
        lifespan=lifespan,
        dependencies=[Depends(query_dates)],
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.session_factory = session_factory(engine)
    app.state.database_url = engine.url
    app.state.answers = AnswerCache()
    app.state.revision_reader = revision_reader
    app.state.proxies = Proxies.parse(settings.trusted_proxies)
    app.state.throttle = Throttle(FAILURES_PER_WINDOW, WINDOW_SECONDS)
    errors.install(app)
    app.include_router(public.router)
    app.include_router(records.router)
    app.include_router(contacts.router)
    # Added before the pages' session middleware, so it runs inside it and sees the session.
    app.add_middleware(ResponseCache)
    pages.install(app, settings)
    install_database_down(app)
    # Outside the session middleware, so it sees the session cookie it must mark Secure.
    app.add_middleware(SecureCookies, proxies=app.state.proxies)
    health.install(app, settings.metrics_dir)
    docs.install(app)
    openapi.install(app)
    return app


def install_database_down(app: FastAPI) -> None:
    """The database cannot be reached: 503 with Retry-After, JSON for the API, a page else."""

    async def database_down(request: Request, error: Exception) -> Response:
        where = request.app.state.database_url
        reason = unavailable(error, where) if isinstance(error, DBAPIError) else error
        log.warning("%s %s: %s", request.method, request.url.path, reason)
        headers = {"Retry-After": str(errors.DATABASE_RETRY_SECONDS)}
        if request.url.path.startswith(pages.JSON_PATHS):
            return JSONResponse({"detail": errors.DATABASE_DOWN}, 503, headers=headers)
        # The page must not ask the database who is signed in: it is the thing that is down.
        request.state.holder = None
        response = await run_in_threadpool(
            error_page, request, 503, errors.DATABASE_DOWN.capitalize(), "Service unavailable"
        )
        response.headers.update(headers)
        return response

    app.add_exception_handler(OperationalError, database_down)
    app.add_exception_handler(InterfaceError, database_down)
