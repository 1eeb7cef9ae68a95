"""YAML files → records, keeping the line of every field so errors can point at it.

Nothing here raises for bad data: every problem becomes a `Problem`, and the caller
decides what to do with all of them at once.
"""
from __future__ import annotations

import unicodedata
from collections import deque
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
        return _one_line(f"{self.file}:{self.line}: {where}{self.message}")


def _one_line(text: str) -> str:
    """Escape control characters (a newline in a YAML key, say), so a problem stays one line."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


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
    text = text.lstrip("\ufeff")
    # Characters YAML refuses: found here so the problem names its line (libyaml reports a byte offset).
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        return None, [Problem(display, line, "", f"character U+{ord(bad[0]):04X} is not allowed in YAML; remove it")]
    loader = _Loader(text)
    doc, problems, node = Document(display, None), [], None
    try:
        too_deep = _nesting_too_deep(text)
        if too_deep:
            return None, [Problem(display, too_deep, "", f"nested more than {MAX_DEPTH} levels deep")]
        node = loader.get_single_node()
        if node is not None and _expanded_size(node) > MAX_NODES:
            return None, [Problem(display, _first_alias_line(node), "",
                                  f"aliases expand to more than {MAX_NODES} values (a YAML alias bomb?)")]
        if node is not None:
            _map_lines(node, (), doc, problems)  # before constructing: it finds recursive aliases
        doc.data = nfc(loader.construct_document(node)) if node is not None else None
        huge = next(_huge_numbers(doc.data), None)
        if huge is not None:
            return None, [doc.problem(huge, f"number too large (more than {MAX_INT})")]
    except _Recursive as err:  # constructing, nfc() and pydantic would recurse forever
        return None, [Problem(display, err.line, format_path(err.path), "an alias contains itself (recursive YAML anchor)")]
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        return None, [Problem(display, line, "", f"YAML syntax error: {err.problem or err.context}")]
    except yaml.YAMLError as err:
        return None, [Problem(display, 1, "", f"YAML error: {str(err).splitlines()[0]}")]
    except Exception as err:  # PyYAML's constructors raise plain ValueError etc. (2005-13-45, !!int abc, !!bool x)
        return None, [Problem(display, _unreadable_line(node), "", f"YAML value cannot be read: {err}")]
    finally:
        loader.dispose()
    return doc, problems


# The data nests about eight levels; libyaml's composer recurses in C, so a file of 100,000
# opening brackets would overflow the C stack and kill the process instead of raising.
MAX_DEPTH = 50


def _nesting_too_deep(text: str) -> int | None:
    """The line where collections nest deeper than MAX_DEPTH, read from parser events (no recursion)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark.line + 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


# The largest data file has a few thousand values. Aliases can make a small file expand
# exponentially ("billion laughs"), which would hang the loader; count before expanding.
MAX_NODES = 200_000


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the document has once every alias is expanded. Shared nodes are sized once,
    so this is linear in the file. A node inside itself counts 0 here: _map_lines reports it."""
    size: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_sized = stack.pop()
        if children_sized:
            size[id(node)] = 1 + sum(size.get(id(child), 0) for child in _children(node))
            open_nodes.discard(id(node))
        elif id(node) not in size and id(node) not in open_nodes:
            open_nodes.add(id(node))
            stack.append((node, True))
            stack += [(child, False) for child in _children(node)]
    return size[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _first_alias_line(root: yaml.Node) -> int:
    """The line of the first node used more than once (where the expansion starts)."""
    seen: set[int] = set()
    todo = deque([root])
    while todo:
        node = todo.popleft()
        if id(node) in seen:
            return node.start_mark.line + 1
        seen.add(id(node))
        todo += _children(node)
    return 1


# Line numbers and counts are small. A 5000-digit hex number parses, but printing it (in a problem,
# a page or the JSON export) raises ValueError, and JavaScript reading the JSON export loses
# precision past 2**53.
MAX_INT = 2**53


def _huge_numbers(value: Any, path: Path_ = ()):
    """Paths of integers larger than MAX_INT (the data is not recursive here, nor deep)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _huge_numbers(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _huge_numbers(item, path + (index,))


def _unreadable_line(node: yaml.Node | None) -> int:
    """The line of the first scalar PyYAML cannot construct (1 if none is found)."""
    todo, seen = [node] if node is not None else [], set()
    while todo:
        item = todo.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, yaml.ScalarNode):
            try:
                yaml.constructor.SafeConstructor().construct_object(item)
            except Exception:
                return item.start_mark.line + 1
        elif isinstance(item, yaml.SequenceNode):
            todo += reversed(item.value)
        elif isinstance(item, yaml.MappingNode):
            todo += [part for pair in reversed(item.value) for part in reversed(pair)]
    return node.start_mark.line + 1 if node is not None else 1


class _Recursive(Exception):
    """An anchor used inside itself (`a: &x [*x]`): where, for the problem."""

    def __init__(self, line: int, path: Path_):
        self.line, self.path = line, path


def _map_lines(node: yaml.Node, path: Path_, doc: Document, problems: list[Problem], inside: frozenset[int] = frozenset()) -> None:
    if id(node) in inside:
        raise _Recursive(node.start_mark.line + 1, path)
    inside = inside | {id(node)}
    doc.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue  # a list or mapping as a key: constructing it reports the problem
            key = key_node.value
            if key in seen:
                problems.append(Problem(doc.file, key_node.start_mark.line + 1, format_path(path + (key,)), "duplicate key"))
            seen.add(key)
            doc.lines[path + (key,)] = key_node.start_mark.line + 1
            _map_lines(value_node, path + (key,), doc, problems, inside)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _map_lines(item, path + (index,), doc, problems, inside)


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
