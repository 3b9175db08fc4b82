"""Pages over lists that may hold a million rows: the count stops at a bound, so a page never
counts the whole table, and the page links stop there too (search or filter to go further)."""

from functools import cached_property

from django.core.paginator import Paginator

COUNT_BOUND = 10_000


class BoundedPaginator(Paginator):
    """A Paginator whose count is min(rows, bound): one `SELECT count(*) FROM (… LIMIT bound+1)`
    instead of a count of everything. `is_bounded` says the list goes on past the bound."""

    def __init__(self, object_list, per_page, *, bound: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.bound = COUNT_BOUND if bound is None else bound

    @cached_property
    def _rows_up_to_bound(self) -> int:
        return self.object_list[: self.bound + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._rows_up_to_bound, self.bound)

    @property
    def is_bounded(self) -> bool:
        return self._rows_up_to_bound > self.bound
