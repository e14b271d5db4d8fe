"""Operations: is the process up (`/healthz`), can it serve (`/readyz`: database reachable,
schema at the newest migration), and request metrics in the Prometheus text format
(`/metrics`), counted per route template, method and status, summed over the workers of one
`obligations serve --workers N`."""

from __future__ import annotations

import os
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics_files import ValuesFile, read_values, values_files
from obligations.db import alembic_config

router = APIRouter(tags=["operations"])

# Upper bounds of the latency histogram's buckets, in seconds (Prometheus' defaults, trimmed).
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


# The counts of one process: requests per (method, route, status); seconds and latency
# buckets per (method, route).
Counts = dict[tuple[str, str, int], int]
Seconds = dict[tuple[str, str], float]
Buckets = dict[tuple[str, str], list[int]]


class RequestMetrics:
    """Counts and a latency histogram per (method, route template, status).

    With `shared` (a folder `obligations serve --workers N` makes for its workers), each
    process also keeps its values in a file there (api.metrics_files), and `/metrics` answers
    the sum over every file in it: the same totals whichever worker is asked. A worker that
    died leaves its file, so the sums never go down.
    """

    def __init__(self, shared: Path | None = None) -> None:
        self._lock = threading.Lock()
        self.counts: Counts = defaultdict(int)
        self.seconds: Seconds = defaultdict(float)
        self.buckets: Buckets = defaultdict(lambda: [0] * len(BUCKETS))
        self._shared = shared
        self._own = ValuesFile(shared) if shared else None

    def observe(self, method: str, route: str, status: int, elapsed: float) -> None:
        with self._lock:
            self.counts[(method, route, status)] += 1
            self.seconds[(method, route)] += elapsed
            bucket = self.buckets[(method, route)]
            for index, bound in enumerate(BUCKETS):
                if elapsed <= bound:
                    bucket[index] += 1
            if self._own is not None:
                self._publish(method, route, status, elapsed)

    def _publish(self, method: str, route: str, status: int, elapsed: float) -> None:
        """Into this process's values file (under the lock: one writer)."""
        assert self._own is not None
        own = self._own
        own.set(("c", method, route, status), self.counts[(method, route, status)])
        own.set(("s", method, route), self.seconds[(method, route)])
        bucket = self.buckets[(method, route)]
        for index, bound in enumerate(BUCKETS):
            if elapsed <= bound:
                own.set(("b", method, route, index), bucket[index])

    def _snapshot(self) -> tuple[Counts, Seconds, Buckets]:
        with self._lock:
            return (
                dict(self.counts),
                dict(self.seconds),
                {key: list(value) for key, value in self.buckets.items()},
            )

    def _totals(self) -> tuple[Counts, Seconds, Buckets, int]:
        counts, seconds, buckets = self._snapshot()
        if self._shared is None or self._own is None:
            return counts, seconds, buckets, 1
        totals_c: Counts = defaultdict(int, counts)
        totals_s: Seconds = defaultdict(float, seconds)
        totals_b: Buckets = defaultdict(lambda: [0] * len(BUCKETS), buckets)
        processes = 1
        for path in values_files(self._shared):
            if path == self._own.path:
                continue
            processes += 1
            for key, value in read_values(path):
                kind, method, route, *rest = key
                if kind == "c":
                    totals_c[(method, route, int(rest[0]))] += int(value)
                elif kind == "s":
                    totals_s[(method, route)] += value
                else:
                    totals_b[(method, route)][int(rest[0])] += int(value)
        # A route another worker answered has a histogram here too, so every count has one.
        for method, route, _status in totals_c:
            totals_b.setdefault((method, route), [0] * len(BUCKETS))
            totals_s.setdefault((method, route), 0.0)
        return dict(totals_c), dict(totals_s), dict(totals_b), processes

    def exposition(self) -> str:
        """The Prometheus text format (version 0.0.4)."""
        counts, seconds, buckets, processes = self._totals()
        lines = [
            "# HELP obligations_metrics_processes Server processes whose requests are counted.",
            "# TYPE obligations_metrics_processes gauge",
            f"obligations_metrics_processes {processes}",
            "# HELP obligations_requests_total HTTP requests answered, by route and status.",
            "# TYPE obligations_requests_total counter",
        ]
        for (method, route, status), count in sorted(counts.items()):
            labels = f'method="{method}",route="{_escape(route)}",status="{status}"'
            lines.append(f"obligations_requests_total{{{labels}}} {count}")
        lines += [
            "# HELP obligations_request_duration_seconds Time to answer, by route.",
            "# TYPE obligations_request_duration_seconds histogram",
        ]
        for (method, route), bucket in sorted(buckets.items()):
            labels = f'method="{method}",route="{_escape(route)}"'
            total = sum(c for (m, r, _), c in counts.items() if (m, r) == (method, route))
            name = "obligations_request_duration_seconds"
            for bound, count in zip(BUCKETS, bucket, strict=True):
                lines.append(f'{name}_bucket{{{labels},le="{bound}"}} {count}')
            lines.append(f'{name}_bucket{{{labels},le="+Inf"}} {total}')
            lines.append(f"{name}_sum{{{labels}}} {seconds[(method, route)]:.6f}")
            lines.append(f"{name}_count{{{labels}}} {total}")
        return "\n".join(lines) + "\n"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


class MetricsMiddleware:
    """Times every HTTP request; labels it by the route's template, never the raw path
    (a State code or an id in the path would make one series per value)."""

    def __init__(self, app: ASGIApp, metrics: RequestMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "(unmatched)"
            self.metrics.observe(scope["method"], template, status, time.perf_counter() - started)


@router.get("/healthz", summary="The process is up (no database access), and which one it is")
def healthz() -> dict[str, str | int]:
    # The pid tells the workers of `serve --workers N` apart (one address, several processes).
    return {"status": "up", "pid": os.getpid()}


@router.get(
    "/readyz",
    summary="Ready to serve: the database answers and its schema is at the newest migration",
    responses={503: {"description": "Not ready, with the reason"}},
)
def readyz(request: Request) -> Response:
    head = newest_migration()
    try:
        with request.app.state.session_factory() as session:
            session.execute(text("SELECT 1"))
            current = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        return not_ready(f"the database cannot be used: {reason}")
    if current != head:
        return not_ready(
            f"the schema is at migration {current}, not {head}: run `obligations init`"
        )
    return JSONResponse({"status": "ready", "database": "reachable", "migration": head})


def not_ready(reason: str) -> Response:
    return JSONResponse(
        {"status": "not ready", "detail": reason}, 503, headers={"Retry-After": "30"}
    )


def newest_migration() -> str | None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))  # type: ignore[arg-type]
    head: str | None = script.get_current_head()
    return head


def install(app: FastAPI, shared_metrics: str = "") -> None:
    metrics = RequestMetrics(Path(shared_metrics) if shared_metrics else None)
    app.state.metrics = metrics

    @app.get("/metrics", tags=["operations"], summary="Request metrics (Prometheus text format)")
    def prometheus_metrics() -> Any:
        return PlainTextResponse(
            metrics.exposition(), media_type="text/plain; version=0.0.4; charset=utf-8"
        )

    app.include_router(router)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
