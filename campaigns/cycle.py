"""Geometry for the cycle-of-organizing picture (an SVG drawn by the template, no script)."""

import math

from .models import Stage

SIZE = 300
RADIUS = 105
NODE = 38


def cycle_nodes(current: str, visits: dict[str, int]) -> list[dict]:
    """The five stages around a circle, clockwise from the top, with arcs to the next stage."""
    stages = list(Stage)
    centre = SIZE / 2
    points = []
    for i in range(len(stages)):
        angle = -math.pi / 2 + 2 * math.pi * i / len(stages)
        points.append((centre + RADIUS * math.cos(angle), centre + RADIUS * math.sin(angle)))
    nodes = []
    for i, stage in enumerate(stages):
        x, y = points[i]
        nx, ny = points[(i + 1) % len(stages)]
        # Arrow from the edge of this node to the edge of the next.
        dx, dy = nx - x, ny - y
        length = math.hypot(dx, dy)
        ux, uy = dx / length, dy / length
        nodes.append(
            {
                "stage": stage,
                "label": stage.label,
                "x": round(x, 1),
                "y": round(y, 1),
                "current": stage == current,
                "visits": visits.get(stage.value, 0),
                "x1": round(x + ux * (NODE + 2), 1),
                "y1": round(y + uy * (NODE + 2), 1),
                "x2": round(nx - ux * (NODE + 6), 1),
                "y2": round(ny - uy * (NODE + 6), 1),
            }
        )
    return nodes
