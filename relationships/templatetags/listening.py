"""The roll-up's numbers as links to the meetings behind them: one tag, built in Python, because
the page has well over a thousand of them and an included template per number made rendering
the slowest part of /listening/ (issue 16)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def listening_link(context, issue, n, *, congregation=None, month=None) -> str:
    """`n`, linked to the meetings where `issue` was heard (in `congregation`, in `month`,
    within the page's filters); a plain 0 when there are none."""
    if not n:
        return "0"
    filters = getattr(context.get("form"), "cleaned_data", None) or {}
    query = {"issue": issue.pk}
    if month:
        query["month"] = month.strftime("%Y-%m-%d")
    where = congregation or filters.get("congregation")
    if where:
        query["congregation"] = where.pk
    for key in ("since", "until"):
        if filters.get(key):
            query[key] = filters[key].strftime("%Y-%m-%d")
    base = context.render_context.get("listening_url")
    if base is None:
        base = context.render_context["listening_url"] = reverse("relationships:listening_meetings")
    return format_html('<a href="{}?{}">{}</a>', base, urlencode(query), n)
