"""The schedule lives in the tracker's database; restarts never duplicate a job."""

from __future__ import annotations

from apscheduler.schedulers.background import BackgroundScheduler

from notifier.scheduling import DELIVER_JOB, DIGEST_JOB, SWEEP_JOB, configure, describe
from tests.notifier.conftest import config_for


def test_jobs_have_fixed_ids_and_survive_restarts(database_url: str) -> None:
    config = config_for(sweep_cron="30 5 * * *", digest_cron="0 7 * * mon")
    for _restart in range(2):
        scheduler = BackgroundScheduler()
        configure(scheduler, database_url, config)
        scheduler.start(paused=True)
        try:
            jobs = {job.id: job for job in scheduler.get_jobs()}
            assert set(jobs) == {SWEEP_JOB, DIGEST_JOB, DELIVER_JOB}
            assert (
                str(jobs[SWEEP_JOB].trigger)
                == "cron[month='*', day='*', day_of_week='*', hour='5', minute='30']"
            )
            assert "day_of_week='mon', hour='7', minute='0'" in str(jobs[DIGEST_JOB].trigger)
            assert any(
                line.startswith("notifier-sweep (daily sweep): next run ")
                for line in describe(scheduler)
            )
        finally:
            scheduler.shutdown(wait=False)
