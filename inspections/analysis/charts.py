"""Server-rendered SVG charts: the same string is drawn in the page and served as the download, so the file
says what the page says. No JavaScript. Every chart carries its title, the data's date and a note in the SVG
itself (a downloaded file stands alone); the numbers are also on the page as a table and in a CSV.

Inputs are plain numbers; every text is escaped. Sizes are in SVG user units (the page scales the drawing).
"""

from __future__ import annotations

import textwrap

from django.utils.html import escape

WIDTH = 760
LABEL_W = 300
ROW_H = 30
TOP = 48
FONT = 'font-family="system-ui, Arial, sans-serif" font-size="12"'


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


def _scale(high: float) -> float:
    """A round axis maximum at or above `high` (1, 2, 5 × 10^k)."""
    if high <= 0:
        return 1.0
    step = 1.0
    while step * 10 <= high:
        step *= 10
    for m in (1, 2, 5, 10):
        if m * step >= high:
            return m * step
    return 10 * step


def _axis(top: int, bottom: int, high: float, unit: str) -> list[str]:
    plot = WIDTH - LABEL_W - 40
    # Whole-number ticks where the maximum allows (5 -> 0..5 by 1, 20 -> by 5), else quarters.
    ticks = next((n for n in (4, 5, 2) if high >= n and float(high / n).is_integer()), 4)
    out = []
    for i in range(ticks + 1):
        value = high * i / ticks
        x = LABEL_W + plot * i / ticks
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="#d0d4d9"/>'
                   f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle" fill="#555">{value:g}</text>')
    out.append(f'<text x="{WIDTH - 8}" y="{bottom + 28}" text-anchor="end" fill="#555">{escape(unit)}</text>')
    return out


def box_chart(title: str, rows: list[tuple[str, dict | None]], *, unit: str, note: str) -> str:
    """Horizontal box plots: each row (label, {"low", "q1", "median", "q3", "high", "count"} in `unit`, or None
    when there is no value: drawn as "no data")."""
    height = TOP + ROW_H * len(rows) + 52
    high = _scale(max((r["high"] for _, r in rows if r), default=0))
    plot = WIDTH - LABEL_W - 40
    x = lambda v: LABEL_W + plot * v / high  # noqa: E731 - a local scale
    body = _axis(TOP - 6, TOP + ROW_H * len(rows), high, unit)
    for i, (label, r) in enumerate(rows):
        y = TOP + ROW_H * i
        mid = y + ROW_H / 2
        body.append(f'<text x="{LABEL_W - 8}" y="{mid + 4:.1f}" text-anchor="end" fill="#1b1f24">{escape(label)}</text>')
        if not r:
            body.append(f'<text x="{LABEL_W + 4}" y="{mid + 4:.1f}" fill="#555">no data</text>')
            continue
        body.append(
            f'<line x1="{x(r["low"]):.1f}" y1="{mid}" x2="{x(r["high"]):.1f}" y2="{mid}" stroke="#1b1f24"/>'
            f'<rect x="{x(r["q1"]):.1f}" y="{y + 7}" width="{max(x(r["q3"]) - x(r["q1"]), 1):.1f}" height="{ROW_H - 14}" '
            f'fill="#56B4E9" stroke="#0072B2"/>'
            f'<line x1="{x(r["median"]):.1f}" y1="{y + 5}" x2="{x(r["median"]):.1f}" y2="{y + ROW_H - 5}" stroke="#1b1f24" stroke-width="3"/>'
            f'<text x="{WIDTH - 36}" y="{mid + 4:.1f}" fill="#555">n={r["count"]}</text>'
        )
    return _frame(title, note, height, body)


def bar_chart(title: str, rows: list[tuple[str, float]], *, unit: str, note: str, colour: str = "#0072B2") -> str:
    """Horizontal bars, one per (label, value)."""
    height = TOP + ROW_H * len(rows) + 52
    high = _scale(max((v for _, v in rows), default=0))
    plot = WIDTH - LABEL_W - 40
    body = _axis(TOP - 6, TOP + ROW_H * len(rows), high, unit)
    for i, (label, value) in enumerate(rows):
        y = TOP + ROW_H * i
        body.append(f'<text x="{LABEL_W - 8}" y="{y + ROW_H / 2 + 4:.1f}" text-anchor="end" fill="#1b1f24">{escape(label)}</text>'
                    f'<rect x="{LABEL_W}" y="{y + 6}" width="{plot * value / high:.1f}" height="{ROW_H - 12}" fill="{colour}"/>'
                    f'<text x="{LABEL_W + plot * value / high + 4:.1f}" y="{y + ROW_H / 2 + 4:.1f}" fill="#1b1f24">{value:g}</text>')
    return _frame(title, note, height, body)


def stacked_chart(title: str, rows: list[tuple[str, list[int]]], keys: list[tuple[str, str]], *, note: str) -> str:
    """One stacked horizontal bar per row (label, counts in the order of `keys`), with a key of (label, colour)."""
    legend_h = 18 * ((len(keys) + 2) // 3)
    top = TOP + legend_h
    height = top + ROW_H * len(rows) + 52
    high = _scale(max((sum(c) for _, c in rows), default=0))
    plot = WIDTH - LABEL_W - 40
    body = []
    for i, (label, colour) in enumerate(keys):
        lx, ly = 8 + (i % 3) * 236, TOP - 14 + 18 * (i // 3)
        body.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{colour}" stroke="#555"/>'
                    f'<text x="{lx + 16}" y="{ly + 10}" fill="#1b1f24">{escape(label)}</text>')
    body += _axis(top - 6, top + ROW_H * len(rows), high, "count")
    for i, (label, counts) in enumerate(rows):
        y = top + ROW_H * i
        body.append(f'<text x="{LABEL_W - 8}" y="{y + ROW_H / 2 + 4:.1f}" text-anchor="end" fill="#1b1f24">{escape(label)}</text>')
        left = LABEL_W
        for n, (_, colour) in zip(counts, keys):
            w = plot * n / high
            if n:
                body.append(f'<rect x="{left:.1f}" y="{y + 6}" width="{w:.1f}" height="{ROW_H - 12}" fill="{colour}" stroke="#fff"/>')
            left += w
        body.append(f'<text x="{left + 4:.1f}" y="{y + ROW_H / 2 + 4:.1f}" fill="#1b1f24">{sum(counts)}</text>')
    return _frame(title, note, height, body)
