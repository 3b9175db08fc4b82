"""Server-side SVG bar charts: numbers in, rectangles out (no script, no CDN, no style=)."""

from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

BAR = 12
GAP = 4
LABEL_WIDTH = 150
CHART_WIDTH = 360


def grouped_bars(rows: list[dict], series: list[tuple[str, str, str]], label_key: str) -> dict:
    """Horizontal grouped bars. `series` is [(key, label, color class)]; each row is a dict with a
    label under `label_key` and a number under each series key."""
    biggest = max([row[key] for row in rows for key, _l, _c in series] + [1])
    group_height = len(series) * (BAR + 2) + GAP * 3
    groups = []
    for i, row in enumerate(rows):
        top = i * group_height + GAP
        bars = []
        for j, (key, label, color) in enumerate(series):
            value = row[key]
            bars.append(
                {
                    "y": top + j * (BAR + 2),
                    "width": round(CHART_WIDTH * value / biggest, 1),
                    "value": value,
                    "label": label,
                    "color": color,
                    "text_x": LABEL_WIDTH + round(CHART_WIDTH * value / biggest, 1) + 4,
                    "text_y": top + j * (BAR + 2) + BAR - 2,
                }
            )
        groups.append({"label": str(row[label_key]), "label_y": top + BAR + 2, "bars": bars})
    return {
        "groups": groups,
        "height": max(len(rows) * group_height + GAP * 2, 30),
        "width": LABEL_WIDTH + CHART_WIDTH + 50,
        "label_width": LABEL_WIDTH,
        "bar": BAR,
        "series": series,
    }


def bars_svg(chart: dict, label: str) -> str:
    """The chart of `grouped_bars` as an SVG element, written in Python: a template loop per bar
    cost more than the rest of the action page together (issue 16). `label` names it for
    screen readers. Every text is escaped, once each; the coordinates are numbers this module
    computed, written as they are (never localized: a decimal comma would break them)."""
    height = chart["height"] + 24
    series = [(escape(name), escape(color)) for _key, name, color in chart["series"]]
    parts = [
        f'<svg class="chart w-100" viewBox="0 0 {chart["width"]} {height}" '
        f'width="{chart["width"]}" height="{height}" role="img" aria-label="{escape(label)}" '
        'preserveAspectRatio="xMinYMin meet">'
    ]
    for i, (name, color) in enumerate(series):
        parts.append(
            f'<g transform="translate({i * 110},0)"><rect x="0" y="4" width="12" height="12" '
            f'fill="{color}"/><text x="16" y="14" font-size="12" fill="#212529">{name}</text></g>'
        )
    parts.append('<g transform="translate(0,24)">')
    left, bar_height = chart["label_width"], chart["bar"]
    for group in chart["groups"]:
        group_label = escape(group["label"])
        parts.append(
            f'<text x="{left - 6}" y="{group["label_y"]}" text-anchor="end" font-size="12" '
            f'fill="#212529">{escape(Truncator(group["label"]).chars(24))}</text>'
        )
        for bar in group["bars"]:
            value = escape(localize(bar["value"]))
            parts.append(
                f'<rect x="{left}" y="{bar["y"]}" width="{bar["width"]}" height="{bar_height}" '
                f'fill="{escape(bar["color"])}"><title>{group_label} · {escape(bar["label"])}: '
                f'{value}</title></rect><text x="{bar["text_x"]}" y="{bar["text_y"]}" '
                f'font-size="11" fill="#212529">{value}</text>'
            )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
