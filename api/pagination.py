"""Pages as Action Network v2 sends them: `page`, `per_page` (25 at most), `total_pages`,
`total_records`, next/previous links. A page past the end is empty, not an error: clients
(Parsons among them) read pages until one comes back empty."""

import hashlib
import math
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from conect.fragments import TOPICS, cached_value

MAX_PER_PAGE = 25


def _positive(request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValidationError({name: _("A whole number, 1 or more.")})
    return value


@dataclass
class Page:
    objects: list
    meta: dict[str, Any]


def total_of(queryset: QuerySet) -> int:
    """The list's `total_records`: counted once, then kept until any write to what the API lists
    bumps the fragments' topics (conect.fragments): exact, without counting a million people on
    every page a client reads. The key is the count's own SQL, so each scope and filter has its
    own."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # .none(): nobody in scope
        return 0
    digest = hashlib.blake2s(repr((sql, params)).encode(), digest_size=12).hexdigest()
    return cached_value("api-count", TOPICS, queryset.count, parts=[digest])


def page_of(request, queryset: QuerySet, *, total: int | None = None) -> Page:
    """The page the request asks for. `total` is the list's size when the caller knows it
    without counting (the whole network's people, from the tallies, up to a minute behind):
    then the page is read whatever it says, and the next link follows the rows, not the total."""
    page = _positive(request, "page", 1)
    per_page = min(_positive(request, "per_page", MAX_PER_PAGE), MAX_PER_PAGE)
    counted = total is None
    total = total_of(queryset) if total is None else total
    start = (page - 1) * per_page
    # One row past the page says whether a next page exists.
    rows = list(queryset[start : start + per_page + 1]) if start < total or not counted else []
    objects, has_next = rows[:per_page], len(rows) > per_page
    if rows:  # a tally behind the rows is not shown as less than they prove
        total = max(total, start + len(rows))
    total_pages = math.ceil(total / per_page)
    links = {"self": {"href": _with(request, page, per_page)}}
    if has_next:
        links["next"] = {"href": _with(request, page + 1, per_page)}
    if 1 < page <= total_pages + 1:
        links["previous"] = {"href": _with(request, page - 1, per_page)}
    meta = {
        "total_pages": total_pages,
        "per_page": per_page,
        "page": page,
        "total_records": total,
        "_links": links,
    }
    return Page(objects, meta)


def _with(request, page: int, per_page: int) -> str:
    query = request.query_params.copy()
    query["page"] = str(page)
    query["per_page"] = str(per_page)
    return request.build_absolute_uri(request.path) + "?" + query.urlencode()
