"""The month-by-month grade chart of a risk, as SVG geometry (no script, no inline style)."""
from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 12, 36


@dataclass
class Point:
    x: float
    y: float
    period: str
    score: int
    level: str


@dataclass
class Chart:
    width: int
    height: int
    points: list[Point]
    polyline: str
    gridlines: list[tuple[float, int]]
    baseline: float


def grade_chart(assessments, max_score: int = 25) -> Chart:
    """Place each assessment (oldest first) on a score axis from 0 to MAX_SCORE."""
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(assessments)
    step = inner_w / max(n - 1, 1)
    points = []
    for index, a in enumerate(assessments):
        x = LEFT + (index * step if n > 1 else inner_w / 2)
        y = TOP + inner_h * (1 - a.score / max_score)
        points.append(Point(round(x, 1), round(y, 1), a.period, a.score, a.level))
    gridlines = [(round(TOP + inner_h * (1 - s / max_score), 1), s) for s in (0, 5, 10, 15, 20, 25) if s <= max_score]
    return Chart(WIDTH, HEIGHT, points, " ".join(f"{p.x},{p.y}" for p in points), gridlines, TOP + inner_h)
