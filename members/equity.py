"""The equity lens: "do our leaders look like our members?"

Pure pieces first (a person's report group; small-count suppression), then the scoped report
reads. Kept apart from selectors.py because every number here leaves through a suppression rule
that the rest of the app does not need (docs/values.md).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conect import access
from conect.ladder import LEADER_LEVELS, Level
from congregations.models import Congregation

from .models import Demographics, EquityGroup, LeadershipChange, RaceEthnicity
from .selectors import people_visible_to

SUPPRESS_BELOW = 5


def equity_group_of(groups: Sequence[str], self_described: str = "") -> str:
    """The one report column a person falls in: their group if they chose exactly one, "two or
    more" if they chose several, "in their own words" if they chose none but wrote something."""
    chosen = [code for code in dict.fromkeys(groups) if code in RaceEthnicity.values]
    if len(chosen) == 1:
        return chosen[0]
    if len(chosen) > 1:
        return EquityGroup.MULTIPLE
    return EquityGroup.SELF_DESCRIBED if self_described.strip() else ""


# --- Suppression -----------------------------------------------------------------------------


def suppress(cells: Sequence[Sequence[int]], *, below: int = SUPPRESS_BELOW) -> list[list[bool]]:
    """Which entries of a count table, with its margins, must be hidden. Pure: no database.

    `cells` is the table without totals (R rows × C columns). The answer is an (R+1) × (C+1)
    mask: the cells, each row's total in the last column, each column's total in the last row,
    and the grand total in the corner; True means hide.

    1. Primary: any entry (cell or total) from 1 to `below` - 1 is hidden. Zero is shown.
    2. Complementary: a row or column of the extended table is an equation (its cells add up to
       its total), so one hidden entry in it could be worked out from the others. Wherever a line
       has exactly one hidden entry, hide one more in that line: the smallest non-zero cell shown
       (a total only when no cell is left, zeros last). Repeat until no line has exactly one.
    """
    rows, cols = len(cells), len(cells[0]) if cells else 0
    if any(len(row) != cols for row in cells):
        raise ValueError("every row needs the same number of columns")
    table = [list(row) + [sum(row)] for row in cells]
    table.append([sum(table[r][c] for r in range(rows)) for c in range(cols + 1)])
    hidden = [[0 < n < below for n in row] for row in table]

    def lines():
        for r in range(rows + 1):
            yield [(r, c) for c in range(cols + 1)]
        for c in range(cols + 1):
            yield [(r, c) for r in range(rows + 1)]

    def cost(entry):
        r, c = entry
        is_total = r == rows or c == cols
        n = table[r][c]
        return (is_total, n == 0, n, r, c)

    changed = True
    while changed:
        changed = False
        for line in lines():
            shut = [e for e in line if hidden[e[0]][e[1]]]
            if len(shut) != 1:
                continue
            shown = [e for e in line if not hidden[e[0]][e[1]]]
            if not shown:
                continue
            r, c = min(shown, key=cost)
            hidden[r][c] = True
            changed = True
    return hidden


@dataclass(frozen=True)
class Table:
    """A suppressed count table ready for a template: None where a number is hidden."""

    row_labels: list
    col_labels: list
    rows: list[list[int | None]]  # each row ends with its total (not in the trend)
    totals: list[int | None]  # column totals, then the grand total (not in the trend)

    @property
    def labelled_rows(self) -> list[tuple]:
        """(label, row) for the rows with someone in them (a row of shown zeros is listed by
        `empty_rows` instead, so a phone shows the table, not a column of zeros)."""
        return [
            (label, row) for label, row in zip(self.row_labels, self.rows, strict=True) if any(row)
        ]

    @property
    def empty_rows(self) -> list:
        return [
            label for label, row in zip(self.row_labels, self.rows, strict=True) if not any(row)
        ]

    @property
    def hidden_count(self) -> int:
        return sum(v is None for row in [*self.rows, self.totals] for v in row)


def suppressed_table(row_labels, col_labels, cells: list[list[int]]) -> Table:
    mask = suppress(cells)
    full = [list(row) + [sum(row)] for row in cells]
    full.append([sum(full[r][c] for r in range(len(cells))) for c in range(len(col_labels) + 1)])
    shown = [
        [None if mask[r][c] else full[r][c] for c in range(len(full[r]))] for r in range(len(full))
    ]
    return Table(list(row_labels), list(col_labels), shown[:-1], shown[-1])


# --- Reads -----------------------------------------------------------------------------------


