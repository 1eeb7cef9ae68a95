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
    """A linking approach of 3.3; which networks followed it is said on the networks."""

    id: Id
    name: Text
    summary: Text
    steps: list[Cited] = []
    advantages: list[Cited] = []
    disadvantages: list[Cited] = []
    sources: Sources


# --- The handbook (issue 4): what the report teaches --------------------------------------


class Passage(Record):
    """A titled run of cited paragraphs: a framework, a definition, the vision, best practice."""

    id: Id
    title: Text
    paragraphs: Annotated[list[Cited], Field(min_length=1)]
    sources: Sources


class Stage(Record):
    """One of the four stages of the research process (1.5, executive summary)."""

    id: Id
    number: Annotated[int, Field(ge=1)]
    name: Text
    text: Text
    sources: Sources


class Term(Record):
    """A key term: the one English rendering every page uses for the Thai."""

    id: Id
    th: NonEmpty
    en: NonEmpty
    definition: Text | None = None
    sources: Sources


class ProvinceUse(Record):
    """A team that used a method, and what the report says of that use."""

    province: Id
    text: Text | None = None
    sources: Sources


class Method(Record):
    """A participatory method or tool of 3.2."""

    id: Id
    name: Text
    purpose: Text
    used_at: list[Cited] = []
    provinces: list[ProvinceUse] = []
    how: list[Cited] = []
    sources: Sources


class Factor(Record):
    """A success or sustainability factor, or a researcher's opinion (ch. 4)."""

    id: Id
    group: Literal["team", "internal", "external", "opinion", "sustainability"]
    number: str = ""
    name: Text
    text: Text | None = None
    sources: Sources


class Guideline(Record):
    """One of the 29 guidelines of 4.6 (printed 4.1–4.29)."""

    number: Annotated[int, Field(ge=1)]
    text: Text
    sources: Sources

    @property
    def id(self) -> str:
        return str(self.number)


class Agency(Record):
    id: Id
    name: Text
    sources: Sources


class Recommendation(Record):
    """One of the 14 recommendations: the issue it answers, the guideline, who supports it."""

    number: Annotated[int, Field(ge=1)]
    context: Text
    issue: Text | None = None
    guideline: Text
    agencies: list[Id] = []
    notes: list[Cited] = []
    sources: Sources

    @property
    def id(self) -> str:
        return str(self.number)


class TableRow(Record):
    cells: Annotated[list[Text], Field(min_length=1)]
    sources: Sources


class Table(Record):
    """A table of the report, rebuilt as data (the extraction mangled its layout)."""

    id: Id
    title: Text
    columns: Annotated[list[Text], Field(min_length=1)]
    rows: Annotated[list[TableRow], Field(min_length=1)]
    notes: list[Cited] = []
    sources: Sources

    @model_validator(mode="after")
    def _row_width(self):
        for index, row in enumerate(self.rows):
            if len(row.cells) != len(self.columns):
                raise ValueError(f"row {index} has {len(row.cells)} cells for {len(self.columns)} columns")
        return self


class CountingCall(Record):
    """One judgement behind the directory's count versus the report's 31."""

    id: Id
    title: Text
    text: Text
    networks: list[Id] = []
    sources: Sources


# --- The learning-forum curriculum (issue 5): teaching design around cited facts ---------------


class Activity(Record):
    """A timed activity of a session plan; its method links to the handbook's method page."""

    id: Id
    title: Text
    minutes: Annotated[int, Field(ge=1)]
    method: Id | None = None
    steps: Annotated[list[Text], Field(min_length=1)]
    materials: list[Text] = []
    room: Text | None = None
    facts: list[Cited] = []


class Question(Record):
    """An assessment question; the answer is for the facilitator's view only."""

    question: Text
    answer: Text
    sources: list[Citation] = []


class Worksheet(Record):
    """A printable worksheet: a layout kind and the boxes or columns it has."""

    id: Id
    title: Text
    kind: Literal["grid", "tree", "canvas", "table"]
    instructions: Text
    fields: Annotated[list[Text], Field(min_length=1)]


class CaseStudy(Record):
    network: Id
    text: Text
    sources: Sources


class Module(Record):
    """One learning-forum module, as trainers run it."""

    id: Id
    number: Annotated[int, Field(ge=1)]
    title: Text
    audience: Text
    prerequisites: list[Text] = []
    objectives: Annotated[list[Text], Field(min_length=1)]
    key_points: Annotated[list[Cited], Field(min_length=1)]
    activities: Annotated[list[Activity], Field(min_length=1)]
    case: CaseStudy | None = None
    discussion: list[Text] = []
    assessment: Annotated[list[Question], Field(min_length=1)]
    facilitator_notes: Annotated[list[Text], Field(min_length=1)]
    worksheets: list[Worksheet] = []
    sources: Sources

    @property
    def minutes(self) -> int:
        return sum(activity.minutes for activity in self.activities)


