"""The one schema: what every record in data/ is.

Shapes only. Checks that need more than one record or the report text (references,
duplicate ids, quotes on their lines) live in checks.py.
"""
from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Status = Literal["stated", "implied", "unknown"]
FormValue = Literal["area", "business", "academic", "social", "unknown"]
Origin = Literal["project", "pre-existing"]

_RANGE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")


class Record(BaseModel):
    """Strict: no coercion ("1" is not 1), and unknown keys are typos, not extras."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Text(Record):
    """Every user-facing string exists in both languages."""

    th: NonEmpty
    en: NonEmpty

    def __getitem__(self, lang: str) -> str:
        return getattr(self, lang)


class Citation(Record):
    """A range of report lines and a short quote that must stand on them."""

    lines: int | str
    quote: NonEmpty

    @field_validator("lines")
    @classmethod
    def _lines_form(cls, value: int | str) -> int | str:
        if isinstance(value, int):
            if value < 1:
                raise ValueError("line numbers start at 1")
            return value
        match = _RANGE.match(value)
        if not match:
            raise ValueError('expected a line number or a range like "716-718"')
        start, end = int(match[1]), int(match[2])
        if not 1 <= start <= end:
            raise ValueError(f"range {value!r} must run forwards from line 1")
        return value

    @property
    def start(self) -> int:
        return self.lines if isinstance(self.lines, int) else int(_RANGE.match(self.lines)[1])

    @property
    def end(self) -> int:
        return self.lines if isinstance(self.lines, int) else int(_RANGE.match(self.lines)[2])

    @property
    def label(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}–{self.end}"


Sources = Annotated[list[Citation], Field(min_length=1)]


class Cited(Record):
    """A statement and where the report says it."""

    text: Text
    sources: Sources


class Judged(Record):
    """A fact the report may state, imply, or leave open; the status says which."""

    status: Status
    note: Text | None = None
    sources: list[Citation] = []

    @model_validator(mode="after")
    def _evidence(self):
        if self.status != "unknown" and not self.sources:
            raise ValueError(f"a {self.status} value needs sources")
        if self.status == "implied" and self.note is None:
            raise ValueError("an implied value needs a note saying why")
        return self


class Form(Judged):
    value: FormValue

    @model_validator(mode="after")
    def _unknown_is_unknown(self):
        if (self.value == "unknown") != (self.status == "unknown"):
            raise ValueError("value and status must both be unknown, or neither")
        return self


class ApproachRef(Judged):
    value: str

    @model_validator(mode="after")
    def _unknown_is_unknown(self):
        if (self.value == "unknown") != (self.status == "unknown"):
            raise ValueError("value and status must both be unknown, or neither")
        return self


class Repair(Record):
    """An OCR-damaged reading, kept beside the repair the data uses."""

    field: NonEmpty
    original: NonEmpty
    repaired: NonEmpty
    reason: Text
    sources: Sources


class Member(Record):
    name: Text
    role: Text | None = None
    sources: Sources


class NetworkFigure(Record):
    label: Text
    lost: bool
    sources: Sources


class ProvinceFigure(Record):
    caption: Text
    lost: bool
    sources: Sources


class Network(Record):
    id: Id
    name: Text
    repairs: list[Repair] = []
    provinces: Annotated[list[Id], Field(min_length=1)]
    origin: Origin
    form: Form
    sectors: Annotated[list[Id], Field(min_length=1)]
    approach: ApproachRef
    counts_as: Annotated[int, Field(ge=1)] = 1
    members: list[Member]
    activities: list[Cited] = []
    figure: NetworkFigure | None = None
    notes: list[Cited] = []
    sources: Sources


class Province(Record):
    id: Id
    name: Text
    section: str
    text_missing: bool = False
    steps: list[Cited] = []
    result: Cited | None = None
    figure: ProvinceFigure | None = None
    notes: list[Cited] = []
    sources: Sources


class Sector(Record):
    """A vocabulary entry, not a fact: it carries no citation."""

    id: Id
    name: Text


class Approach(Record):
    id: Id
    name: Text
    summary: Text
    sources: Sources


class CountingCall(Record):
    """One judgement behind the directory's count versus the report's 31."""

    id: Id
    title: Text
    text: Text
    networks: list[Id] = []
    sources: Sources


class Dataset(BaseModel):
    """Everything the site publishes, validated and cross-checked."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    provinces: list[Province]
    networks: list[Network]
    sectors: list[Sector]
    approaches: list[Approach]
    counting: list[CountingCall]
    report_lines: list[str]

    def __repr__(self) -> str:  # the report text would flood every error message
        return f"Dataset({len(self.networks)} networks, {len(self.provinces)} provinces)"

    def province(self, province_id: str) -> Province:
        return next(p for p in self.provinces if p.id == province_id)

    def sector(self, sector_id: str) -> Sector:
        return next(s for s in self.sectors if s.id == sector_id)

    def approach(self, approach_id: str) -> Approach:
        return next(a for a in self.approaches if a.id == approach_id)

    def network(self, network_id: str) -> Network:
        return next(n for n in self.networks if n.id == network_id)

    def networks_in(self, province_id: str) -> list[Network]:
        return [n for n in self.networks if province_id in n.provinces]
