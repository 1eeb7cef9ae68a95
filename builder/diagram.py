"""A diagram of one alliance network and its members, laid out by Graphviz at build time.

Graphviz measures text with the fonts fontconfig finds, so layout uses Sarabun from the PyPI package
`fontpkg-sarabun`: the same face the site serves, so boxes fit their labels in the browser.
"""

from __future__ import annotations

import html
import os
import subprocess
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

FONT_FAMILY = "Sarabun"
MEMBER_FONT_SIZE = 12
NETWORK_FONT_SIZE = 13
WRAP_WIDTH = 20  # characters per line, counting only those that take horizontal space
# Graphviz spaces lines about 1.08 em apart; Thai marks above and below the line need more.
GRAPHVIZ_LINE_SPACING = 1.08
LINE_SPACING = 1.45
SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)


class DiagramError(RuntimeError):
    """Graphviz, its font or the Thai word splitter is missing, or Graphviz failed."""


@dataclass(frozen=True)
class DiagramMember:
    label: str
    role: str | None = None


def render_member_diagram(network_label: str, members: list[DiagramMember], *, title: str) -> str:
    """Return an `<svg>` element: the network in the middle, its members around it, roles under names."""
    network_lines = wrap_label(network_label)
    member_lines = [(wrap_label(m.label), wrap_label(m.role) if m.role else []) for m in members]

    statements = [
        "graph members {",
        "graph [layout=twopi root=network ranksep=1.3 overlap=voronoi bgcolor=transparent];",
        f'node [fontname="{FONT_FAMILY}" fontsize={MEMBER_FONT_SIZE} shape=box style="rounded,filled" '
        'fillcolor="#ffffff" color="#6b8f5e" class=member];',
        'edge [color="#9aa89a" class=link];',
        f"network [label={_dot_label(network_lines)} {_margin(len(network_lines), NETWORK_FONT_SIZE, 0.2)} "
        f'id=network class=network fillcolor="#d9e6d3" fontsize={NETWORK_FONT_SIZE} shape=ellipse];',
    ]
    for index, (name, role) in enumerate(member_lines):
        margin = _margin(len(name) + len(role), MEMBER_FONT_SIZE, 0.12)
        statements.append(f'member{index} [label={_dot_label(name + role)} {margin} id="member-{index}"];')
        statements.append(f"network -- member{index};")
    statements.append("}")

    root = ET.fromstring(_run_graphviz("\n".join(statements)))
    # ElementTree drops the prolog, DOCTYPE and the comments carrying Graphviz's version.
    for parent in root.iter():
        for child in parent.findall(f"{{{SVG_NS}}}title"):
            parent.remove(child)  # Graphviz titles are internal node ids; they would show as tooltips
        # One line, no blank ones: a blank line would end the HTML block if a page passes through Markdown.
        parent.tail = None
        if parent.text and not parent.text.strip():
            parent.text = None
    _space_lines(root.find(f".//{{{SVG_NS}}}g[@id='network']"), NETWORK_FONT_SIZE)
    for index, (_, role) in enumerate(member_lines):
        node = root.find(f".//{{{SVG_NS}}}g[@id='member-{index}']")
        lines = _space_lines(node, MEMBER_FONT_SIZE)
        for line in lines[len(lines) - len(role) :]:
            line.attrib.update({"class": "member-role", "fill": "#4a5a48", "font-style": "italic"})
    for element in root.iter():
        element.attrib.pop("id", None)  # ids like "graph0" would clash between two diagrams on one page
    title_element = ET.Element(f"{{{SVG_NS}}}title")
    title_element.text = title
    root.insert(0, title_element)
    root.attrib.update({"role": "img", "class": "member-diagram"})
    return ET.tostring(root, encoding="unicode")


def wrap_label(text: str, width: int = WRAP_WIDTH) -> list[str]:
    """Split text into lines of about `width` characters, breaking only between words.

    Thai is written without spaces, so word boundaries come from pythainlp's dictionary tokenizer;
    a word longer than `width` keeps a line of its own rather than being cut.
    """
    if _display_length(text) <= width:
        return [" ".join(text.split())]  # fits: no need to load the segmenter's dictionary
    try:
        from pythainlp.tokenize import word_tokenize
    except ImportError:
        raise DiagramError("pythainlp not installed: pip install pythainlp") from None
    lines: list[str] = []
    line = ""
    for word in word_tokenize(" ".join(text.split()), engine="newmm", keep_whitespace=True):
        if line.strip() and _display_length(line + word.rstrip()) > width:
            lines.append(line.strip())
            line = ""
        line += word
    if line.strip():
        lines.append(line.strip())
    return lines


def _display_length(text: str) -> int:
    """Characters that take horizontal space: Thai vowel and tone marks above/below take none."""
    return sum(1 for char in text if unicodedata.category(char) != "Mn")


def _dot_label(lines: list[str]) -> str:
    """A quoted DOT label, one centred line each.

    Backslash and quote are DOT's escapes; `&` is escaped too because Graphviz decodes entities
    in labels, so a literal "&amp;" would otherwise show as "&".
    """
    escaped = [line.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;") for line in lines]
    return '"' + "\\n".join(escaped) + '"'


def _margin(line_count: int, font_size: int, horizontal: float) -> str:
    """Node margin (inches) with room for the wider line spacing that `_space_lines` applies."""
    extra_points = (line_count - 1) * font_size * (LINE_SPACING - GRAPHVIZ_LINE_SPACING)
    return f'margin="{horizontal},{0.06 + extra_points / 2 / 72:.3f}"'


def _space_lines(node: ET.Element, font_size: int) -> list[ET.Element]:
    """Spread a node's text lines LINE_SPACING apart around their centre; return the lines."""
    lines = node.findall(f"{{{SVG_NS}}}text")
    if len(lines) < 2:
        return lines
    centre = sum(float(line.get("y")) for line in lines) / len(lines)
    for position, line in enumerate(lines):
        offset = (position - (len(lines) - 1) / 2) * font_size * LINE_SPACING
        line.set("y", f"{centre + offset:.2f}")
    return lines


def _run_graphviz(source: str) -> str:
    """Run `dot -Tsvg` with a fontconfig setup that adds the packaged Sarabun to the system fonts."""
    try:
        import fontpkg

        font_dir = fontpkg.path(FONT_FAMILY).parent
    except (ImportError, LookupError, OSError) as error:
        message = f"Sarabun font for layout not found ({error}): pip install fontpkg-sarabun"
        raise DiagramError(message) from None
    with tempfile.TemporaryDirectory() as temp:
        config = Path(temp) / "fonts.conf"
        config.write_text(
            '<?xml version="1.0"?><fontconfig>'
            '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
            f"<dir>{html.escape(str(font_dir))}</dir></fontconfig>",
            encoding="utf-8",
        )
        try:
            result = subprocess.run(
                ["dot", "-Tsvg"],
                input=source.encode("utf-8"),
                capture_output=True,
                env={**os.environ, "FONTCONFIG_FILE": str(config)},
                timeout=60,
                check=False,
            )
        except FileNotFoundError:
            raise DiagramError("Graphviz `dot` not found: apt-get install graphviz") from None
    if result.returncode != 0:
        stderr = result.stderr.decode(errors="replace").strip()
        raise DiagramError(f"dot -Tsvg failed (exit {result.returncode}): {stderr}")
    return result.stdout.decode("utf-8")
