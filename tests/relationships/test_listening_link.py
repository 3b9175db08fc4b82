"""The roll-up's link tag writes its links directly (issue 16): the same HTML that
format_html over an urlencoded query gives, for every combination of filters."""

import datetime
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils.html import format_html

TAG = Template(
    "{% load listening %}{% listening_link issue n congregation=congregation month=month %}"
)


def reference(issue, n, congregation, month, filters) -> str:
    """The tag as it was: urlencode and format_html."""
    if not n:
        return "0"
    query = {"issue": issue.pk}
    if month:
        query["month"] = month.strftime("%Y-%m-%d")
    where = congregation or filters.get("congregation")
    if where:
        query["congregation"] = where.pk
    for key in ("since", "until"):
        if filters.get(key):
            query[key] = filters[key].strftime("%Y-%m-%d")
    url = reverse("relationships:listening_meetings")
    return format_html('<a href="{}?{}">{}</a>', url, urlencode(query), n)


ISSUE, HERE, THERE = SimpleNamespace(pk=7), SimpleNamespace(pk=3), SimpleNamespace(pk=12)
OCT = datetime.date(2026, 10, 1)


@pytest.mark.parametrize("n", [0, 1, 1500])
@pytest.mark.parametrize("congregation", [None, HERE])
@pytest.mark.parametrize("month", [None, OCT])
@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"congregation": THERE},
        {"since": datetime.date(2026, 1, 5)},
        {"congregation": THERE, "since": datetime.date(2026, 1, 5), "until": OCT},
        {"until": OCT, "since": None},
    ],
)
def test_the_link_is_what_format_html_gave(n, congregation, month, filters):
    form = SimpleNamespace(cleaned_data=filters)
    context = {"issue": ISSUE, "n": n, "congregation": congregation, "month": month}
    html = TAG.render(Context({**context, "form": form}))
    assert html == reference(ISSUE, n, congregation, month, filters)


def test_without_a_form_the_link_has_no_filters():
    html = TAG.render(Context({"issue": ISSUE, "n": 2, "congregation": None, "month": None}))
    assert html == f'<a href="{reverse("relationships:listening_meetings")}?issue=7">2</a>'
