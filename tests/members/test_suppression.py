"""The equity report's small-count rule, as a pure function: table-driven cases.

Each case is the table without totals; the answer marks which cells and totals are hidden
("#" hidden, "." shown), rows first and each row's total last, then the column totals row."""

import random

import pytest

from members.equity import suppress, suppressed_table


def _mask(text: str) -> list[list[bool]]:
    return [[ch == "#" for ch in row] for row in text.split()]


CASES = [
    ("nothing small: nothing hidden", [[5, 10], [8, 12]], "... ... ..."),
    (
        "one small cell hides a whole 2×2 interior; the totals stay",
        [[3, 10], [8, 12]],
        "##. ##. ...",
    ),
    ("zeros are shown, never a reason to hide", [[0, 7], [9, 12]], "... ... ..."),
    (
        "the complement is the smallest non-zero cell of the line, not a zero",
        [[4, 0, 6, 20], [10, 10, 10, 10]],
        "#.#.. #.#.. .....",
    ),
    ("a total under 5 is hidden too, and so is everything that gives it away", [[2, 1]], "### ###"),
    (
        "a single column (a quarter of the trend): the small cell, one complement, totals shown",
        [[3], [10], [12]],
        "## ## .. ..",
    ),
    (
        "a small cell in a long row: its complement is the row's smallest (7); the two columns "
        "then share one other row (the smallest), so four cells hide and no total is touched",
        [[1, 50, 60, 7], [40, 41, 42, 43], [30, 31, 32, 33]],
        "#..#. ..... #..#. .....",
    ),
    ("all zeros: nothing to hide", [[0, 0], [0, 0]], "... ... ..."),
    (
        "two small cells in one row protect each other; the columns still need partners",
        [[2, 3, 40], [20, 30, 40]],
        "##.. ##.. ....",
    ),
]


@pytest.mark.parametrize(("name", "cells", "expected"), CASES, ids=[c[0] for c in CASES])
def test_suppression_cases(name, cells, expected):
    assert suppress(cells) == _mask(expected)


def test_the_threshold_is_a_parameter():
    assert suppress([[10, 20], [30, 40]], below=11)[0][0] is True


def test_rows_of_different_lengths_are_refused():
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]])


def test_no_line_ever_has_exactly_one_hidden_entry():
    """The property the rule exists for, over 300 random tables with many small counts."""
    rng = random.Random(14)
    for _ in range(300):
        rows, cols = rng.randint(1, 6), rng.randint(1, 8)
        cells = [[rng.choice([0, 1, 2, 4, 5, 9, 30]) for _ in range(cols)] for _ in range(rows)]
        mask = suppress(cells)
        full = [row + [sum(row)] for row in cells]
        full.append([sum(r[c] for r in full) for c in range(cols + 1)])
        for r, row in enumerate(full):
            for c, n in enumerate(row):
                assert not (0 < n < 5) or mask[r][c]  # every small count hidden
        lines = list(mask) + [[row[c] for row in mask] for c in range(cols + 1)]
        assert all(sum(line) != 1 for line in lines)


def test_the_table_shows_none_where_hidden():
    table = suppressed_table(["a", "b"], ["x", "y"], [[3, 10], [8, 12]])
    assert table.rows == [[None, None, 13], [None, None, 20]]
    assert table.totals == [11, 22, 33] and table.hidden_count == 4
