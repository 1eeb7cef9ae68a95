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
WRAP_WIDTH = 20  # characters per line, counting only those that take horizontal space
SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


class DiagramError(RuntimeError):
    """Graphviz, its font or the Thai word splitter is missing, or Graphviz failed."""


@dataclass(frozen=True)
class DiagramMember:
    label: str
    role: str | None = None


def render_member_diagram(network_label: str, members: list[DiagramMember], *, title: str) -> str:
    """Return an `<svg>` element: the network in the middle, its members around it, roles under names."""
    svg = _run_graphviz(_dot_source(network_label, members))
    root = ET.fromstring(svg)  # the parser drops the prolog, DOCTYPE and version/date comments
    for parent in root.iter():
        for child in parent.findall(f"{{{SVG_NS}}}title"):
            parent.remove(child)  # Graphviz titles are internal node ids; they would show as tooltips
    title_element = ET.Element(f"{{{SVG_NS}}}title")
    title_element.text = title
    root.insert(0, title_element)
    root.set("role", "img")
    root.set("class", "member-diagram")
    return ET.tostring(root, encoding="unicode")


def wrap_label(text: str, width: int = WRAP_WIDTH) -> list[str]:
    """Split text into lines of about `width` characters, breaking only between words.

    Thai is written without spaces, so word boundaries come from pythainlp's dictionary tokenizer;
    a word longer than `width` keeps a line of its own rather than being cut.
    """
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


def _html_label(lines: list[str], role_lines: list[str]) -> str:
    """A Graphviz HTML-like label; escaping as XML keeps quotes, backslashes and markup literal."""
    text = "<BR/>".join(html.escape(line) for line in lines)
    if role_lines:
        role = "<BR/>".join(html.escape(line) for line in role_lines)
        text += f'<BR/><FONT POINT-SIZE="10">{role}</FONT>'
    return f"<{text}>"


def _dot_source(network_label: str, members: list[DiagramMember]) -> str:
    statements = [
        "graph members {",
        f'graph [layout=twopi root=network ranksep=1.3 overlap=false fontname="{FONT_FAMILY}" bgcolor=transparent];',
        f'node [fontname="{FONT_FAMILY}" fontsize=12 shape=box style="rounded,filled" '
        'fillcolor="#ffffff" color="#6b8f5e" class=member margin="0.12,0.06"];',
        'edge [color="#9aa89a" class=link];',
        f'network [label={_html_label(wrap_label(network_label), [])} id=network class=network '
        'fillcolor="#d9e6d3" fontsize=13 shape=ellipse];',
    ]
    for index, member in enumerate(members):
        role_lines = wrap_label(member.role) if member.role else []
        statements.append(f"m{index} [label={_html_label(wrap_label(member.label), role_lines)}];")
        statements.append(f"network -- m{index};")
    statements.append("}")
    return "\n".join(statements)


def _run_graphviz(source: str) -> str:
    """Run `dot -Tsvg` with a fontconfig setup that adds the packaged Sarabun to the system fonts."""
    try:
        import fontpkg

        font_dir = fontpkg.path(FONT_FAMILY).parent
    except (ImportError, LookupError, OSError) as error:
        raise DiagramError(f"Sarabun font for layout not found ({error}): pip install fontpkg-sarabun") from None
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
        raise DiagramError(f"dot -Tsvg failed (exit {result.returncode}): {result.stderr.decode(errors='replace').strip()}")
    return result.stdout.decode("utf-8")
