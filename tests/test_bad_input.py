"""Issue 3, the "bad input" gate: `validate` answers every broken data set with
`data/<file>:<line>: <field>: <message>` lines and exit 1 (or exit 0 if the data is still
valid), and never crashes.

`test_validate_answers_any_bad_input` applies one to three random mutations to the valid
fixture data set (tests/fixtures/data, every file): fields deleted or retyped at any depth,
unknown keys, empty text, YAML syntax broken (truncation, brackets, indentation, tabs, junk
bytes, a second document, duplicate keys, bad tags and dates, huge numbers, deep nesting,
recursive aliases), encodings broken (TIS-620, UTF-16, Latin-1, invalid UTF-8, encoded
surrogates, NUL and control characters, BOMs, CR line ends), ids duplicated (records and whole
files), citations past the report's end, malformed line ranges, references to unknown ids,
HTML in text. A single mutation with a known outcome must get that outcome. Where the data
stays valid and carries HTML, the rendered Markdown must show it as text;
`test_injected_html_stays_valid_and_is_escaped` does that on purpose, and the tests after it
build the real site (mkdocs included) with HTML, a </title> break-out and attr_list braces
in the data.
"""
from __future__ import annotations

import contextlib
import copy
import io
import os
import re
import tempfile
import typing
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, Phase, event, given, note, settings
from hypothesis import strategies as st

from builder import model
from builder.cli import main
from conftest import FIXTURE_DATA, ROOT, copy_project

REPORT = ROOT / "data" / "source" / "report-th.txt"
REPORT_LAST = len(REPORT.read_text(encoding="utf-8").splitlines())
ORIGINAL: dict[str, bytes] = {p.relative_to(FIXTURE_DATA).as_posix(): p.read_bytes() for p in sorted(FIXTURE_DATA.rglob("*.yaml"))}
PARSED = {name: yaml.safe_load(raw) for name, raw in ORIGINAL.items()}
RICH = [name for name, data in PARSED.items() if data]  # files with records in them (the rest are `[]`)
PER_FILE = {"networks", "provinces"}  # folders holding one record per file
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

PROBLEM = re.compile(r"^data/([^:]+):(\d+): ")
SUMMARY = re.compile(r"^(\d+) problem\(s\); nothing was built\.$")


def _walk(value, path=(), inside=frozenset()):
    """Every (path, value) in parsed YAML, the root included (a value that contains itself once)."""
    yield path, value
    if id(value) in inside:
        return
    inside = inside | {id(value)}
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, path + (key,), inside)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, path + (index,), inside)


def _all_fields() -> set[str]:
    seen, todo = set(), [model.Record]
    while todo:
        cls = todo.pop()
        seen |= set(cls.model_fields)
        todo += cls.__subclasses__()
    return seen


FIELDS = _all_fields()  # an added key must not be one of these, or it might be a legal optional field
KNOWN_IDS = {v for data in PARSED.values() for path, v in _walk(data) if path and path[-1] == "id"}
A_CITATION = next(v for data in PARSED.values() for path, v in _walk(data) if isinstance(v, dict) and {"lines", "quote"} <= v.keys())

# HTML a data author might paste: payload → (what must never stand raw in the Markdown or the HTML,
# what it looks like shown as text in the HTML).
PAYLOADS = {
    "<script>alert(1)</script>": ("<script>alert(1)", "&lt;script&gt;alert(1)"),
    "<img src=x onerror=alert(1)>": ("<img src=x", "&lt;img src=x onerror=alert(1)&gt;"),
    '<iframe src="javascript:alert(1)"></iframe>': ("<iframe src=", "&lt;iframe src="),
    "<svg/onload=alert(1)>": ("<svg/onload", "&lt;svg/onload"),
    '"><script>alert(2)</script>': ("<script>alert(2)", "&lt;script&gt;alert(2)"),
    "<details open ontoggle=alert(1)>x": ("<details open", "&lt;details open"),
    "</div><style>*{display:none}</style>": ("<style>*{display", "&lt;style&gt;*{display"),
    "<!-- hidden": ("<!-- hidden", "&lt;!-- hidden"),
}

BAD_LINES = ["5-", "-3", "10-2", "", " ", "abc", "1.5", "5--7", "0-3", "3-0", "1-2-3", "-", "๕", "5,7", "5 7",
             0, -1, -5000, 1.5, 0.0, float("inf"), float("nan"), True, False, None, [], [5], {}, {"start": 5}]
