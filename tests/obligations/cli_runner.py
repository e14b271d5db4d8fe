"""Running the `obligations` command in process, as a user would type it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from obligations.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> Result:
    capsys.readouterr()
    code = 0
    try:
        main(["--database-url", url, *args])
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)
