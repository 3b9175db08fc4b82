"""A bar chart by month drawn on the server as SVG geometry (no JavaScript, no CDN)."""

from django.utils import formats

WIDTH, HEIGHT, PAD_BOTTOM, PAD_TOP = 360, 160, 18, 8


def month_bars(series: list[dict]) -> dict:
    """Geometry for paired bars (assessed, paid) per month, scaled to the tallest."""
    tallest = max([max(m["assessed_cents"], m["paid_cents"]) for m in series] + [1])
    slot = WIDTH / max(len(series), 1)
    bar = slot * 0.38
    usable = HEIGHT - PAD_BOTTOM - PAD_TOP
    months = []
    for i, month in enumerate(series):
        x = i * slot + slot * 0.1
        heights = [round(usable * month[k] / tallest, 1) for k in ("assessed_cents", "paid_cents")]
        months.append(
            {
                **month,
                "label": formats.date_format(month["month"], "M"),
                "x_assessed": round(x, 1),
                "x_paid": round(x + bar, 1),
                "x_label": round(i * slot + slot / 2, 1),
                "h_assessed": heights[0],
                "h_paid": heights[1],
                "y_assessed": round(HEIGHT - PAD_BOTTOM - heights[0], 1),
                "y_paid": round(HEIGHT - PAD_BOTTOM - heights[1], 1),
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bar": round(bar, 1),
        "baseline": HEIGHT - PAD_BOTTOM,
        "label_y": HEIGHT - 4,
        "months": months,
        "empty": tallest == 1,
    }