RAW_SNIPPETS = [  # YAML values the parser itself may choke on; pasted in place of a value
    # tags and scalars PyYAML's constructors fail on with plain ValueError/KeyError/AttributeError
    "!!float abc", "!!int abc", "!!int 0o9", "!!bool maybe", "!!timestamp nope", "2005-13-45", "2001-02-29",
    "2001-12-14t21:59:43.10-25:00", "!!binary '!!!'", "!foo bar", "!!python/object/apply:os.system ['true']",
    "!!set {a, b}", "!!omap [a: 1]", "!!map [1]", "|\n  block",
    # numbers Python will not print (more than 4300 digits) or JSON cannot hold
    "9" * 5000, "0x" + "f" * 5000, "0b" + "1" * 20_000, str(2**53 + 1), "-" + str(2**64),
    # lone surrogates and NUL as YAML escapes
    '"\\ud800"', '"\\udfff x"', '"\\x00"',
    # aliases: recursive, undefined, recursive merge
    "&a [*a]", "&b {k: *b}", "*undefined", "{? [a] : 1}", "{<<: 3}", "&m {<<: *m}",
    # nesting: fine, too deep for Python's recursion, too deep for libyaml's C stack
    "[" * 60 + "]" * 60, "{a: " * 1000 + "1" + "}" * 1000, "[" * 100_000 + "]" * 100_000,
]
REPLACEMENT_FILES = [b"", b"null", b"~", b"[]", b"{}", b"42", b"- - -", b"---", b"...", b"'", b"\xef\xbb\xbf", b"# only a comment\n", b"id: x\n"]


@dataclass
class Case:
    """The mutated data set: file name under data/ → bytes (None: deleted)."""

    files: dict[str, bytes | None] = field(default_factory=lambda: dict(ORIGINAL))
    log: list[str] = field(default_factory=list)
    verdicts: list[str | None] = field(default_factory=list)  # "invalid", "valid" or None (can't tell), per mutation
    html: list[str] = field(default_factory=list)

    def expected(self) -> str | None:
        """Only a single mutation has a known outcome: a second one may repair or break anything."""
        return self.verdicts[0] if len(self.verdicts) == 1 else None

    def explain(self, status=None, err: str = "") -> str:
        out = ["mutations:"] + [f"  - {line}" for line in self.log]
        for name, raw in sorted(self.files.items()):
            if raw != ORIGINAL.get(name):
                if raw is None:
                    out.append(f"--- data/{name}: deleted")
                    continue
                text = raw.decode("utf-8", errors="backslashreplace")
                if len(text) > 3000:
                    text = text[:3000] + f"\n… ({len(raw)} bytes in all)"
                out += [f"--- data/{name} ({len(raw)} bytes):", text]
        if status is not None:
            out += [f"--- validate returned {status}; stderr:", err[:5000]]
        return "\n".join(out)


class Skip(Exception):
    """This mutation does not apply to the file as it now is."""


def _dump(data) -> bytes:
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6).encode("utf-8")
    except ValueError:  # an earlier mutation left a 5000-digit number, which Python will not print
        raise Skip("the data cannot be written back as YAML") from None


def _raw(case: Case, name: str) -> bytes:
    raw = case.files.get(name)
    if raw is None:
        raise Skip(f"{name} was deleted")
    return raw


def _parsed(case: Case, name: str):
    raw = _raw(case, name)
    try:
        return yaml.safe_load(raw)
    except Exception:
        raise Skip(f"{name} does not parse any more") from None


def _set(data, path, value):
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _files(case: Case):
    """(name, parsed data) of every file that still parses."""
    for name, raw in sorted(case.files.items()):
        if raw is not None:
            try:
                yield name, yaml.safe_load(raw)
            except Exception:
                continue


def _pick_path(draw, case: Case, want, what: str):
    """A file and a path in it where `want(path, value)` holds; returns a fresh copy of the file's data to change."""
    found = [(name, path) for name, data in _files(case) for path, value in _walk(data) if path and want(path, value)]
    if not found:
        raise Skip(f"no {what} in any file")
    name, path = draw(st.sampled_from(found), label=what)
    return name, _parsed(case, name), path


def _pick_file(draw, case: Case, want, what: str):
    found = [name for name, data in _files(case) if want(data)]
    if not found:
        raise Skip(f"no file holds {what}")
    name = draw(st.sampled_from(found), label=what)
    return name, _parsed(case, name)


