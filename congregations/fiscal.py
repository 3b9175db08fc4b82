"""Fiscal years and the dues settings (settings.CONECT, with defaults).

A fiscal year is named by the calendar year it ends in: with the default July start, FY2026
("FY26") runs from 1 July 2025 to 30 June 2026.
"""

import datetime

from django.conf import settings

DEFAULTS = {
    "FISCAL_YEAR_START_MONTH": 7,
    # A congregation is "in arrears" when part of its balance has been owed longer than this.
    "DUES_ARREARS_DAYS": 90,
}


def dues_setting(name: str) -> int:
    return getattr(settings, "CONECT", {}).get(name, DEFAULTS[name])


def fiscal_year_of(day: datetime.date) -> int:
    start = dues_setting("FISCAL_YEAR_START_MONTH")
    return day.year + 1 if start > 1 and day.month >= start else day.year


def fiscal_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of fiscal year `year`."""
    start_month = dues_setting("FISCAL_YEAR_START_MONTH")
    first = datetime.date(year - 1 if start_month > 1 else year, start_month, 1)
    next_first = datetime.date(first.year + 1, first.month, 1)
    return first, next_first - datetime.timedelta(days=1)


def fiscal_year_label(year: int) -> str:
    return f"FY{year % 100:02d}"


def months_remaining(year: int, joined_on: datetime.date | None) -> int:
    """Months of fiscal year `year` a congregation is a member for (the month it joins counts in
    full); 12 when it joined before the year began, 0 when it joins after the year ends."""
    first, last = fiscal_year_bounds(year)
    if joined_on is None or joined_on <= first:
        return 12
    if joined_on > last:
        return 0
    return 12 - ((joined_on.year - first.year) * 12 + joined_on.month - first.month)