class ProgrammeDay(Record):
    title: Text
    start: Annotated[str, StringConstraints(pattern=r"^\d\d:\d\d$")]
    modules: Annotated[list[Id], Field(min_length=1)]
    lunch_after: Id | None = None  # the module the lunch break follows, instead of a short break

    @field_validator("lunch_after")
    @classmethod
    def _lunch_between_modules(cls, value, info):
        if value is not None and value not in (info.data.get("modules") or [])[:-1]:
            raise ValueError(f"{value!r} must be one of the day's modules, not the last")
        return value


class Programme(Record):
    """A sample programme: modules per day; times come from the modules' durations."""

    id: Id
    title: Text
    break_minutes: Annotated[int, Field(ge=0)] = 15
    lunch_minutes: Annotated[int, Field(ge=0)] = 60
    days: Annotated[list[ProgrammeDay], Field(min_length=1)]


# --- The report itself (issue 7): what citations of it say, each part cited ------------------


class Reading(Record):
    """One way the report prints a name, with where it does."""

    text: NonEmpty
    sources: Sources

    @model_validator(mode="after")
    def _in_its_quote(self):
        if not any(self.text in cite.quote for cite in self.sources):
            raise ValueError(f"the reading {self.text!r} must stand in one of its quotes")
        return self


class ReportAuthor(Record):
    """The report's author as printed. Names stay in Thai script in both languages: nothing in the
    report shows how she romanises her name, so the site does not guess."""

    name: NonEmpty                  # the reading citations use, without the academic title
    title: Text                     # รศ.: not used in citations (APA drops titles)
    and_team: Text                  # และคณะ: the cover names her "and team"
    readings: Annotated[list[Reading], Field(min_length=1)]
    note: Text                      # why `name` is the reading citations use

    @model_validator(mode="after")
    def _name_is_a_reading(self):
        if self.name not in {reading.text for reading in self.readings}:
            raise ValueError(f"the name {self.name!r} must be one of the readings")
        return self


class ReportDate(Record):
    """The month on the cover, in the Buddhist Era as printed."""

    year_be: Annotated[int, Field(ge=2400, le=2700)]
    month: Annotated[int, Field(ge=1, le=12)]
    sources: Sources

    @property
    def year_ce(self) -> int:
        return self.year_be - 543


class Body(Record):
    """An organisation the report names (the funder, the institution that ran the programme)."""

    name: Text
    sources: Sources


class Report(Record):
    """The source report as a bibliographic record: the Thai as printed, the English a translation."""

    genre: Cited                    # รายงานวิจัยฉบับสมบูรณ์: final research report
    project: Cited
    programme: Cited                # the research programme's name, as the cover quotes it
    author: ReportAuthor
    date: ReportDate
    funder: Body
    institution: Body
    sources: Sources

    @property
    def id(self) -> str:  # run_checks looks for duplicate ids; there is one report
        return "report"


class Dataset(BaseModel):
    """Everything the site publishes, validated and cross-checked."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    provinces: list[Province]
    networks: list[Network]
    sectors: list[Sector]
    approaches: list[Approach]
    counting: list[CountingCall]
    passages: list[Passage]
    stages: list[Stage]
    glossary: list[Term]
    methods: list[Method]
    factors: list[Factor]
    guidelines: list[Guideline]
    agencies: list[Agency]
    recommendations: list[Recommendation]
    tables: list[Table]
    modules: list[Module]
    programmes: list[Programme]
    report: Report
    report_lines: list[str]

    def __repr__(self) -> str:  # the report text would flood every error message
        return f"Dataset({len(self.networks)} networks, {len(self.provinces)} provinces)"

    def province(self, province_id: str) -> Province:
        return next(p for p in self.provinces if p.id == province_id)

    def sector(self, sector_id: str) -> Sector:
        return next(s for s in self.sectors if s.id == sector_id)

    def approach(self, approach_id: str) -> Approach:
        return next(a for a in self.approaches if a.id == approach_id)

    def agency(self, agency_id: str) -> Agency:
        return next(a for a in self.agencies if a.id == agency_id)

    def network(self, network_id: str) -> Network:
        return next(n for n in self.networks if n.id == network_id)

    def networks_in(self, province_id: str) -> list[Network]:
        return [n for n in self.networks if province_id in n.provinces]
