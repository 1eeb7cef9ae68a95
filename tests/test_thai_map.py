import xml.etree.ElementTree as ET

import pytest

from builder import thai_map
from builder.thai_map import MapDataError, MapPlace, render_map

SVG = "{http://www.w3.org/2000/svg}"
THAI_NAMES = {
    "chiang-mai": "เชียงใหม่",
    "lamphun": "ลำพูน",
    "loei": "เลย",
    "khon-kaen": "ขอนแก่น",
    "saraburi": "สระบุรี",
    "suphanburi": "สุพรรณบุรี",
    "phetchaburi": "เพชรบุรี",
    "trang": "ตรัง",
    "songkhla": "สงขลา",
}
ENGLISH_NAMES = {pid: thai_map.CAPITALS[pid] for pid in THAI_NAMES}  # the GeoNames spellings


def places(names):
    return [MapPlace(pid, label, f"/th/provinces/{pid}/") for pid, label in names.items()]


def markers(svg: str) -> dict[str, tuple[float, float, ET.Element]]:
    """href -> (x, y, text element) for every marker link."""
    found = {}
    for link in ET.fromstring(svg).iter(f"{SVG}a"):
        circle, text = link.find(f"{SVG}circle"), link.find(f"{SVG}text")
        found[link.get("href")] = (float(circle.get("cx")), float(circle.get("cy")), text)
    return found


@pytest.fixture(scope="module")
def thai_svg():
    return render_map(places(THAI_NAMES), title="แผนที่จังหวัด")


def test_one_marker_link_per_place_with_its_label(thai_svg):
    links = list(ET.fromstring(thai_svg).iter(f"{SVG}a"))
    assert len(links) == 9
    found = markers(thai_svg)
    for pid, label in THAI_NAMES.items():
        assert found[f"/th/provinces/{pid}/"][2].text == label


def test_is_an_accessible_image_with_thailand_outline(thai_svg):
    root = ET.fromstring(thai_svg)
    # a named group, not role="img", which would hide its links from assistive technology
    assert root.tag == f"{SVG}svg" and root.get("role") == "group"
    assert root.find(f"{SVG}title").text == "แผนที่จังหวัด"
    assert root.find(f"{SVG}path[@class='thai-map__country']").get("d").startswith("M")


def test_markers_inside_viewbox_and_geographically_ordered(thai_svg):
    _, _, width, height = map(float, ET.fromstring(thai_svg).get("viewBox").split())
    at = {href.split("/")[-2]: (x, y) for href, (x, y, _) in markers(thai_svg).items()}
    for x, y in at.values():
        assert 0 < x < width and 0 < y < height
    assert at["chiang-mai"][1] < at["saraburi"][1] < at["songkhla"][1]  # north to south
    assert at["chiang-mai"][0] < at["loei"][0] < at["khon-kaen"][0]  # west to east
    assert at["suphanburi"][0] < at["saraburi"][0]
    assert at["trang"][0] < at["songkhla"][0]
    assert at["phetchaburi"][1] < at["trang"][1]


@pytest.mark.parametrize("names", [THAI_NAMES, ENGLISH_NAMES], ids=["thai", "english"])
def test_labels_do_not_overlap(names):
    """Estimate each label's box (13px text, generous 0.65em per character) and check no two meet."""
    boxes = []
    for x, y, text in markers(render_map(places(names), title="t")).values():
        width = 13 * 0.65 * len(text.text)
        left = float(text.get("x")) - (width if text.get("text-anchor") == "end" else 0)
        boxes.append((left, y - 7, left + width, y + 7))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_close_neighbours_label_on_opposite_sides(thai_svg):
    found = markers(thai_svg)
    chiang_mai = found["/th/provinces/chiang-mai/"][2]
    lamphun = found["/th/provinces/lamphun/"][2]
    assert {chiang_mai.get("text-anchor"), lamphun.get("text-anchor")} == {"start", "end"}


def test_labels_hrefs_and_title_are_escaped():
    nasty = '<b>"A" & \'B\'</b>'
    svg = render_map([MapPlace("trang", nasty, '/x?a=1&b="2"')], title=nasty)
    root = ET.fromstring(svg)  # would raise on broken markup
    assert not list(root.iter(f"{SVG}b"))
    assert root.find(f"{SVG}title").text == nasty
    (href, (_, _, text)), = markers(svg).items()
    assert href == '/x?a=1&b="2"' and text.text == nasty


def test_deterministic_and_small(thai_svg):
    assert render_map(places(THAI_NAMES), title="แผนที่จังหวัด") == thai_svg
    assert len(thai_svg.encode("utf-8")) < 30_000


def test_unknown_province_is_refused():
    with pytest.raises(MapDataError, match="bangkok"):
        render_map([MapPlace("bangkok", "กรุงเทพฯ", "/")], title="t")


def test_missing_world_atlas_says_how_to_get_it(monkeypatch, tmp_path):
    monkeypatch.setattr(thai_map, "WORLD_ATLAS", tmp_path / "countries-50m.json")
    thai_map._load_atlas.cache_clear()
    try:
        with pytest.raises(MapDataError, match="world-atlas not installed"):
            render_map(places(THAI_NAMES), title="t")
    finally:
        thai_map._load_atlas.cache_clear()
