"""The curriculum's arithmetic and file names, shared by the pages (render.py) and the PDFs (pdf.py).

A module lasts as long as its activities; a programme day runs its modules one after another from
the day's start, with the programme's break between two modules. Times are "HH:MM" on a 24-hour
clock; durations are shown in hours and minutes in the page's language.
"""
from __future__ import annotations

from dataclasses import dataclass

from .labels import label
from .model import Activity, Dataset, Module, Programme, ProgrammeDay


@dataclass(frozen=True)
class Slot:
    """One row of a day's schedule: a module, or the break before the next one (module is None),
    which is the lunch break after the day's lunch_after module."""

    start: str
    end: str
    minutes: int
    module: Module | None = None
    lunch: bool = False


@dataclass(frozen=True)
class Day:
    day: ProgrammeDay
    slots: list[Slot]

    @property
    def start(self) -> str:
        return self.slots[0].start

    @property
    def end(self) -> str:
        return self.slots[-1].end

    @property
    def teaching_minutes(self) -> int:
        return sum(s.minutes for s in self.slots if s.module is not None)


def clock(minutes: int) -> str:
    """Minutes after midnight → "HH:MM"."""
    hours, rest = divmod(minutes, 60)
    return f"{hours:02d}:{rest:02d}"


def minutes_of(time: str) -> int:
    """ "HH:MM" → minutes after midnight."""
    hours, rest = time.split(":")
    return int(hours) * 60 + int(rest)


def schedule(data: Dataset, programme: Programme) -> list[Day]:
    """Every day of a programme with its computed start and end times."""
    modules = {m.id: m for m in data.modules}
    days = []
    for day in programme.days:
        now, slots = minutes_of(day.start), []
        for index, module_id in enumerate(day.modules):
            if index:
                lunch = day.modules[index - 1] == day.lunch_after
                pause = programme.lunch_minutes if lunch else programme.break_minutes
                slots.append(Slot(clock(now), clock(now + pause), pause, lunch=lunch))
                now += pause
            module = modules[module_id]
            slots.append(Slot(clock(now), clock(now + module.minutes), module.minutes, module))
            now += module.minutes
        days.append(Day(day, slots))
    return days


def activity_times(module: Module) -> list[tuple[Activity, str, str]]:
    """Each activity with its start and end as elapsed time from the module's start ("0:20")."""
    rows, now = [], 0
    for activity in module.activities:
        rows.append((activity, _elapsed(now), _elapsed(now + activity.minutes)))
        now += activity.minutes
    return rows


def _elapsed(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}:{rest:02d}"


def duration(minutes: int, lang: str) -> str:
    """90 → "1 ชั่วโมง 30 นาที" / "1 h 30 min"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return label("minutes_n", lang).format(n=rest)
    if not rest:
        return label("hours_n", lang).format(h=hours)
    return label("hours_minutes_n", lang).format(h=hours, m=rest)


# --- PDF file names: under downloads/<lang>/, one folder per module ---------------------------

def course_pdf(lang: str) -> str:
    return f"downloads/{lang}/phanthamit-course-{lang}.pdf"


def module_pdf(lang: str, module_id: str, facilitator: bool) -> str:
    view = "facilitator" if facilitator else "participant"
    return f"downloads/{lang}/{module_id}/{module_id}-{view}-{lang}.pdf"


def worksheet_pdf(lang: str, module_id: str, worksheet_id: str) -> str:
    return f"downloads/{lang}/{module_id}/{module_id}-worksheet-{worksheet_id}-{lang}.pdf"
