"""The garbage collector while a sweep plans: fewer passes, and none over the loaded record.

A sweep allocates hundreds of thousands of small objects and keeps nearly all of them until it
ends (the record, the assessments, the rendered messages), so the collector's passes free
almost nothing, and each full pass walks the whole record again: at 10,000 States they took a
third of the planning. While a sweep runs, the first generation is collected every
SWEEP_THRESHOLD allocations instead of every 700, and once the record is loaded everything
alive is frozen (gc.freeze: left out of every pass). When the last sweep running in the process
ends, the thresholds are restored and the frozen objects given back to the collector, so a
long-running process (`serve`, `worker`) frees them as before.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

SWEEP_THRESHOLD = 50_000

_lock = threading.Lock()
_sweeps = 0  # sweeps running in this process (the scheduler's jobs run in threads)
_saved = gc.get_threshold()


def _freeze() -> None:
    gc.freeze()


@contextmanager
def sparing_collector() -> Iterator[Callable[[], None]]:
    """Fewer collections until the block ends; it gets the function that freezes what is alive
    (call it once the record is loaded)."""
    global _sweeps, _saved
    with _lock:
        if _sweeps == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(SWEEP_THRESHOLD, *_saved[1:])
        _sweeps += 1
    try:
        yield _freeze
    finally:
        with _lock:
            _sweeps -= 1
            if _sweeps == 0:
                gc.unfreeze()
                gc.set_threshold(*_saved)
