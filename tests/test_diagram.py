import re
import xml.etree.ElementTree as ET

import pytest

from builder import diagram
from builder.diagram import DiagramError, DiagramMember, render_member_diagram, wrap_label

SVG = "{http://www.w3.org/2000/svg}"
NETWORK = "เครือข่ายสหกรณ์การเกษตรลุ่มน้ำลี้"
MEMBERS = [
    DiagramMember("สหกรณ์การเกษตรเมืองลำพูน จำกัด", "ผู้ประสานงานเครือข่าย"),
    DiagramMember("กลุ่มวิสาหกิจชุมชนผู้ปลูกผักปลอดสารพิษบ้านหนองหอย", "ผู้ผลิต"),
    DiagramMember("มหาวิทยาลัยแม่โจ้", None),
    DiagramMember("Lamphun Agricultural Cooperative Ltd.", "coordinator"),
]


def nodes(root: ET.Element, kind: str) -> list[ET.Element]:
    """The node groups of one kind ("network" or "member"), in the order they were given."""
    return [g for g in root.iter(f"{SVG}g") if kind in g.get("class", "").split()]


def node_lines(root: ET.Element, kind: str, index: int = 0) -> list[ET.Element]:
    return nodes(root, kind)[index].findall(f"{SVG}text")


@pytest.fixture(scope="module")
def svg():
    return render_member_diagram(NETWORK, MEMBERS, title="สมาชิกเครือข่าย")


def test_every_member_and_role_is_shown(svg):
    root = ET.fromstring(svg)
    network_text = "".join(line.text for line in node_lines(root, "network"))
    assert network_text == NETWORK
    for index, member in enumerate(MEMBERS):
        lines = node_lines(root, "member", index)
        names = [line for line in lines if line.get("class") != "member-role"]
        roles = [line for line in lines if line.get("class") == "member-role"]
        assert " ".join(line.text for line in names).replace(" ", "") == member.label.replace(" ", "")
        assert " ".join(line.text for line in roles) == (member.role or "")


def test_is_a_bare_accessible_svg_element(svg):
    assert svg.startswith("<svg") and "<!--" not in svg and "<?xml" not in svg and "graphviz" not in svg
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert not [e for e in root.iter() if "id" in e.attrib]  # two diagrams on a page must not clash
    assert len(nodes(root, "network")) == 1 and len(nodes(root, "member")) == len(MEMBERS)
    titles = list(root.iter(f"{SVG}title"))
    assert len(titles) == 1 and root[0] is titles[0] and titles[0].text == "สมาชิกเครือข่าย"


def test_injected_markup_stays_text():
    labels = ["<script>alert(1)</script>", 'say "hi" \\ back\\n', "A &amp; B", "two\nlines"]
    members = [DiagramMember(label, "<i>r</i> & co") for label in labels]
    root = ET.fromstring(render_member_diagram("<b>net</b>", members, title="<t>"))
    assert not [e for e in root.iter() if e.tag in (f"{SVG}script", f"{SVG}b", f"{SVG}i", f"{SVG}t")]
    shown = [" ".join(line.text for line in node_lines(root, "member", i)) for i in range(len(labels))]
    assert shown[0] == "<script>alert(1)</script> <i>r</i> & co"
    assert shown[1].startswith('say "hi" \\ back\\n')
    assert shown[2].startswith("A &amp; B")
    assert shown[3].startswith("two lines")
    assert root.find(f"{SVG}title").text == "<t>"


@pytest.mark.parametrize("width", range(1, 30))
def test_thai_wraps_only_between_words(width):
    word, text = "เครือข่าย", "เครือข่ายสหกรณ์การเกษตร" * 2
    lines = wrap_label(text, width)
    assert "".join(lines) == text
    cuts = [len("".join(lines[: i + 1])) for i in range(len(lines) - 1)]
    word_starts = [i for i in range(len(text)) if text.startswith(word, i)]
    assert not [cut for cut in cuts for start in word_starts if start < cut < start + len(word)]
    if width < 20:
        assert len(lines) > 1


def test_long_thai_label_is_wrapped_in_the_diagram(svg):
    lines = [line.text for line in node_lines(ET.fromstring(svg), "member", 1)[:-1]]
    assert lines == ["กลุ่มวิสาหกิจชุมชนผู้ปลูกผัก", "ปลอดสารพิษบ้านหนองหอย"]


def test_boxes_are_sized_with_sarabun_metrics():
    """Chromium measures this line at 134.5px in Sarabun 12px; a fallback font would give another width."""
    members = [DiagramMember("กลุ่มวิสาหกิจชุมชนผู้ปลูกผัก")]
    root = ET.fromstring(render_member_diagram("n", members, title="t"))
    box = nodes(root, "member")[0].find(f"{SVG}path").get("d")
    xs = [float(x) for x in re.findall(r"(-?[\d.]+),", box)]
    assert max(xs) - min(xs) - 2 * 0.12 * 72 == pytest.approx(134.5, abs=2)


def test_deterministic(svg):
    assert render_member_diagram(NETWORK, MEMBERS, title="สมาชิกเครือข่าย") == svg


def test_missing_graphviz_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DiagramError, match="dot"):
        render_member_diagram(NETWORK, MEMBERS, title="t")


def test_graphviz_failure_is_reported():
    with pytest.raises(DiagramError, match="syntax error"):
        diagram._run_graphviz("graph {")
