"""The server-rendered SVG charts: well-formed, escaped, scaled, and carrying their note (the data's date)."""

import xml.etree.ElementTree as ET

from inspections.analysis.charts import _scale, bar_chart, box_chart, stacked_chart

NS = "{http://www.w3.org/2000/svg}"


def test_axis_maximum_is_round_and_not_below_the_data():
    # Below 1 the axis is 0–1 (the charts show counts and months).
    assert [_scale(v) for v in (0, 0.4, 7, 10, 11, 37, 101)] == [1.0, 1.0, 10, 10, 20, 50, 200]


def test_charts_are_well_formed_escaped_svg_with_title_and_note():
    note = "computed 30 November 2026 from facts as of 29 November 2026."
    for svg in (
        bar_chart("A <b>title</b> & more", [("Area <script>", 3), ("Other", 0)], unit="areas", note=note),
        box_chart("Boxes", [("With data", {"low": 1, "q1": 2, "median": 3, "q3": 4, "high": 9, "count": 5}),
                            ("Empty", None)], unit="months", note=note),
        stacked_chart("Stacks", [("2023/24", [1, 2, 0]), ("2024/25", [0, 0, 4])],
                      [("Positive", "#0072B2"), ("Inconsistent", "#F0E442"), ("Systemic", "#D55E00")], note=note),
    ):
        root = ET.fromstring(svg)  # raises on malformed XML, e.g. an unescaped "<script>"
        assert root.tag == f"{NS}svg"
        assert root.find(f"{NS}title").text and root.find(f"{NS}desc").text == note
        assert "<script>" not in svg


def test_box_chart_places_the_median_between_the_quartiles():
    svg = box_chart("B", [("x", {"low": 0, "q1": 10, "median": 20, "q3": 30, "high": 40, "count": 4})], unit="m", note="n")
    root = ET.fromstring(svg)
    rect = next(r for r in root.iter(f"{NS}rect") if r.get("fill") == "#56B4E9")
    median = [line for line in root.iter(f"{NS}line") if line.get("stroke-width") == "3"][0]
    left, width = float(rect.get("x")), float(rect.get("width"))
    assert left < float(median.get("x1")) < left + width
    assert "no data" not in svg
