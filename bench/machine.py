"""What a benchmark ran on, printed with its figures: timings mean little without it."""

from __future__ import annotations

import os
import platform
import sys
from typing import Any


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        # Other work on the machine slows every sample alike; ratios within one run hold.
        "load_average_1m": round(os.getloadavg()[0], 2),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }
