"""Server-rendered SVG charts: the same string is drawn in the page and served as the download, so the file
says what the page says. No JavaScript. Every chart carries its title, the data's date and a note in the SVG
itself (a downloaded file stands alone); the numbers are also on the page as a table and in a CSV.

Inputs are plain numbers; every text is escaped. Sizes are in SVG user units (the page scales the drawing).
"""

from __future__ import annotations

import math
import textwrap
from typing import NamedTuple

from django.utils.html import escape

WIDTH = 760
LABEL_W = 300
ROW_H = 30
BOX_ROW_H = 44  # a box plot's row: the box, then a line of its figures under it
TOP = 48
FONT = 'font-family="system-ui, Arial, sans-serif" font-size="12"'


def _figure(value) -> str:
    """A figure as the page's tables print it: Django renders a float with str() (en-gb, no thousands
    separator), so 12.0 stays "12.0" in both and the chart never disagrees with its table."""
    return str(value)


def _frame(title: str, note: str, height: int, body: list[str]) -> str:
    """The SVG document: title, desc (the note), white background, the body, the note as footer lines (wrapped at
    ~110 characters so a long note is not cut off by the edge)."""
    t, n = escape(title), escape(note)
    lines = textwrap.wrap(note, 110) or [""]
    height += 14 * (len(lines) - 1)
    footer = "".join(f'<text x="8" y="{height - 8 - 14 * (len(lines) - 1 - i)}" fill="#555" font-size="11">{escape(line)}</text>'
                     for i, line in enumerate(lines))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="svg-title svg-desc" class="chart-svg" {FONT}>'
        f'<title id="svg-title">{t}</title><desc id="svg-desc">{n}</desc>'
        f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>'
        f'<text x="8" y="20" font-size="15" font-weight="600" fill="#1b1f24">{t}</text>'
        + "".join(body) + footer + "</svg>"
    )


class Scale(NamedTuple):
    """An axis from 0 to `top` in ticks of `step` (whole numbers); top == 0: nothing to draw."""

    top: int
    step: int

    def x(self, value: float, plot: int) -> float:
        """Where `value` falls, in user units from the plot's left edge (0 on an empty axis)."""
        return plot * value / self.top if self.top else 0.0


# At most this many intervals on an axis: ~42 units apart on the 420-unit plot, room for a five-digit label.
MAX_TICKS = 10


def _scale(high: float) -> Scale:
    """Every chart's axis, from its largest value. The step is 1, 2 or 5 × 10^k and never below 1: the charts show
    counts (whole numbers) and months, and a tick at 0.25 claims a precision no figure has. The smallest such step
    that spans `high` in at most MAX_TICKS intervals, and the first multiple of it at or above `high`, so the axis
    ends just past the longest bar (130 -> 140, not 200). Nothing to draw (high <= 0, e.g. a series with no
    reports yet): Scale(0, 0), and `_axis` says "No data" instead of inventing ticks."""
    if high <= 0:
        return Scale(0, 0)
    power = 1
    while True:
        for m in (1, 2, 5):
            step = m * power
            intervals = math.ceil(high / step)
            if intervals <= MAX_TICKS:
                return Scale(step * intervals, step)
        power *= 10


def _axis(top: int, bottom: int, scale: Scale, unit: str) -> list[str]:
    """Grid lines and whole-number tick labels every `scale.step` up to `scale.top`, and the unit; on an empty
    scale, the words "No data" where the ticks would be."""
    if not scale.top:
        return [f'<text x="{LABEL_W}" y="{bottom + 14}" fill="#555">No data</text>']
    plot = WIDTH - LABEL_W - 40
    out = []
    for value in range(0, scale.top + 1, scale.step):
        x = LABEL_W + scale.x(value, plot)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="#d0d4d9"/>'
                   f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle" fill="#555">{value}</text>')
    out.append(f'<text x="{WIDTH - 8}" y="{bottom + 28}" text-anchor="end" fill="#555">{escape(unit)}</text>')
    return out


def box_chart(title: str, rows: list[tuple[str, dict | None]], *, unit: str, note: str) -> str:
    """Horizontal box plots: each row (label, {"low", "q1", "median", "q3", "high", "count"} in `unit`, or None
    when there is no value: drawn as "no data"). Under each box, its median and quartiles in words, printed as the
    page's table prints them (`_figure`): the caller passes the table's own rounded figures."""
    height = TOP + BOX_ROW_H * len(rows) + 52
    highs = [r["high"] for _, r in rows if r]
    # Rows with data whose longest is 0 (every pair on one day) still get an axis (0–1): there is data to show.
    scale = _scale(max(max(highs), 1)) if highs else Scale(0, 0)
    plot = WIDTH - LABEL_W - 40
    x = lambda v: LABEL_W + scale.x(v, plot)  # noqa: E731 - a local scale
    body = _axis(TOP - 6, TOP + BOX_ROW_H * len(rows), scale, unit)
    for i, (label, r) in enumerate(rows):
        y = TOP + BOX_ROW_H * i
        mid = y + 13  # the box spans y+5..y+21; the figures' line sits below it, at y+35
        body.append(f'<text x="{LABEL_W - 8}" y="{mid + 4:.1f}" text-anchor="end" fill="#1b1f24">{escape(label)}</text>')
        if not r:
            body.append(f'<text x="{LABEL_W + 4}" y="{mid + 4:.1f}" fill="#555">no data</text>')
            continue
        body.append(
            f'<line x1="{x(r["low"]):.1f}" y1="{mid}" x2="{x(r["high"]):.1f}" y2="{mid}" stroke="#1b1f24"/>'
            f'<rect x="{x(r["q1"]):.1f}" y="{y + 5}" width="{max(x(r["q3"]) - x(r["q1"]), 1):.1f}" height="16" '
            f'fill="#56B4E9" stroke="#0072B2"/>'
            f'<line x1="{x(r["median"]):.1f}" y1="{y + 3}" x2="{x(r["median"]):.1f}" y2="{y + 23}" stroke="#1b1f24" stroke-width="3"/>'
            f'<text x="{WIDTH - 36}" y="{mid + 4:.1f}" fill="#555">n={r["count"]}</text>'
            f'<text x="{LABEL_W + 4}" y="{y + 35}" fill="#1b1f24" font-size="11" class="box-figures">'
            f'median {_figure(r["median"])}, quartiles {_figure(r["q1"])}–{_figure(r["q3"])}</text>'
        )
    return _frame(title, note, height, body)


def bar_chart(title: str, rows: list[tuple[str, float]], *, unit: str, note: str, colour: str = "#0072B2") -> str:
    """Horizontal bars, one per (label, value)."""
    height = TOP + ROW_H * len(rows) + 52
    scale = _scale(max((v for _, v in rows), default=0))
    plot = WIDTH - LABEL_W - 40
    body = _axis(TOP - 6, TOP + ROW_H * len(rows), scale, unit)
    for i, (label, value) in enumerate(rows):
        y = TOP + ROW_H * i
        w = scale.x(value, plot)
        body.append(f'<text x="{LABEL_W - 8}" y="{y + ROW_H / 2 + 4:.1f}" text-anchor="end" fill="#1b1f24">{escape(label)}</text>'
                    f'<rect x="{LABEL_W}" y="{y + 6}" width="{w:.1f}" height="{ROW_H - 12}" fill="{colour}"/>'
                    f'<text x="{LABEL_W + w + 4:.1f}" y="{y + ROW_H / 2 + 4:.1f}" fill="#1b1f24">{value:g}</text>')
    return _frame(title, note, height, body)


def stacked_chart(title: str, rows: list[tuple[str, list[int]]], keys: list[tuple[str, str]], *, note: str) -> str:
    """One stacked horizontal bar per row (label, counts in the order of `keys`), with a key of (label, colour)."""
    legend_h = 18 * ((len(keys) + 2) // 3)
    top = TOP + legend_h
    height = top + ROW_H * len(rows) + 52
    scale = _scale(max((sum(c) for _, c in rows), default=0))
    plot = WIDTH - LABEL_W - 40
    body = []
    for i, (label, colour) in enumerate(keys):
        lx, ly = 8 + (i % 3) * 236, TOP - 14 + 18 * (i // 3)
        body.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{colour}" stroke="#555"/>'
                    f'<text x="{lx + 16}" y="{ly + 10}" fill="#1b1f24">{escape(label)}</text>')
    body += _axis(top - 6, top + ROW_H * len(rows), scale, "count")
    for i, (label, counts) in enumerate(rows):
        y = top + ROW_H * i
        body.append(f'<text x="{LABEL_W - 8}" y="{y + ROW_H / 2 + 4:.1f}" text-anchor="end" fill="#1b1f24">{escape(label)}</text>')
        left = LABEL_W
        for n, (_, colour) in zip(counts, keys):
            w = scale.x(n, plot)
            if n:
                body.append(f'<rect x="{left:.1f}" y="{y + 6}" width="{w:.1f}" height="{ROW_H - 12}" fill="{colour}" stroke="#fff"/>')
            left += w
        body.append(f'<text x="{left + 4:.1f}" y="{y + ROW_H / 2 + 4:.1f}" fill="#1b1f24">{sum(counts)}</text>')
    return _frame(title, note, height, body)
