"""What a grade is: pure functions over a grading standard, no database.

A standard has likelihood and impact scales (3 to 7 levels each), four level
bands (the contract's codes) with a lowest score each, and a level for every
cell. By default a cell's level follows its score; a company may colour cells
by hand, as long as no cell is ranked below a cell that is no worse on both
axes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from .labels import level_label

LEVELS = ("low", "general", "significant", "major")
LEVEL_RANK = {code: rank for rank, code in enumerate(LEVELS)}
WARNING_LEVELS = ("significant", "major")
IMPACT_DIMENSIONS = ("financial", "reputation", "compliance", "safety", "environment", "operations")
MIN_SIZE, MAX_SIZE = 3, 7
AXIS_NAMES = {"likelihood": _l("likelihood"), "impact": _l("impact")}


@dataclass(frozen=True)
class ScaleLevel:
    value: int
    name: str
    name_en: str
    descriptor: str = ""
    descriptor_en: str = ""


@dataclass(frozen=True)
class Band:
    code: str
    name: str
    name_en: str
    colour: str
    min_score: int


@dataclass(frozen=True)
class Standard:
    likelihood: tuple[ScaleLevel, ...]
    impact: tuple[ScaleLevel, ...]
    bands: tuple[Band, ...]
    # (likelihood, impact) -> level code; empty means "by score".
    cells: dict = field(default_factory=dict)

    def band(self, code: str) -> Band:
        return next(b for b in self.bands if b.code == code)


class StandardError(ValueError):
    """A standard that cannot be used; `problems` lists every reason."""

    def __init__(self, problems: list):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def level_for_score(standard: Standard, score: int) -> str:
    """The band a score falls in: the highest band whose lowest score it reaches."""
    chosen = standard.bands[0].code
    for band in sorted(standard.bands, key=lambda b: b.min_score):
        if score >= band.min_score:
            chosen = band.code
    return chosen


def cell_level(standard: Standard, likelihood: int, impact: int) -> str:
    """The level of one cell of the matrix."""
    explicit = standard.cells.get((likelihood, impact))
    return explicit or level_for_score(standard, likelihood * impact)


def grade(standard: Standard, likelihood: int, impact: int) -> tuple[int, str]:
    """(score, level) of a likelihood and impact on STANDARD; out-of-scale values raise ValueError."""
    if not 1 <= likelihood <= len(standard.likelihood):
        raise ValueError(f"likelihood {likelihood} is outside 1–{len(standard.likelihood)}")
    if not 1 <= impact <= len(standard.impact):
        raise ValueError(f"impact {impact} is outside 1–{len(standard.impact)}")
    return likelihood * impact, cell_level(standard, likelihood, impact)


def needs_reason(likelihood: int, impact: int, previous: tuple[int, int] | None) -> bool:
    """True when a grade must give its reason: it differs from PREVIOUS, the (likelihood, impact) of last
    month, or there is no grade last month to compare it with."""
    return previous != (likelihood, impact)


def worst_impact(impacts: dict[str, int]) -> int:
    """The impact of a risk judged per dimension: the worst dimension."""
    return max(impacts.values())


def matrix(standard: Standard) -> list[list[str]]:
    """matrix[l-1][i-1] is the level of cell (l, i)."""
    return [
        [cell_level(standard, l, i) for i in range(1, len(standard.impact) + 1)]
        for l in range(1, len(standard.likelihood) + 1)
    ]


def check(standard: Standard) -> list:
    """Every reason STANDARD cannot be used, in the user's language; empty when it is sound."""
    return [message for _, message in check_fields(standard)]


def check_fields(standard: Standard) -> list[tuple[str, object]]:
    """(part, reason) for every reason STANDARD cannot be used, so that a form can show each at its field.

    The part names where the problem is: `likelihood` or `impact` (the scale), `likelihood.N.name` or
    `.name_en` (level N's name), `bands` or `bands.CODE` (a band's lowest score), `cells.L.I` (a cell)."""
    problems = []
    for axis, scale in (("likelihood", standard.likelihood), ("impact", standard.impact)):
        name = AXIS_NAMES[axis]
        if not MIN_SIZE <= len(scale) <= MAX_SIZE:
            problems.append((axis, _l("%(axis)s must have %(low)d to %(high)d levels, not %(n)d",
                                      axis=name, low=MIN_SIZE, high=MAX_SIZE, n=len(scale))))
        if [lv.value for lv in scale] != list(range(1, len(scale) + 1)):
            problems.append((axis, _l("%(axis)s levels must be numbered 1 to %(n)d in order",
                                      axis=name, n=len(scale))))
        for lv in scale:
            for attribute in ("name", "name_en"):
                if not getattr(lv, attribute).strip():
                    problems.append((f"{axis}.{lv.value}.{attribute}",
                                     _l("every %(axis)s level needs a Chinese and an English name", axis=name)))
    codes = [b.code for b in standard.bands]
    if sorted(codes, key=lambda c: LEVEL_RANK.get(c, 99)) != list(LEVELS) or len(codes) != len(LEVELS):
        problems.append(("bands", _l("the bands must be exactly %(codes)s",
                                     codes=", ".join(str(level_label(c)) for c in LEVELS))))
    else:
        minima = [standard.band(code).min_score for code in LEVELS]
        wrong = 0 if minima[0] != 1 else next((n for n in range(1, len(minima)) if minima[n] <= minima[n - 1]), None)
        if wrong is not None:
            problems.append((f"bands.{LEVELS[wrong]}",
                             _l("band lowest scores must start at 1 and rise from low to major")))
    for (l, i), code in standard.cells.items():
        if code not in LEVEL_RANK:
            problems.append((f"cells.{l}.{i}", _l("cell L%(l)d×I%(i)d has unknown level %(code)s",
                                                  l=l, i=i, code=code)))
    if problems:
        return problems
    grid = matrix(standard)
    for l in range(len(grid)):
        for i in range(len(grid[0])):
            here = LEVEL_RANK[grid[l][i]]
            for dl, di in ((1, 0), (0, 1)):
                nl, ni = l + dl, i + di
                if nl < len(grid) and ni < len(grid[0]) and LEVEL_RANK[grid[nl][ni]] < here:
                    # Shown at the cell coloured by hand (the one the user changed), else at the lower one.
                    at = (l + 1, i + 1) if (l + 1, i + 1) in standard.cells and (nl + 1, ni + 1) not in standard.cells \
                        else (nl + 1, ni + 1)
                    problems.append((f"cells.{at[0]}.{at[1]}", _l(
                        "cell L%(l2)d×I%(i2)d (%(level2)s) is ranked below cell L%(l1)d×I%(i1)d (%(level1)s), "
                        "which is no worse on both axes", l2=nl + 1, i2=ni + 1, level2=level_label(grid[nl][ni]),
                        l1=l + 1, i1=i + 1, level1=level_label(grid[l][i]))))
    return problems


