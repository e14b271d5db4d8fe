"""A sweep and a digest end to end: plan in one transaction, then deliver what is due."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from notifier.config import NotifierConfig, require_secretariat
from notifier.delivery import DeliveryReport, deliver
from notifier.digest import digest_plan
from notifier.outbox import write_plan
from notifier.planning import PlannedMessage, plan_sweep
from notifier.transports import Transport
from obligations.db import transaction

log = logging.getLogger(__name__)

Planner = Callable[[Session, date, NotifierConfig], list[PlannedMessage]]
PLAN_TRIES = 3


@dataclass(frozen=True)
class RunReport:
    planned: list[PlannedMessage]
    delivery: DeliveryReport
    nothing_to_plan: str | None = None  # why nothing was planned, when the planner says


def plan_and_write(
    factory: sessionmaker[Session], planner: Planner, as_of: date, config: NotifierConfig
) -> list[PlannedMessage]:
    """Plan and write in one transaction. If another sweep wrote some of the same natural keys
    first, the insert fails, nothing of this plan is kept, and planning starts again."""
    for attempt in range(1, PLAN_TRIES + 1):
        try:
            with transaction(factory) as session:
                planned = planner(session, as_of, config)
                write_plan(session, planned)
            return planned
        except IntegrityError:
            log.info("another sweep planned the same messages first; planning again (%d)", attempt)
            if attempt == PLAN_TRIES:
                raise
    raise AssertionError("unreachable")


def run_sweep(
    factory: sessionmaker[Session], config: NotifierConfig, as_of: date, transport: Transport
) -> RunReport:
    """Plan and deliver; refused (NoSecretariat) before anything is written or sent without a
    secretariat address."""
    require_secretariat(config)
    planned = plan_and_write(factory, plan_sweep, as_of, config)
    return RunReport(planned, deliver(factory, transport, config))


def run_digest(
    factory: sessionmaker[Session], config: NotifierConfig, as_of: date, transport: Transport
) -> RunReport:
    reasons: list[str] = []

    def planner(session: Session, day: date, settings: NotifierConfig) -> list[PlannedMessage]:
        plan = digest_plan(session, day, settings)
        # Planning may be tried again (see plan_and_write): keep the last attempt's reason.
        reasons[:] = [plan.nothing_to_send] if plan.nothing_to_send else []
        return plan.messages

    planned = plan_and_write(factory, planner, as_of, config)
    delivery = deliver(factory, transport, config)
    return RunReport(planned, delivery, reasons[0] if reasons else None)
