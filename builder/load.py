"""YAML files → records, keeping the line of every field so errors can point at it.

Nothing here raises for bad data: every problem becomes a `Problem`, and the caller
decides what to do with all of them at once.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

Path_ = tuple[str | int, ...]
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same marks, faster


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong, printed like a compiler error: file:line: field: message."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}: {where}{self.message}"


@dataclass
class Document:
    """A parsed YAML file: its data and the line where each field path starts."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int:
        """The line of the deepest part of `path` that exists in the file."""
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.lines:
                return self.lines[path[:cut]]
        return 1

    def problem(self, path: Path_, message: str) -> Problem:
        return Problem(self.file, self.line_of(path), format_path(path), message)


def format_path(path: Path_) -> str:
    """('members', 2, 'name', 'en') → 'members[2].name.en'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def nfc(value: Any) -> Any:
    """Thai stays NFC, never NFKC (NFKC splits sara am into two characters)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: nfc(v) for k, v in value.items()}
    return value


def read_yaml(path: Path, display: str) -> tuple[Document | None, list[Problem]]:
    """Parse one file; on failure return the problems instead of raising."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, [Problem(display, line, "", f"file is not UTF-8 (byte 0x{raw[err.start]:02x}); save it as UTF-8")]
    loader = _Loader(text.lstrip("\ufeff"))
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        return None, [Problem(display, line, "", f"YAML syntax error: {err.problem or err.context}")]
    except yaml.YAMLError as err:
        return None, [Problem(display, 1, "", f"YAML error: {err}")]
    finally:
        loader.dispose()
    doc = Document(display, nfc(data))
    problems: list[Problem] = []
    if node is not None:
        _map_lines(node, (), doc, problems)
    return doc, problems


def _map_lines(node: yaml.Node, path: Path_, doc: Document, problems: list[Problem]) -> None:
    doc.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                problems.append(Problem(doc.file, key_node.start_mark.line + 1, format_path(path + (key,)), "duplicate key"))
            seen.add(key)
            doc.lines[path + (key,)] = key_node.start_mark.line + 1
            _map_lines(value_node, path + (key,), doc, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _map_lines(item, path + (index,), doc, problems)


def validate(model: type[BaseModel], data: Any, doc: Document, prefix: Path_ = ()) -> tuple[BaseModel | None, list[Problem]]:
    """Validate `data` (found at `prefix` in `doc`) against `model`; errors point at lines."""
    try:
        return model.model_validate(data), []
    except ValidationError as err:
        messages: dict[Path_, list[str]] = {}
        for error in err.errors():
            path = prefix + _data_path(data, error["loc"], error["type"])
            message = error["msg"].removeprefix("Value error, ")
            message = message[0].lower() + message[1:]
            if message not in messages.setdefault(path, []):
                messages[path].append(message)
        return None, [doc.problem(path, " or ".join(found)) for path, found in messages.items()]


def _data_path(data: Any, loc: tuple, kind: str) -> Path_:
    """Keep the parts of pydantic's loc that lead through the data (drop union tags like 'int')."""
    path: list[str | int] = []
    here = data
    for part in loc:
        if isinstance(here, dict) and part in here:
            here = here[part]
        elif isinstance(here, list) and isinstance(part, int) and 0 <= part < len(here):
            here = here[part]
        elif kind == "missing" and isinstance(here, dict) and part == loc[-1]:
            pass
        else:
            break
        path.append(part)
    return tuple(path)