def _boundaries(raw: bytes) -> list[int]:
    """Offsets between characters (so inserted bytes do not merge with a neighbour)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return list(range(len(raw) + 1))
    offsets, at = [0], 0
    for char in text:
        at += len(char.encode("utf-8"))
        offsets.append(at)
    return offsets


def _any_file(draw, case: Case) -> str:
    """Mostly the files with records in them; any file (including copies) now and then."""
    name = draw(st.one_of(st.sampled_from(RICH), st.sampled_from(sorted(case.files))), label="file")
    _raw(case, name)
    return name


VOCABULARY = {word for kind in (model.FormValue, model.Status, model.Origin) for word in typing.get_args(kind)}
unknown_ids = st.one_of(
    st.from_regex(r"\A[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,5}){0,2}\Z").filter(lambda s: s not in KNOWN_IDS | VOCABULARY),
    st.sampled_from(["krabi", "tin", "approach-9", "trang-tin", "Trang", "ตรัง", "trang ", "", "trang_rubber", "a--b", "-x"]),
)
scalars = st.one_of(
    st.integers(), st.integers(min_value=10**20, max_value=10**40), st.floats(), st.booleans(), st.none(),
    st.text(max_size=12), st.sampled_from(["", "unknown", "stated", "true", "2005-08-01"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=6)


def _kind(value) -> str:
    return "bool" if isinstance(value, bool) else "number" if isinstance(value, (int, float)) else type(value).__name__


# ---- mutations: each changes `case` and returns what validate must answer for it alone ----


def delete_field(draw, case):
    name, data, path = _pick_path(draw, case, lambda p, v: True, "field or item")
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    del parent[path[-1]]
    case.files[name] = _dump(data)
    case.log.append(f"{name}: delete {path}")
    return None  # optional fields may go


def retype_field(draw, case):
    name, data, path = _pick_path(draw, case, lambda p, v: True, "field")
    old = copy.deepcopy(dict(_walk(data))[path])
    new = draw(values.filter(lambda v: _kind(v) != _kind(old)), label="new value")
    _set(data, path, new)
    case.files[name] = _dump(data)
    case.log.append(f"{name}: {path} = {new!r} (was {_kind(old)})")
    return None  # e.g. an optional record may become null


def unknown_key(draw, case):
    name, data, path = _pick_path(draw, case, lambda p, v: isinstance(v, dict), "record")
    record = dict(_walk(data))[path] if path else data
    key = draw(st.one_of(st.from_regex(r"\A[a-z_]{1,12}\Z"), st.integers(), st.none(), st.booleans(), st.text(min_size=1, max_size=8))
               .filter(lambda k: k not in FIELDS and k not in record and k != "<<"), label="key")
    record[key] = draw(values, label="value")
    case.files[name] = _dump(data)
    case.log.append(f"{name}: add key {key!r} at {path}")
    return "invalid"


def unknown_key_at_root(draw, case):
    """Same, at the top of a file (paths above exclude the root)."""
    name, data = _pick_file(draw, case, lambda data: isinstance(data, dict), "one record")
    key = draw(st.sampled_from([k for k in ["orign", "sorces", "provences", "Id", "notes ", "counts"] if k not in FIELDS]), label="key")
    data[key] = "x"
    case.files[name] = _dump(data)
    case.log.append(f"{name}: add top-level key {key!r}")
    return "invalid"


def empty_text(draw, case):
    name, data, path = _pick_path(draw, case, lambda p, v: p[-1] in ("th", "en", "quote") and isinstance(v, str), "text")
    blank = draw(st.sampled_from(["", " ", " \t\n ", "\u3000"]), label="blank")
    _set(data, path, blank)
    case.files[name] = _dump(data)
    case.log.append(f"{name}: {path} = {blank!r}")
    return "invalid"


def inject_html(draw, case):
    name, data, path = _pick_path(draw, case, lambda p, v: (p[-1] in ("th", "en") or p[-1] == "section") and isinstance(v, str), "text")
    payload = draw(st.sampled_from(sorted(PAYLOADS)), label="payload")
    old = dict(_walk(data))[path]
    new = draw(st.sampled_from([payload, f"{old} {payload}", f"{payload} {old}", f"{old}\n{payload}\n{old}"]), label="placement")
    _set(data, path, new)
    case.files[name] = _dump(data)
    case.html.append(payload)
    case.log.append(f"{name}: {path} = {new!r}")
    return "valid"  # text is text: HTML in it is harmless once escaped


def bad_lines(draw, case):
    name, data, path = _pick_path(draw, case, lambda p, v: p[-1] == "lines", "citation lines")
    forwards = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")
    generated = st.from_regex(r"\A-?[0-9]{0,3}( ?-+ ?[0-9]{0,3}){0,2}\Z").filter(
        lambda s: not (forwards.match(s) and 1 <= int(forwards.match(s)[1]) <= int(forwards.match(s)[2]))
    )
    new = draw(st.one_of(st.sampled_from(BAD_LINES), st.integers(max_value=0), st.floats(), generated), label="lines")
    _set(data, path, new)
    case.files[name] = _dump(data)
    case.log.append(f"{name}: {path} = {new!r}")
    return "invalid"


def past_the_end(draw, case):
    name, data, path = _pick_path(draw, case, lambda p, v: p[-1] == "lines", "citation lines")
    end = draw(st.one_of(st.integers(REPORT_LAST + 1, REPORT_LAST + 10), st.integers(REPORT_LAST + 1, 10**30)), label="end")
    new = draw(st.sampled_from([end, f"{REPORT_LAST}-{end}", f"1-{end}", f"{end}-{end}"]), label="lines")
    _set(data, path, new)
    case.files[name] = _dump(data)
    case.log.append(f"{name}: {path} = {new!r} (report has {REPORT_LAST} lines)")
    return "invalid"


def bad_quote(draw, case):
    name, data, path = _pick_path(draw, case, lambda p, v: p[-1] == "quote", "quote")
    new = draw(st.sampled_from(["ไม่มีในรายงานเลย", "not in the report", "<b>quote</b>"]), label="quote")
    _set(data, path, new)
    case.files[name] = _dump(data)
    case.log.append(f"{name}: {path} = {new!r}")
    return "invalid"


def unknown_ref(draw, case):
    name, data, path = _pick_path(draw, case, lambda p, v: p[-1] != "id" and isinstance(v, str) and v in KNOWN_IDS, "reference")
    new = draw(unknown_ids, label="id")
    _set(data, path, new)
    case.files[name] = _dump(data)
    case.log.append(f"{name}: {path} = {new!r}")
    return "invalid"


def unknown_judged_ref(draw, case):
    """A judged value (form, approach) that names something that does not exist."""
    name, data, path = _pick_path(draw, case, lambda p, v: isinstance(v, dict) and {"value", "status"} <= v.keys(), "judged value")
    new = draw(unknown_ids, label="id")
    _set(data, path, {"value": new, "status": "stated", "sources": [dict(A_CITATION)]})
    case.files[name] = _dump(data)
    case.log.append(f"{name}: {path}.value = {new!r}, stated")
    return "invalid"


def change_id(draw, case):
    name, data, path = _pick_path(draw, case, lambda p, v: p[-1] == "id", "id")
    new = draw(st.one_of(unknown_ids, st.sampled_from(sorted(KNOWN_IDS))), label="id")
    _set(data, path, new)
    case.files[name] = _dump(data)
    case.log.append(f"{name}: {path} = {new!r}")
    return None  # an id nothing refers to may change


def duplicate_record(draw, case):
    name, data = _pick_file(draw, case, lambda data: isinstance(data, list) and data and all(isinstance(r, dict) and "id" in r for r in data), "a list of records")
    record = draw(st.sampled_from(data), label="record")
    data.insert(draw(st.integers(0, len(data)), label="at"), copy.deepcopy(record))
    case.files[name] = _dump(data)
    case.log.append(f"{name}: duplicate record {record['id']!r}")
    return "invalid"


def shared_alias(draw, case):
    """One list of sources used in two places: YAML writes an anchor and an alias."""
    name, data, first = _pick_path(draw, case, lambda p, v: p[-1] == "sources" and v, "sources")
    # Not in place of a reading's sources: a reading must stand in its own quotes (report.yaml).
    paths = [p for p, v in _walk(data) if p and p[-1] == "sources" and p != first and "readings" not in p]
    if not paths:
        raise Skip("one list of sources only")
    second = draw(st.sampled_from(paths), label="second")
    _set(data, second, dict(_walk(data))[first])
    case.files[name] = _dump(data)
    case.log.append(f"{name}: {second} is an alias of {first}")
    return "valid"


def recursive_alias(draw, case):
    name, data, path = _pick_path(draw, case, lambda p, v: isinstance(v, (list, dict)), "list or record")
    value = dict(_walk(data))[path]
    if isinstance(value, list):
        value.append(value)
    else:
        value["self"] = value
    case.files[name] = _dump(data)
    case.log.append(f"{name}: {path} contains itself")
    return "invalid"


def raw_value(draw, case):
    """A YAML snippet pasted in place of a value (tags, bad dates, huge numbers, deep nesting...)."""
    name, data, path = _pick_path(draw, case, lambda p, v: True, "value")
    marker = "MUTATION-MARKER-7f3a"
    _set(data, path, marker)
    snippet = draw(st.sampled_from(RAW_SNIPPETS), label="snippet")
    if "\n" in snippet:
        snippet = snippet.replace("\n", "\n" + " " * 20)
    case.files[name] = _dump(data).replace(marker.encode(), snippet.encode())
    case.log.append(f"{name}: {path} = raw YAML {snippet[:80]!r}")
    return None


def truncate(draw, case):
    name = _any_file(draw, case)
    raw = _raw(case, name)
    if not raw:
        raise Skip("empty file")
    at = draw(st.integers(0, len(raw) - 1), label="cut at")
    case.files[name] = raw[:at]
    case.log.append(f"{name}: truncated to {at} of {len(raw)} bytes")
    return None


def insert_syntax(draw, case):
    name = _any_file(draw, case)
    raw = _raw(case, name)
    at = draw(st.sampled_from(_boundaries(raw)), label="at")
    junk = draw(st.text(alphabet="[]{}:,-#&*!|>'\"%@`?\t\n ", min_size=1, max_size=5), label="junk")
    case.files[name] = raw[:at] + junk.encode() + raw[at:]
    case.log.append(f"{name}: insert {junk!r} at byte {at}")
    return None


def unbalance(draw, case):
    name = _any_file(draw, case)
    raw = _raw(case, name)
    spots = [i for i, b in enumerate(raw) if b in b"[]{}"]
    if not spots:
        raise Skip("no brackets")
    at = draw(st.sampled_from(spots), label="bracket")
    if draw(st.booleans(), label="delete"):
        case.files[name] = raw[:at] + raw[at + 1 :]
        case.log.append(f"{name}: delete {chr(raw[at])!r} at byte {at}")
    else:
        extra = draw(st.sampled_from(["[", "{", "]", "}"]), label="extra")
        case.files[name] = raw[:at] + extra.encode() + raw[at:]
        case.log.append(f"{name}: insert {extra!r} at byte {at}")
    return None


def indentation(draw, case):
    name = _any_file(draw, case)
    lines = _raw(case, name).split(b"\n")
    index = draw(st.integers(0, len(lines) - 1), label="line")
    line, stripped = lines[index], lines[index].lstrip(b" ")
    how = draw(st.sampled_from(["indent", "dedent", "tab for spaces", "tab first"]), label="how")
    lines[index] = {
        "indent": b" " * draw(st.integers(1, 3)) + line,
        "dedent": stripped,
        "tab for spaces": b"\t" * max(1, (len(line) - len(stripped)) // 2) + stripped,
        "tab first": b"\t" + line,
    }[how]
    case.files[name] = b"\n".join(lines)
    case.log.append(f"{name}: line {index + 1}: {how}")
    return None


def insert_bytes(draw, case):
    name = _any_file(draw, case)
    raw = _raw(case, name)
    at = draw(st.integers(0, len(raw)), label="at")
    junk = draw(st.binary(min_size=1, max_size=8), label="bytes")
    case.files[name] = raw[:at] + junk + raw[at:]
    case.log.append(f"{name}: insert bytes {junk!r} at byte {at}")
    return None


def encoding(draw, case):
    name = _any_file(draw, case)
    raw = _raw(case, name)
    at = draw(st.sampled_from(_boundaries(raw)), label="at")
    how = draw(st.sampled_from(["tis-620", "utf-16", "latin-1 byte", "invalid utf-8", "NUL", "control char", "BOM first",
                                "BOM inside", "CRLF", "CR only", "surrogate bytes"]), label="how")
    bad = draw(st.sampled_from([b"\xff", b"\xc3(", b"\xe0\xb8", b"\xc0\xaf", b"\xf4\x90\x80\x80", b"\x80", b"\xfe\xff"]), label="bad")
    verdict = "invalid"
    if how == "tis-620":
        text = raw.decode("utf-8", errors="ignore")
        new = text.encode("tis-620", errors="replace")
        verdict = "invalid" if not text.isascii() else None
    elif how == "utf-16":
        new = raw.decode("utf-8", errors="ignore").encode("utf-16")
    elif how == "latin-1 byte":
        new = raw[:at] + "café".encode("latin-1") + raw[at:]
    elif how == "invalid utf-8":
        new = raw[:at] + bad + raw[at:]
    elif how == "surrogate bytes":
        new = raw[:at] + "\ud800".encode("utf-8", errors="surrogatepass") + raw[at:]
    elif how == "NUL":
        new = raw[:at] + b"\x00" + raw[at:]
    elif how == "control char":
        new = raw[:at] + draw(st.sampled_from([b"\x07", b"\x1b", b"\x7f", b"\xc2\x9b", b"\xef\xbf\xbe"])) + raw[at:]
    elif how == "BOM first":
        new, verdict = b"\xef\xbb\xbf" + raw, "valid"
    elif how == "BOM inside":
        new, verdict = raw[:at] + b"\xef\xbb\xbf" + raw[at:], None
    elif how == "CRLF":
        new, verdict = raw.replace(b"\n", b"\r\n"), "valid"
    else:
        new, verdict = raw.replace(b"\n", b"\r"), None
    case.files[name] = new
    case.log.append(f"{name}: encoding: {how} (at byte {at})")
    return verdict


def second_document(draw, case):
    name = _any_file(draw, case)
    raw = _raw(case, name)
    case.files[name] = raw + b"\n---\n" + raw
    case.log.append(f"{name}: a second YAML document appended")
    return "invalid"


def duplicate_key(draw, case):
    name = _any_file(draw, case)
    lines = _raw(case, name).split(b"\n")
    keyed = [i for i, line in enumerate(lines) if re.match(rb"^ *[a-z_]+:( |$)", line)]
    if not keyed:
        raise Skip("no key lines")
    index = draw(st.sampled_from(keyed), label="line")
    lines.insert(index + 1, lines[index])
    case.files[name] = b"\n".join(lines)
    case.log.append(f"{name}: line {index + 1} repeated")
    return "invalid"


def copy_file(draw, case):
    """A record file saved again under another name: a duplicate id (unless the id is changed too)."""
    sources = [n for n in sorted(case.files) if n.split("/")[0] in PER_FILE and case.files[n] is not None]
    name = draw(st.sampled_from(sources), label="file")
    folder = name.split("/")[0]
    stem = draw(st.one_of(st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,15}\Z"), st.sampled_from(["Trang Rubber", "ตรัง", "UPPER", "x.y", "-x", "a_b", " "]))
                .filter(lambda s: f"{folder}/{s}.yaml" not in case.files), label="new name")
    new = f"{folder}/{stem}.yaml"
    raw = _raw(case, name)
    if draw(st.booleans(), label="fix the id"):
        data = _parsed(case, name)
        if not isinstance(data, dict):
            raise Skip("not a record")
        data["id"] = stem
        raw = _dump(data)
        verdict = None if ID.match(stem) else "invalid"
    else:
        verdict = "invalid"
    case.files[new] = raw
    case.log.append(f"{name} copied to {new}" + (" with id = file name" if raw != case.files[name] else ""))
    return verdict


def delete_file(draw, case):
    name = _any_file(draw, case)
    case.files[name] = None
    case.log.append(f"{name}: deleted")
    return "invalid" if "/" not in name else None  # the top-level files must exist


def replace_file(draw, case):
    name = _any_file(draw, case)
    case.files[name] = draw(st.sampled_from(REPLACEMENT_FILES), label="content")
    case.log.append(f"{name}: replaced by {case.files[name]!r}")
    return None


MUTATIONS = [
    delete_field, retype_field, unknown_key, unknown_key_at_root, empty_text, inject_html, bad_lines, past_the_end,
    bad_quote, unknown_ref, unknown_judged_ref, change_id, duplicate_record, shared_alias, recursive_alias, raw_value,
    truncate, insert_syntax, unbalance, indentation, insert_bytes, encoding, second_document, duplicate_key,
    copy_file, delete_file, replace_file,
]


# ---- running validate and judging its answer ----


def write_project(root: Path, case: Case) -> None:
    (root / "data" / "source").mkdir(parents=True)
    (root / "data" / "source" / "report-th.txt").symlink_to(REPORT)
    for name, raw in case.files.items():
        if raw is not None:
            (root / "data" / name).parent.mkdir(parents=True, exist_ok=True)
            (root / "data" / name).write_bytes(raw)


def run_validate(root: Path, case: Case) -> tuple[int, str]:
    """In process, with PHANTHAMIT_DEBUG set so a crash surfaces as the exception itself."""
    err = io.StringIO()
    with mock.patch.dict(os.environ, {"PHANTHAMIT_DEBUG": "1"}), contextlib.redirect_stderr(err):
        try:
            status = main(["--root", str(root), "validate"])
        except BaseException as crash:  # noqa: BLE001 - any escape is the failure this gate is for
            raise AssertionError(f"validate raised {type(crash).__name__}: {crash}\n{case.explain()}") from crash
    return status, err.getvalue()


def line_count(raw: bytes) -> int:
    """Lines as either a text editor (\\n) or YAML (\\r, \\x85, \\u2028 also break lines) counts them."""
    return max(raw.count(b"\n"), len(raw.decode("utf-8", errors="replace").splitlines())) + 1


def check_answer(root: Path, case: Case, status: int, err: str) -> None:
    lines = err.splitlines()
    why = case.explain(status, err)
    assert status in (0, 1), why
    if status == 0:
        assert len(lines) == 1 and lines[0].startswith("ok: "), why
        return
    assert len(lines) >= 2, why
    summary = SUMMARY.match(lines[-1])
    assert summary, f"the last line is not the summary\n{why}"
    assert int(summary[1]) == len(lines) - 1, f"the summary's count is not the number of problem lines\n{why}"
    for line in lines[:-1]:
        match = PROBLEM.match(line)
        assert match, f"not a data/<file>:<line>: problem line: {line!r}\n{why}"
        path, number = root / "data" / match[1], int(match[2])
        if line.endswith("file is missing"):
            assert not path.exists(), why
            continue
        assert path.is_file(), f"{line!r} names a file that does not exist\n{why}"
        assert 1 <= number <= line_count(path.read_bytes()), f"{line!r}: line {number} is past the file's end\n{why}"


def check_html_is_escaped(root: Path, case: Case, cache: Path) -> None:
    """Render the still-valid data to Markdown: injected HTML must arrive escaped, never raw."""
    from builder.dataset import load_dataset
    from builder.render import render_site

    from builder.errors import BuildError

    data = load_dataset(root / "data")
    docs = root / "docs"
    try:
        render_site(data, ROOT / "content", docs, cache=cache)
    except BuildError as refused:
        # A clean "build failed: …" (not a crash), e.g. a glossary term the templates use was
        # renamed: valid data, but not this site's. Nothing rendered, so nothing to check.
        event(f"render refused the data: {type(refused).__name__}")
        note(f"render refused the data: {refused}")
        return
    generated = [page for page in sorted(docs.rglob("*.md")) if not (ROOT / "content" / page.relative_to(docs)).exists()]
    markdown = "\n".join(page.read_text(encoding="utf-8") for page in generated)
    for payload in case.html:
        raw, shown = PAYLOADS[payload]
        assert raw.lower() not in markdown.lower(), f"{raw!r} reached the Markdown unescaped\n{case.explain()}"
        event("injected HTML found escaped" if shown in markdown else "injected HTML not shown on any page")


# No "explain" phase: it re-runs a failing case hundreds of times (minutes, with renders) to
# say which draws matter; the shrunk case and the file contents in the message are enough.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink]


@pytest.fixture(scope="module")
def render_cache(tmp_path_factory) -> Path:
    """Drawings (map, member diagrams) reused between examples, as the real build does."""
    return tmp_path_factory.mktemp("render-cache")


@settings(max_examples=300, deadline=None, phases=PHASES, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(data=st.data())
def test_validate_answers_any_bad_input(render_cache, data):
    case = Case()
    for _ in range(data.draw(st.integers(1, 3), label="how many mutations")):
        mutation = data.draw(st.sampled_from(MUTATIONS), label="mutation")
        try:
            case.verdicts.append(mutation(data.draw, case))
        except Skip as why:
            case.log.append(f"({mutation.__name__} skipped: {why})")
            continue
        event(mutation.__name__)
    if not case.verdicts:
        return
    note(case.explain())
    with tempfile.TemporaryDirectory(prefix="phanthamit-bad-input-") as tmp:
        root = Path(tmp)
        write_project(root, case)
        status, err = run_validate(root, case)
        event(f"exit {status}")
        check_answer(root, case, status, err)
        expected = case.expected()
        if expected == "invalid":
            assert status == 1, f"this input is invalid, but validate accepted it\n{case.explain(status, err)}"
        elif expected == "valid":
            assert status == 0, f"this input is still valid, but validate rejected it\n{case.explain(status, err)}"
        if status == 0 and case.html:
            check_html_is_escaped(root, case, render_cache)


@settings(max_examples=10, deadline=None, phases=PHASES, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_injected_html_stays_valid_and_is_escaped(render_cache, data):
    """HTML in text fields (with harmless changes around it) is valid data, and renders as text.
    Few examples: each renders the whole site (about a second)."""
    case = Case()
    for _ in range(data.draw(st.integers(1, 4), label="how many injections")):
        inject_html(data.draw, case)
    for harmless in data.draw(st.lists(st.sampled_from([shared_alias, bom_and_crlf]), max_size=2, unique=True), label="also"):
        try:
            harmless(data.draw, case)
        except Skip as why:
            case.log.append(f"({harmless.__name__} skipped: {why})")
    note(case.explain())
    with tempfile.TemporaryDirectory(prefix="phanthamit-bad-input-") as tmp:
        root = Path(tmp)
        write_project(root, case)
        status, err = run_validate(root, case)
        check_answer(root, case, status, err)
        assert status == 0, f"HTML in text is harmless, but validate rejected it\n{case.explain(status, err)}"
        check_html_is_escaped(root, case, render_cache)


def bom_and_crlf(draw, case):
    name = _any_file(draw, case)
    raw = _raw(case, name)
    case.files[name] = b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n")
    case.log.append(f"{name}: BOM and CRLF line ends")
    return "valid"


def build_with_text_appended(root: Path, suffixes: list[str]) -> tuple[Case, list[str]]:
    """Append the suffixes, in turn, to every th/en/section string of the fixture data; build the
    real site (mkdocs included); return the case and the site's HTML pages."""
    case, used = Case(), 0
    for name, parsed in PARSED.items():
        if not parsed:
            continue
        data = copy.deepcopy(parsed)
        for path, value in list(_walk(data)):
            if path and path[-1] in ("th", "en", "section") and isinstance(value, str):
                _set(data, path, f"{value} {suffixes[used % len(suffixes)]}")
                used += 1
        case.files[name] = _dump(data)
    case.log.append(f"appended to every th/en/section string, in turn: {suffixes!r}")
    write_project(root, case)
    status, err = run_validate(root, case)
    assert status == 0, case.explain(status, err)
    copy_project(root, FIXTURE_DATA)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(["--root", str(root), "build"])
    if status != 0:  # pytest.fail, not assert: a broken build must not count as the expected failure below
        pytest.fail(f"the build failed: {err.getvalue()}\n{case.explain()}")
    return case, [page.read_text(encoding="utf-8") for page in sorted((root / "site").rglob("*.html"))]


