"""Pages over lists that may hold a million rows: the count stops at a bound, so a page never
counts the whole table, and the page links stop there too (search or filter to go further)."""

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import Count, Window

from conect.fragments import cached_value

from .selectors import network_ladder_counts

COUNT_BOUND = 10_000
MAX_PAGE = 10_000  # a typed page number past any real list is read as the last we would offer


def network_people() -> int | None:
    """The network's people (not archived) from the ladder tallies (members.LadderTally,
    recounted every minute, so up to a minute behind), kept in the cache until people change;
    None before the first recount."""

    def tallied() -> int:
        counts = network_ladder_counts()
        return sum(counts.values()) if counts else -1  # the cache cannot keep None

    total = cached_value("network-people", ("people",), tallied)
    return None if total < 0 else total


class BoundedPaginator(Paginator):
    """A Paginator whose count is min(rows, bound): one `SELECT count(*) FROM (… LIMIT bound+1)`
    instead of a count of everything. `is_bounded` says the list goes on past the bound.

    `known` is the list's size when the caller has it without counting (the whole network's
    people, from the tallies): past the bound, nothing is counted. Under the bound it is not
    trusted (a minute behind, the last page would be off), and the list is counted."""

    def __init__(
        self, object_list, per_page, *, bound: int | None = None, known: int | None = None, **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.bound = COUNT_BOUND if bound is None else bound
        self.known = known

    @cached_property
    def _rows_up_to_bound(self) -> int:
        if self.known is not None and self.known > self.bound:
            return self.bound + 1
        # Unordered: with its ORDER BY the count walked the name index and fetched 10,001 rows
        # from the heap in name order (270 ms at 1,000,000 people); without it, the first
        # 10,001 rows found (13 ms; bench/plans/people-organizer.txt).
        rows = self.object_list.order_by()  # type: ignore[attr-defined]
        return rows[: self.bound + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._rows_up_to_bound, self.bound)

    @property
    def is_bounded(self) -> bool:
        return self._rows_up_to_bound > self.bound


class CountedPaginator(BoundedPaginator):
    """A BoundedPaginator over `values()` rows that reads its page and the list's count in one
    query: each row carries `COUNT(*) OVER ()`. For searches, which find their matches through
    the trigram indexes and sort them all anyway: a separate count found them a second time
    (at 1,000,000 people half of `/people/?q=smith`'s SQL). A page past the end falls back to
    the bounded count to find the last page. Pages hold the row dicts."""

    matches = "directory_matches"

    def __init__(self, object_list, per_page, **kwargs):
        rows = object_list.annotate(**{self.matches: Window(Count("*"))})
        super().__init__(rows, per_page, **kwargs)
        self._fetched: dict[int, list[dict]] = {}

    def _fetch(self, number: int) -> list[dict]:
        if number not in self._fetched:
            bottom = (number - 1) * self.per_page
            self._fetched[number] = list(self.object_list[bottom : bottom + self.per_page])
        return self._fetched[number]

    def get_page(self, number):
        try:
            wanted = min(max(1, int(number)), MAX_PAGE)
        except (TypeError, ValueError):
            wanted = 1
        rows = self._fetch(wanted)
        if rows or wanted == 1:  # the count came with the page: no count query
            self.__dict__["_rows_up_to_bound"] = rows[0][self.matches] if rows else 0
        return super().get_page(wanted)

    def page(self, number):
        number = self.validate_number(number)
        return self._get_page(self._fetch(number), number, self)


class UncountedPage:
    """A page of a list that is never counted: one query for `per_page + 1` rows says whether
    a next page exists. For lists whose count would cost more than the page (the duplicate
    queue filtered to one congregation: a count walks every pair of the network)."""

    def __init__(self, object_list, per_page: int, number) -> None:
        try:
            self.number = min(max(1, int(number)), MAX_PAGE)
        except (TypeError, ValueError):
            self.number = 1
        start = (self.number - 1) * per_page
        rows = list(object_list[start : start + per_page + 1])
        self.object_list = rows[:per_page]
        self._has_next = len(rows) > per_page

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1
