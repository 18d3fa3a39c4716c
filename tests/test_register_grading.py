"""Grading rules: every cell of the default standard, consistency checks, ranking and warning rules."""
import pytest

from riskflow.register import grading

# The contract's bands on the default 5×5 standard, cell by cell.
EXPECTED_LEVEL = {
    1: "low", 2: "low", 3: "low", 4: "general", 5: "general", 6: "general", 8: "significant", 9: "significant",
    10: "significant", 12: "significant", 15: "major", 16: "major", 20: "major", 25: "major",
}


@pytest.mark.parametrize("likelihood", range(1, 6))
@pytest.mark.parametrize("impact", range(1, 6))
def test_every_cell_of_the_default_standard(likelihood, impact):
    score, level = grading.grade(grading.default_standard(), likelihood, impact)
    assert score == likelihood * impact
    assert level == EXPECTED_LEVEL[score]


@pytest.mark.parametrize("l,i", [(0, 3), (6, 3), (3, 0), (3, 6)])
def test_values_outside_the_scale_are_refused(l, i):
    with pytest.raises(ValueError):
        grading.grade(grading.default_standard(), l, i)


def test_the_default_standard_is_sound_and_round_trips():
    standard = grading.default_standard()
    assert grading.check(standard) == []
    assert grading.from_json(grading.to_json(standard)) == standard


def test_an_inconsistent_cell_colouring_is_refused():
    standard = grading.default_standard()
    bad = grading.Standard(standard.likelihood, standard.impact, standard.bands, {(2, 3): "major"})
    problems = [str(p) for p in grading.check(bad)]
    assert problems == [
        "cell L3×I3 (Significant risk) is ranked below cell L2×I3 (Major risk), which is no worse on both axes",
        "cell L2×I4 (Significant risk) is ranked below cell L2×I3 (Major risk), which is no worse on both axes",
    ]
    # Each is shown at the cell coloured by hand.
    assert [part for part, _ in grading.check_fields(bad)] == ["cells.2.3", "cells.2.3"]
    with pytest.raises(grading.StandardError):
        grading.validate(bad)


def test_sizes_from_3_to_7_only():
    standard = grading.default_standard()
    small = grading.Standard(standard.likelihood[:2], standard.impact, standard.bands)
    assert [str(p) for p in grading.check(small)] == ["likelihood must have 3 to 7 levels, not 2"]
    seven = tuple(grading.ScaleLevel(n, f"级{n}", f"L{n}") for n in range(1, 8))
    big = grading.Standard(seven, seven, standard.bands)
    assert grading.check(big) == []
    assert grading.grade(big, 7, 7) == (49, "major")
    assert grading.grade(big, 7, 1) == (7, "general")


def test_worst_dimension_is_the_impact():
    assert grading.worst_impact({"financial": 2, "reputation": 4, "safety": 1}) == 4


def test_ranking_key_orders_ties_by_impact_then_likelihood_then_code():
    rows = [(12, 3, 4, "B"), (12, 4, 3, "C"), (12, 4, 3, "A"), (15, 3, 5, "Z"), (12, 6, 2, "D")]
    rows.sort(key=lambda r: grading.ranking_key(*r))
    assert [r[3] for r in rows] == ["Z", "D", "A", "C", "B"]


@pytest.mark.parametrize(
    "level,previous,indicator,expected",
    [
        ("major", None, False, "level"),
        ("significant", "major", False, "level"),
        ("significant", "general", True, "level"),
        ("general", "low", False, "escalated"),
        ("general", "low", True, "escalated"),
        ("general", "general", False, None),
        ("low", "general", False, None),
        ("general", None, False, None),
        ("low", "low", True, "indicator"),
        (None, "major", True, "indicator"),
        (None, None, False, None),
    ],
)
def test_warning_reasons(level, previous, indicator, expected):
    assert grading.warning_reason(level, previous, indicator) == expected
