"""Server-side SVG bar charts: numbers in, rectangles out (no script, no CDN, no style=)."""

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
