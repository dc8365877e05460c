"""The evaluation's plain-text tables: first column left-aligned, the others right-aligned, rules under the
header and above the last (total) row."""

from __future__ import annotations


def aligned_table(rows: list[tuple[str, ...]]) -> str:
    """rows[0] is the header, rows[-1] the total; every row has the same number of cells (strings)."""
    columns = len(rows[0])
    widths = [max(len(r[i]) for r in rows) for i in range(columns)]
    lines = []
    for n, r in enumerate(rows):
        lines.append("  ".join(r[0].ljust(widths[0]) if i == 0 else r[i].rjust(widths[i]) for i in range(columns)))
        if n == 0 or n == len(rows) - 2:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