def validate(standard: Standard) -> Standard:
    """STANDARD itself, or StandardError naming every problem."""
    problems = check(standard)
    if problems:
        raise StandardError(problems)
    return standard


def ranking_key(score: int, impact: int, likelihood: int, code: str) -> tuple:
    """The contract's major-risk order: score, impact, likelihood descending, then code."""
    return (-score, -impact, -likelihood, code)


def warning_reason(level: str | None, previous_level: str | None, indicator_breached: bool) -> str | None:
    """Why a risk is warned in a period, or None.

    `level` wins over `escalated`, which wins over `indicator`.
    """
    if level in WARNING_LEVELS:
        return "level"
    if level is not None and previous_level is not None and LEVEL_RANK[level] > LEVEL_RANK[previous_level]:
        return "escalated"
    if indicator_breached:
        return "indicator"
    return None


def trend(level: str | None, previous_level: str | None) -> str:
    """'new', 'up', 'down' or 'same' against last period."""
    if previous_level is None:
        return "new"
    if level is None:
        return "same"
    delta = LEVEL_RANK[level] - LEVEL_RANK[previous_level]
    return "up" if delta > 0 else "down" if delta < 0 else "same"


def default_standard() -> Standard:
    """The company default of DOMAIN.md: 5×5, levels by score."""
    likelihood = (
        ScaleLevel(1, "极低", "Rare", "发生概率<10%，今后10年内发生的可能少于1次",
                   "< 10%; less than once in the next 10 years"),
        ScaleLevel(2, "低", "Unlikely", "发生概率10%–30%，今后5–10年内可能发生1次",
                   "10–30%; once in 5–10 years"),
        ScaleLevel(3, "中等", "Possible", "发生概率30%–70%，今后2–5年内可能发生1次",
                   "30–70%; once in 2–5 years"),
        ScaleLevel(4, "高", "Likely", "发生概率70%–90%，今后1年内可能发生1次",
                   "70–90%; once within a year"),
        ScaleLevel(5, "极高", "Almost certain", "发生概率>90%，今后1年内至少发生1次",
                   "> 90%; at least once a year"),
    )
    impact = (
        ScaleLevel(1, "极轻微", "Negligible", "损失占年度利润或销售目标<1%；影响限于公司内部",
                   "loss < 1% of annual profit or sales target; known inside the company"),
        ScaleLevel(2, "轻微", "Minor", "损失1%–5%；本地影响", "loss 1–5%; local attention"),
        ScaleLevel(3, "中等", "Moderate", "损失5%–10%；区域影响", "loss 5–10%; regional attention"),
        ScaleLevel(4, "重大", "Major", "损失10%–20%；全国影响", "loss 10–20%; national attention"),
        ScaleLevel(5, "灾难性", "Catastrophic", "损失>20%；国际影响或监管关注",
                   "loss > 20%; international or regulator attention"),
    )
    bands = (
        Band("low", "低风险", "Low", "blue", 1),
        Band("general", "一般风险", "General", "yellow", 4),
        Band("significant", "重要风险", "Significant", "orange", 8),
        Band("major", "重大风险", "Major", "red", 15),
    )
    return Standard(likelihood, impact, bands)


def to_json(standard: Standard) -> dict:
    """A JSON-safe form of STANDARD, for storage and the API."""
    def scale(levels):
        return [{"value": lv.value, "name": lv.name, "name_en": lv.name_en,
                 "descriptor": lv.descriptor, "descriptor_en": lv.descriptor_en} for lv in levels]

    return {
        "likelihood": scale(standard.likelihood),
        "impact": scale(standard.impact),
        "bands": [{"code": b.code, "name": b.name, "name_en": b.name_en, "colour": b.colour,
                   "min_score": b.min_score} for b in standard.bands],
        "cells": {f"{l},{i}": code for (l, i), code in sorted(standard.cells.items())},
    }


def from_json(data: dict) -> Standard:
    """The Standard stored as DATA by to_json()."""
    def scale(levels):
        return tuple(ScaleLevel(int(lv["value"]), lv["name"], lv["name_en"], lv.get("descriptor", ""),
                                lv.get("descriptor_en", "")) for lv in levels)

    cells = {}
    for key, code in (data.get("cells") or {}).items():
        l, i = key.split(",")
        cells[(int(l), int(i))] = code
    bands = tuple(Band(b["code"], b["name"], b["name_en"], b["colour"], int(b["min_score"])) for b in data["bands"])
    return Standard(scale(data["likelihood"]), scale(data["impact"]), bands, cells)