def test_html_in_every_text_field_is_shown_as_text_in_the_built_site(tmp_path):
    """One real build with HTML pasted into every text field of the fixture data."""
    case, pages = build_with_text_appended(tmp_path, sorted(PAYLOADS))
    site = "\n".join(pages)
    for payload, (raw, shown) in PAYLOADS.items():
        assert raw.lower() not in site.lower(), f"{raw!r} reached the site unescaped\n{case.explain()}"
        assert shown in site, f"{payload!r} is not shown as text ({shown!r})\n{case.explain()}"


def test_page_titles_show_data_as_text(tmp_path):
    case, pages = build_with_text_appended(tmp_path, ["</title><script>alert(3)</script>"])
    raw = [page for page in pages if "<script>alert(3)" in page]
    assert not raw, f"{len(raw)} page(s) have the data's </title><script> as markup\n{case.explain()}"


def test_attribute_lists_in_data_are_shown_as_text(tmp_path, render_cache):
    """Markdown → HTML with the site's extensions (a full build stops earlier: the braces also change anchors)."""
    import markdown

    case = Case()
    data = copy.deepcopy(PARSED["networks/trang-rubber.yaml"])
    data["name"] = {"th": "ยางพารา { onclick=alert(4) }", "en": "Rubber { onclick=alert(4) }"}
    case.files["networks/trang-rubber.yaml"] = _dump(data)
    case.log.append("networks/trang-rubber.yaml: name ends in { onclick=alert(4) }")
    write_project(tmp_path, case)
    from builder.dataset import load_dataset
    from builder.render import render_site

    render_site(load_dataset(tmp_path / "data"), ROOT / "content", tmp_path / "docs", cache=render_cache)
    page = (tmp_path / "docs" / "en" / "directory" / "trang-rubber" / "index.md").read_text(encoding="utf-8")
    html = markdown.markdown(page, extensions=["toc", "tables", "attr_list", "md_in_html", "admonition", "footnotes", "def_list"])
    assert not re.search(r"<[^>]*\sonclick=", html), f"data text became an onclick attribute\n{case.explain()}"
