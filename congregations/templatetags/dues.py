"""Template filters for money in integer cents, and who sees dues."""

from django import template

from conect import access
from congregations.fiscal import fiscal_year_label

register = template.Library()


@register.filter
def sees_dues(user) -> bool:
    """The dues rule of congregations.selectors.dues_congregations_visible_to, for templates."""
    return access.is_staff_or_lead(user)


@register.filter
def money(cents) -> str:
    """12345 → "$123.45"; whole dollars drop the cents (180000 → "$1,800"); negatives "−$5"."""
    if cents in (None, ""):
        return ""
    cents = int(cents)
    sign = "−" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}" + (f".{rest:02d}" if rest else "")


@register.filter
def money_exact(cents) -> str:
    """Always with cents, for statements and CSV: 180000 → "1,800.00"."""
    cents = int(cents or 0)
    sign = "−" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}.{rest:02d}"


@register.filter
def fy(year) -> str:
    return fiscal_year_label(int(year))
