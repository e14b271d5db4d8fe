"""The application factory: one FastAPI app from the settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import contacts, errors, pages, public, records
from obligations.db import make_engine, session_factory
from obligations.record_cache import AnswerCache
from obligations.settings import Settings, get_settings


def create_app(settings: Settings | None = None, database_url: str | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = make_engine(database_url or settings.resolved_database_url())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="treaty-obligations",
        summary="Reporting obligations under the Migrant Workers Convention (ICRMW)",
        version="1",
        lifespan=lifespan,
    )
    app.state.session_factory = session_factory(engine)
    app.state.answers = AnswerCache()
    errors.install(app)
    app.include_router(public.router)
    app.include_router(records.router)
    app.include_router(contacts.router)
    pages.install(app, settings)
    return app