def report_columns() -> list[tuple[str, Any]]:
    """(code, label) of each report column: the list's groups, then two or more, own words."""
    return [*RaceEthnicity.choices, *EquityGroup.choices]


def consented(user, congregation: Congregation | None = None) -> QuerySet[Demographics]:
    """Consented demographics of the people `user` may see (of one congregation, if given)."""
    people = people_visible_to(user)
    if congregation is not None:
        people = people.filter(memberships__congregation=congregation)
    return Demographics.objects.filter(
        consented_on__isnull=False, person__in=people.values("pk")
    ).exclude(equity_group="")


# The ladder's rungs in a phone's width (the full name is the header's title).
LEVEL_SHORT: dict[str, Any] = {
    Level.MEMBER: _("Memb."),
    Level.PARTICIPANT: _("Part."),
    Level.LEADER: _("Lead."),
    Level.CORE_TEAM: _("Core"),
    Level.KEY_LEADER: _("Key"),
}


def ladder_by_group(user, congregation: Congregation | None = None) -> Table:
    """Group × ladder level, now (a row per group: it fits a phone): one query."""
    columns = report_columns()
    counts = {
        (row["equity_group"], row["person__level"]): row["n"]
        for row in consented(user, congregation)
        .values("person__level", "equity_group")
        .annotate(n=Count("pk"))
    }
    cells = [
        [counts.get((code, level), 0) for level, _label in Level.choices]
        for code, _label in columns
    ]
    return suppressed_table(
        [label for _c, label in columns],
        [(LEVEL_SHORT[value], label) for value, label in Level.choices],
        cells,
    )


def last_quarter_ends(today: datetime.date, count: int = 4) -> list[datetime.date]:
    """The last days of the `count` quarters before the one `today` is in, oldest first."""
    first_of_quarter = today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1)
    ends = []
    for _quarter in range(count):
        end = first_of_quarter - datetime.timedelta(days=1)
        ends.append(end)
        first_of_quarter = end.replace(month=3 * ((end.month - 1) // 3) + 1, day=1)
    return ends[::-1]


def quarter_label(end: datetime.date) -> str:
    return f"{end.year} Q{(end.month - 1) // 3 + 1}"


def leaders_trend(user, congregation: Congregation | None = None, today=None) -> Table:
    """People at leader or above by group at the end of each of the last four quarters, from the
    ladder history (a person's level then is their last move on or before that day): one
    query per quarter."""
    today = today or timezone.localdate()
    ends = last_quarter_ends(today)
    columns = report_columns()
    base = consented(user, congregation)
    per_quarter = []
    for end in ends:
        moment = datetime.datetime.combine(
            end + datetime.timedelta(days=1),
            datetime.time.min,
            tzinfo=timezone.get_current_timezone(),
        )
        last_move = LeadershipChange.objects.filter(
            person=OuterRef("person_id"), changed_at__lt=moment
        ).order_by("-changed_at", "-id")
        rows = (
            base.filter(person__created_at__lt=moment)
            .annotate(
                level_then=Coalesce(Subquery(last_move.values("to_level")[:1]), Value("member"))
            )
            .filter(level_then__in=LEADER_LEVELS)
            .values("equity_group")
            .annotate(n=Count("pk"))
        )
        per_quarter.append({row["equity_group"]: row["n"] for row in rows})
    # Quarters do not add up (the same people in each), so each quarter is its own column
    # with its own total: the groups' counts and the quarter's total are what is suppressed.
    shown = []
    for counts in per_quarter:
        column = [[counts.get(code, 0)] for code, _label in columns]
        mask = suppress(column)
        values = [row[0] for row in column] + [sum(row[0] for row in column)]
        shown.append([None if mask[i][0] else values[i] for i in range(len(values))])
    return Table(
        [label for _c, label in columns],
        [quarter_label(end) for end in ends],
        [[quarter[i] for quarter in shown] for i in range(len(columns))],
        [quarter[-1] for quarter in shown],
    )


def people_in_view(user, congregation: Congregation | None = None) -> int:
    """How many people the report is about (shared or not): the coverage line's denominator.
    Who shared is the ladder table's grand total, suppressed like any other count."""
    people = people_visible_to(user)
    if congregation is not None:
        people = people.filter(memberships__congregation=congregation)
    return people.count()


def report_allowed(user) -> bool:
    """Admins and organizers: leads and leaders are peers of the people counted."""
    return access.is_organizing_staff(user)
