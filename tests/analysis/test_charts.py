"""The server-rendered SVG charts: well-formed, escaped, scaled, and carrying their note (the data's date)."""

import xml.etree.ElementTree as ET

from inspections.analysis.charts import _scale, bar_chart, box_chart, stacked_chart

NS = "{http://www.w3.org/2000/svg}"


def test_axis_maximum_is_round_and_not_below_the_data():
    # Worked by hand: the smallest step of 1, 2 or 5 × 10^k that spans the value in at most ten intervals, then the
    # first multiple of it at or above the value. Below 1 the axis is 0–1 by 1; nothing: no axis (0, 0).
    got = [tuple(_scale(v)) for v in (0, 0.4, 7, 10, 11, 37, 101, 130)]
    assert got == [(0, 0), (1, 1), (7, 1), (10, 1), (12, 2), (40, 5), (120, 20), (140, 20)]


def _ticks(svg: str) -> list[str]:
    """The axis' tick labels: the texts centred under the grid lines."""
    return [t.text for t in ET.fromstring(svg).iter(f"{NS}text") if t.get("text-anchor") == "middle"]


def test_an_axis_for_130_ends_below_200_in_whole_number_ticks():
    # The paths chart's bug: its largest bar, 130 areas, drew an axis to 200.
    svg = stacked_chart("Paths", [("No WSOA", [100, 30, 0]), ("Other", [5, 0, 0])],
                        [("A", "#000"), ("B", "#111"), ("C", "#222")], note="n")
    ticks = _ticks(svg)
    assert all(t.isdigit() for t in ticks), ticks
    assert 130 <= int(ticks[-1]) < 200 and ticks == ["0", "20", "40", "60", "80", "100", "120", "140"]
    bars = bar_chart("Bars", [("a", 130)], unit="areas", note="n")
    assert _ticks(bars)[-1] == "140"
    # The longest bar ends at 130/140 of the 420-unit plot: 390 units.
    rect = next(r for r in ET.fromstring(bars).iter(f"{NS}rect") if r.get("fill") == "#0072B2")
    assert rect.get("width") == "390.0"


def test_a_box_chart_of_months_ticks_whole_months():
    svg = box_chart("B", [("x", {"low": 0.3, "q1": 1.1, "median": 2.5, "q3": 3.9, "high": 4.6, "count": 9})],
                    unit="months", note="n")
    assert _ticks(svg) == ["0", "1", "2", "3", "4", "5"]


def test_a_chart_with_no_data_says_so_instead_of_fractional_ticks():
    # The monitoring series before any monitoring report: no rows at all, or rows of zeros.
    keys = [("Sufficient", "#000"), ("Not", "#111")]
    for svg in (stacked_chart("Monitoring", [], keys, note="n"), stacked_chart("Monitoring", [("2024", [0, 0])], keys, note="n"),
                bar_chart("Bars", [], unit="areas", note="n"), box_chart("Boxes", [("x", None)], unit="months", note="n")):
        root = ET.fromstring(svg)
        assert "No data" in [t.text for t in root.iter(f"{NS}text")]
        assert _ticks(svg) == [] and "0.25" not in svg
        assert not list(root.iter(f"{NS}line"))  # no grid lines either


def test_box_chart_writes_its_median_and_quartiles_as_the_table_does():
    svg = box_chart("B", [("x", {"low": 0.0, "q1": 12.0, "median": 18.4, "q3": 24.1, "high": 40.2, "count": 7}),
                          ("y", None)], unit="months", note="n")
    figures = [t.text for t in ET.fromstring(svg).iter(f"{NS}text") if t.get("class") == "box-figures"]
    assert figures == ["median 18.4, quartiles 12.0–24.1"]  # 12.0, not 12: the table prints Django's str(float)


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
