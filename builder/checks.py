"""Checks across records: ids, references, and citations against the report text.

Each check is a small function that yields problems; `run_checks` runs them all so the
user sees every problem at once.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from .load import Document, Path_, Problem
from .model import Citation
from .thai_map import CAPITALS


@dataclass(frozen=True)
class Located:
    """A validated record and where it sits in its file."""

    record: BaseModel
    doc: Document
    prefix: Path_ = ()

    def problem(self, path: Path_, message: str) -> Problem:
        return self.doc.problem(self.prefix + path, message)


def squash(text: str) -> str:
    """Whitespace-insensitive, NFC form used to compare quotes with report lines."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def walk_citations(value, path: Path_ = ()) -> Iterator[tuple[Path_, Citation]]:
    """Every citation inside a record, with its field path."""
    if isinstance(value, Citation):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from walk_citations(getattr(value, name), path + (name,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk_citations(item, path + (index,))


def check_citations(items: list[Located], report_lines: list[str]) -> Iterator[Problem]:
    last = len(report_lines)
    for item in items:
        for path, cite in walk_citations(item.record):
            if cite.end > last:
                yield item.problem(path + ("lines",), f"line {cite.end} is past the report's last line ({last})")
                continue
            cited = squash(" ".join(report_lines[cite.start - 1 : cite.end]))
            if squash(cite.quote) not in cited:
                yield item.problem(path + ("quote",), f"quote not found on report line(s) {cite.label}: {cite.quote!r}")


def check_unique_ids(kind: str, items: list[Located]) -> Iterator[Problem]:
    first: dict[str, Located] = {}
    for item in items:
        record_id = item.record.id
        if record_id in first:
            other = first[record_id]
            yield item.problem(("id",), f"duplicate {kind} id {record_id!r} (first defined at {other.doc.file}:{other.doc.line_of(other.prefix + ('id',))})")
        else:
            first[record_id] = item


def check_id_matches_file(items: list[Located]) -> Iterator[Problem]:
    for item in items:
        stem = item.doc.file.rsplit("/", 1)[-1].removesuffix(".yaml")
        if item.record.id != stem:
            yield item.problem(("id",), f"id {item.record.id!r} must equal the file name {stem!r}")


def check_province_ids(items: list[Located]) -> Iterator[Problem]:
    """Only the report's nine provinces: the site's map has no place for another, and the build would fail."""
    for item in items:
        if item.record.id not in CAPITALS:
            yield item.problem(("id",), f"unknown province {item.record.id!r}; the report's provinces are {', '.join(CAPITALS)}")


def check_refs(items: list[Located], field: str, known: set[str], kind: str) -> Iterator[Problem]:
    """Every id listed in `field` (a list of ids, or a judged ref whose value may be 'unknown') names a record."""
    for item in items:
        value = getattr(item.record, field)
        if isinstance(value, list):
            refs = list(enumerate(value))
        else:
            refs = [] if value.value == "unknown" else [("value", value.value)]
        for key, ref in refs:
            if ref not in known:
                hint = ", ".join(sorted(known))
                yield item.problem((field, key), f"unknown {kind} {ref!r} (known: {hint})")


def check_method_provinces(items: list[Located], known: set[str]) -> Iterator[Problem]:
    for item in items:
        for index, use in enumerate(item.record.provinces):
            if use.province not in known:
                yield item.problem(("provinces", index, "province"), f"unknown province {use.province!r}")


def check_module_refs(items: list[Located], ids: dict[str, set[str]]) -> Iterator[Problem]:
    """Activities name handbook methods and cases name directory networks that exist."""
    for item in items:
        module = item.record
        for index, activity in enumerate(module.activities):
            if activity.method and activity.method not in ids["method"]:
                yield item.problem(("activities", index, "method"), f"unknown method {activity.method!r}")
        if module.case and module.case.network not in ids["network"]:
            yield item.problem(("case", "network"), f"unknown network {module.case.network!r}")


def check_programme_refs(items: list[Located], modules: set[str]) -> Iterator[Problem]:
    for item in items:
        for day_index, day in enumerate(item.record.days):
            for index, module_id in enumerate(day.modules):
                if module_id not in modules:
                    yield item.problem(("days", day_index, "modules", index), f"unknown module {module_id!r}")


def run_checks(kinds: dict[str, list[Located]], ids: dict[str, set[str]], report_lines: list[str]) -> list[Problem]:
    """All cross-record checks. `ids` holds every id each kind defines, valid or not."""
    provinces, networks = kinds["province"], kinds["network"]
    problems: list[Problem] = []
    for kind, items in kinds.items():
        problems += check_unique_ids(kind, items)
        problems += check_citations(items, report_lines)
    problems += check_id_matches_file(provinces + networks + kinds["table"] + kinds["module"])
    problems += check_module_refs(kinds["module"], ids)
    problems += check_programme_refs(kinds["programme"], ids["module"])
    problems += check_province_ids(provinces)
    problems += check_refs(networks, "provinces", ids["province"], "province")
    problems += check_refs(networks, "sectors", ids["sector"], "sector")
    problems += check_refs(networks, "approach", ids["approach"], "approach")
    problems += check_refs(kinds["counting"], "networks", ids["network"], "network")
    problems += check_refs(kinds["recommendation"], "agencies", ids["agency"], "agency")
    problems += check_method_provinces(kinds["method"], ids["province"])
    return problems
