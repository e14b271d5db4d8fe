"""IsoDate: the body field type that takes dates by the shared rule (obligations.inputs)."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import BaseModel, ValidationError

from api.dates import IsoDate


class Body(BaseModel):
    received: IsoDate


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (0, "not a date in the form YYYY-MM-DD"),
        ("0", "not a date in the form YYYY-MM-DD"),
        ("2010-03-02T00:00:00", "not a date in the form YYYY-MM-DD"),
        ("2010-02-30", "not a date on the calendar"),
        ("1970-01-01", "before the Convention was opened for signature"),
        ("2100-01-01", "2099-12-31"),
        (None, "not a date"),
    ],
)
def test_a_body_date_is_taken_strictly(given: object, said: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Body.model_validate({"received": given})
    assert said in str(refused.value)
    assert refused.value.errors()[0]["loc"] == ("received",)


def test_a_good_date_is_taken() -> None:
    assert Body.model_validate({"received": "2010-03-02"}).received == date(2010, 3, 2)
    schema = Body.model_json_schema()["properties"]["received"]
    assert schema["format"] == "date" and schema["pattern"].startswith("^[0-9]{4}")
