"""Fiscal years (the start month is conect_setting("FISCAL_YEAR_START_MONTH")).

A fiscal year is named by the calendar year it ends in: with the default July start, FY2026
("FY26") runs from 1 July 2025 to 30 June 2026.
"""

import datetime

from conect.config import conect_setting


def fiscal_year_of(day: datetime.date) -> int:
    start = conect_setting("FISCAL_YEAR_START_MONTH")
    return day.year + 1 if start > 1 and day.month >= start else day.year


def fiscal_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of fiscal year `year`."""
    start_month = conect_setting("FISCAL_YEAR_START_MONTH")
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
