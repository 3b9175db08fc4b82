"""The roll-up's numbers as links to the meetings behind them: one tag, built in Python, because
the page has well over a thousand of them and an included template per number made rendering
the slowest part of /listening/ (issue 16). Every value in the link is an id, a date or a
count, so it is written directly: no urlencode or format_html per number (they were half of a
cold render of the page at 1M people). tests/relationships/test_listening_link.py holds it to
what those would give."""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString

register = template.Library()


def _shared(context) -> tuple[str, int | None, str]:
    """Per render: the drill-down's address, the page's congregation filter and its dates."""
    shared = context.render_context.get("listening_link")
    if shared is None:
        filters = getattr(context.get("form"), "cleaned_data", None) or {}
        where = filters.get("congregation")
        dates = "".join(
            f"&amp;{key}={filters[key]:%Y-%m-%d}" for key in ("since", "until") if filters.get(key)
        )
        base = escape(reverse("relationships:listening_meetings"))
        shared = (base, int(where.pk) if where else None, dates)
        context.render_context["listening_link"] = shared
    return shared


@register.simple_tag(takes_context=True)
def listening_link(context, issue, n, *, congregation=None, month=None) -> str:
    """`n`, linked to the meetings where `issue` was heard (in `congregation`, in `month`,
    within the page's filters); a plain 0 when there are none."""
    if not n:
        return "0"
    base, filtered, dates = _shared(context)
    query = f"issue={int(issue.pk)}"
    if month:
        query += f"&amp;month={month:%Y-%m-%d}"
    where = int(congregation.pk) if congregation else filtered
    if where:
        query += f"&amp;congregation={where}"
    return SafeString(f'<a href="{base}?{query}{dates}">{int(n)}</a>')
