"""Build the dashboard's England map: one simplified shape per area that holds SEND duties.

    .venv/bin/python areas/data/build_geometry.py [--reference ../shared/reference] [--out static/geo/england_send_areas.json]

Input: ONS local authority district boundaries 2023 (reference/lad23_boundaries.geojson) and
mySociety's register (reference/uk_local_authorities.csv) for each two-tier district's county.
A district in a two-tier area (E07) is merged into its county (E10), because the county holds the
SEND duties; unitary, metropolitan and London districts are areas in their own right.

Output: a small JSON file the dashboard renders as inline SVG, with coordinates already projected
(equirectangular scaled by cos 52.5°, good enough at England's size), simplified as a coverage
(shared borders stay shared, no slivers) and quantised to whole SVG units written as relative moves.

Attribution (kept in the output file and shown under the map): Source: Office for National
Statistics licensed under the Open Government Licence v.3.0. Contains OS data © Crown copyright
and database right.

Needs shapely (build-time only: `uv pip install --python .venv/bin/python shapely`); the web app
only reads the JSON.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right."
)
WIDTH = 560  # SVG units across England; the height follows the projection.
TOLERANCE = 0.9  # in SVG units: below what a laptop screen shows at this size.
SMALLEST_RING = 1.5  # islands smaller than this many square SVG units are dropped (unless an area's only ring).
# London's 33 boroughs are too small to click at national scale: draw them again, enlarged, in the
# empty North Sea corner (top right), where nothing of England's coast reaches.
INSET_ZOOM = 2.5
INSET_ORIGIN = (408, 30)  # top-left corner of the enlarged London, in SVG units


def district_to_area(reference: Path) -> dict[str, tuple[str, str]]:
    """District GSS code -> (GSS code, name) of the area holding SEND duties for it."""
    with (reference / "uk_local_authorities.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_register = {row["local-authority-code"]: row for row in rows}
    mapping = {}
    for row in rows:
        gss = row["gss-code"]
        if not gss.startswith("E"):
            continue
        county = by_register.get(row["county-la"]) if row["county-la"] else None
        holder = county or row
        mapping[gss] = (holder["gss-code"], holder["nice-name"])
    return mapping


def build(reference: Path) -> dict:
    import shapely
    from shapely.geometry import shape
    from shapely.ops import unary_union

    geojson = json.loads((reference / "lad23_boundaries.geojson").read_text(encoding="utf-8"))
    mapping = district_to_area(reference)
    k = math.cos(math.radians(52.5))

    parts: dict[str, list] = defaultdict(list)
    names: dict[str, str] = {}
    for feature in geojson["features"]:
        code = feature["properties"]["LAD23CD"]
        if not code.startswith("E"):
            continue  # Wales, Scotland and Northern Ireland have no English SEND inspections.
        area_gss, area_name = mapping.get(code, (code, feature["properties"]["LAD23NM"]))
        names[area_gss] = area_name
        geom = shapely.transform(shape(feature["geometry"]), lambda xy: xy * [k, -1.0])
        parts[area_gss].append(geom.buffer(0))

    merged = {gss: unary_union(geoms) for gss, geoms in parts.items()}
    minx, miny, maxx, maxy = unary_union(list(merged.values())).bounds
    scale = WIDTH / (maxx - minx)
    height = math.ceil((maxy - miny) * scale)

    codes = sorted(merged)
    scaled = [
        shapely.affinity.affine_transform(merged[c], [scale, 0, 0, scale, -minx * scale, -miny * scale])
        for c in codes
    ]
    # Coverage simplification keeps neighbouring areas' shared borders identical after simplifying.
    simplified = shapely.coverage_simplify(scaled, TOLERANCE)

    areas = []
    for code, geom in zip(codes, simplified):
        path, centre = _path(geom)
        areas.append({"gss": code, "name": names[code], "d": path, "cx": round(centre.x), "cy": round(centre.y)})

    london = [(c, g) for c, g in zip(codes, scaled) if c.startswith("E09")]
    lx0, ly0, lx1, ly1 = unary_union([g for _, g in london]).bounds
    ox, oy = INSET_ORIGIN
    zoomed = [
        shapely.affinity.affine_transform(g, [INSET_ZOOM, 0, 0, INSET_ZOOM, ox - lx0 * INSET_ZOOM, oy - ly0 * INSET_ZOOM])
        for _, g in london
    ]
    inset_areas = []
    for (code, _), geom in zip(london, shapely.coverage_simplify(zoomed, TOLERANCE)):
        path, centre = _path(geom)
        inset_areas.append({"gss": code, "name": names[code], "d": path})
    inset = {
        "label": "London", "x": ox, "y": oy,
        "w": round((lx1 - lx0) * INSET_ZOOM), "h": round((ly1 - ly0) * INSET_ZOOM),
        # where London really is: outlined on the main map
        "src": [math.floor(lx0) - 1, math.floor(ly0) - 1, math.ceil(lx1 - lx0) + 2, math.ceil(ly1 - ly0) + 2],
        "areas": inset_areas,
    }
    return {"attribution": ATTRIBUTION, "width": WIDTH, "height": height, "areas": areas, "inset": inset}


def _path(geom):
    from shapely.geometry import MultiPolygon, Polygon

    polygons = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    polygons = [p for p in polygons if isinstance(p, Polygon) and not p.is_empty]
    kept = [p for p in polygons if p.area >= SMALLEST_RING] or sorted(polygons, key=lambda p: -p.area)[:1]
    path = "".join(_ring_path(ring) for p in kept for ring in [p.exterior, *p.interiors])
    return path, max(kept, key=lambda p: p.area).representative_point()


def _ring_path(ring) -> str:
    """A closed ring as an SVG subpath of relative integer moves, repeated points dropped."""
    points = [(round(x), round(y)) for x, y in ring.coords]
    deduped = [points[0]]
    for point in points[1:]:
        if point != deduped[-1]:
            deduped.append(point)
    if len(deduped) < 4:
        return ""
    out = [f"M{deduped[0][0]} {deduped[0][1]}"]
    for (x0, y0), (x1, y1) in zip(deduped, deduped[1:-1]):
        out.append(f"{x1 - x0} {y1 - y0}")
    # 'l' then space-separated pairs; SVG accepts a sign as separator, so drop the space before '-'.
    body = " ".join(out[1:]).replace(" -", "-")
    return f"{out[0]}l{body}z"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference")
    parser.add_argument("--out", type=Path, default=ROOT / "static" / "geo" / "england_send_areas.json")
    args = parser.parse_args()
    data = build(args.reference)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{len(data['areas'])} areas, {args.out.stat().st_size / 1024:.0f} KB -> {args.out}")


if __name__ == "__main__":
    main()
