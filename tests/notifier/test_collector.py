"""The collector after a sweep is as it was before: same thresholds, nothing left frozen, even
when sweeps overlap in threads or one fails."""

from __future__ import annotations

import gc
import threading

import pytest

from notifier.collector import SWEEP_THRESHOLD, sparing_collector


def test_thresholds_restored_and_nothing_frozen_after_a_sweep_even_a_failed_one() -> None:
    before = gc.get_threshold()
    with sparing_collector() as freeze:
        assert gc.get_threshold()[0] == SWEEP_THRESHOLD
        freeze()
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError), sparing_collector() as freeze:
        freeze()
        raise RuntimeError("the sweep failed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_overlapping_sweeps_restore_the_thresholds_once_the_last_ends() -> None:
    before = gc.get_threshold()
    first_inside, second_done = threading.Event(), threading.Event()
    seen: list[int] = []

    def first() -> None:
        with sparing_collector() as freeze:
            freeze()
            first_inside.set()
            second_done.wait(timeout=30)
            # The other sweep ended meanwhile: this one still runs with the sweep threshold.
            seen.append(gc.get_threshold()[0])

    thread = threading.Thread(target=first)
    thread.start()
    first_inside.wait(timeout=30)
    with sparing_collector():
        pass
    second_done.set()
    thread.join(timeout=30)
    assert seen == [SWEEP_THRESHOLD]
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
