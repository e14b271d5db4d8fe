"""Debian's Chromium for the end-to-end test: installed when missing, or a clear message why not.

As root on Debian, `apt-get install -y chromium` runs non-interactively. Where Chromium still
cannot be had, CI (OBLIGATIONS_REQUIRE_POSTGRES=1) fails with the reason; elsewhere the test is
skipped with it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IN_CI = os.environ.get("OBLIGATIONS_REQUIRE_POSTGRES") == "1"
INSTALL_SECONDS = 900


def _install() -> str | None:
    """Try apt-get; None when Chromium is there afterwards, else why it is not."""
    if shutil.which("apt-get") is None:
        return "apt-get is not available (not a Debian system)"
    if os.geteuid() != 0:
        return "installing needs root (run: sudo apt-get install -y chromium)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update", "-q"],
        ["apt-get", "install", "-y", "-q", "--no-install-recommends", "chromium"],
    ):
        try:
            done = subprocess.run(
                command,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=INSTALL_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return f"`{' '.join(command)}` took longer than {INSTALL_SECONDS} s"
        if done.returncode != 0:
            last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            return f"`{' '.join(command)}` failed ({done.returncode}): {last[0]}"
    return None if CHROMIUM.exists() else "apt-get finished but /usr/bin/chromium is missing"


def chromium() -> str:
    """The path of Debian's Chromium, installing it first if it is missing."""
    if not CHROMIUM.exists():
        reason = _install()
        if reason is not None:
            message = f"Debian's chromium is needed for the end-to-end test: {reason}"
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
    return str(CHROMIUM)
