"""Request bodies, in the CLI's words. Unknown fields are refused so a typo is never ignored."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.dates import IsoDate

Numbers = Annotated[
    list[Annotated[int, Field(ge=1, le=99)]],
    Field(min_length=1, max_length=2, description="[first, last] report numbers (or [n])."),
]
DocumentDate = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
        description="YYYY-MM-DD, or YYYY-MM / YYYY when the document gives only that",
        examples=["2017-04-15", "2018"],
    ),
]
Text = Annotated[str, Field(max_length=200)]
Symbol = Annotated[str, Field(max_length=64, description="UN document symbol, CMW/C/<CODE>/…")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


ActionName = Literal[
    "signature",
    "ratification",
    "accession",
    "succession",
    "succession_to_signature",
    "declaration",
    "withdrawal",
    "denunciation",
]


class ActionIn(Body):
    action: ActionName
    date: IsoDate
    articles: list[Literal[76, 77]] = []
    source: Text | None = None
    effective: IsoDate | None = None
    notification: Annotated[str, Field(max_length=64)] | None = None
    note: Annotated[str, Field(max_length=2000)] | None = None


class ActionPatch(Body):
    action: ActionName | None = None
    date: IsoDate | None = None
    articles: list[Literal[76, 77]] | None = None
    source: Text | None = None
    effective: IsoDate | None = None
    notification: Annotated[str, Field(max_length=64)] | None = None
    note: Annotated[str, Field(max_length=2000)] | None = None


OutOfSequence = Annotated[
    str | None,
    Field(
        max_length=500,
        description="Why the fact stands although it breaks the reports' sequence (a report "
        "beyond the next one due, a review of reports not on record as received).",
    ),
]


class ReportIn(Body):
    numbers: Numbers
    received: IsoDate
    symbol: Symbol | None = None
    procedure: Literal["standard", "simplified"] = "standard"
    out_of_sequence: OutOfSequence = None


class ReportPatch(Body):
    numbers: Numbers | None = None
    received: IsoDate | None = None
    symbol: Symbol | None = None
    procedure: Literal["standard", "simplified"] | None = None
    out_of_sequence: OutOfSequence = None


class ReviewIn(Body):
    numbers: Numbers
    session: Annotated[int, Field(ge=1, le=999)] | None = None
    date: IsoDate
    end_date: IsoDate | None = None
    symbol: Symbol | None = None
    without_report: bool = Field(False, description="In the absence of a report (rule 34).")
    source: Annotated[str, Field(max_length=500)] | None = None
    out_of_sequence: OutOfSequence = None


class ReviewPatch(Body):
    numbers: Numbers | None = None
    session: Annotated[int, Field(ge=1, le=999)] | None = None
    date: IsoDate | None = None
    end_date: IsoDate | None = None
    symbol: Symbol | None = None
    out_of_sequence: OutOfSequence = None


class DecisionIn(Body):
    report: Annotated[int, Field(ge=1, le=99)]
    due: DocumentDate
    decided: IsoDate
    symbol: Symbol | None = None
    kind: Literal["fix_due_date", "request_report"] = "fix_due_date"


class DecisionPatch(Body):
    report: Annotated[int, Field(ge=1, le=99)] | None = None
    due: IsoDate | None = None
    decided: IsoDate | None = None
    symbol: Symbol | None = None
    kind: Literal["fix_due_date", "request_report"] | None = None


class ContactIn(Body):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    email: Annotated[str, Field(min_length=3, max_length=254)]
    language: Literal["en", "fr", "es"] = "en"
    role: Literal["primary", "copy"] = "primary"
    active: bool = True


class ContactPatch(Body):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    email: Annotated[str, Field(min_length=3, max_length=254)] | None = None
    language: Literal["en", "fr", "es"] | None = None
    role: Literal["primary", "copy"] | None = None
    active: bool | None = None


Source = Annotated[str, Field(max_length=500, description="The UN document it was read in.")]


class LoiprIn(Body):
    report: Annotated[int, Field(ge=1, le=99)]
    symbol: Symbol
    transmitted: DocumentDate
    deadline: DocumentDate | None = None
    source: Source | None = None


class ListOfIssuesIn(Body):
    report: Annotated[int, Field(ge=1, le=99)]
    symbol: Symbol
    issued: DocumentDate
    replies_received: DocumentDate | None = None
    replies_symbol: Symbol | None = None
    source: Source | None = None


class ObservationsIn(Body):
    number: Annotated[int, Field(ge=1, le=99)]
    symbol: Symbol
    adopted: DocumentDate
    session: Annotated[int, Field(ge=1, le=999)] | None = None
    next_numbers: Numbers | None = None
    next_due: DocumentDate | None = None
    next_due_mode: Literal["fixed", "loipr", "review_calendar", "unknown"] | None = None
    follow_up: bool = Field(True, description="False: the observations ask for no follow-up.")
    follow_up_due: DocumentDate | None = Field(
        None, description="Default: two years after adoption."
    )
    follow_up_paragraphs: Annotated[str, Field(max_length=64)] | None = None
    source: Source | None = None


class FollowUpIn(Body):
    number: Annotated[int, Field(ge=1, le=99, description="n of CMW/C/<CODE>/CO/<n>.")]
    received: DocumentDate
    symbol: Symbol | None = None
    source: Source | None = None
