"""Interfaith calendar warnings for scheduling an action.

Weekly worship times are rules (Jumu'ah, Shabbat, Sunday morning); holy days are computed for the
year asked, never a hard-coded list: Christian from the Easter computus (dateutil), Jewish from the
Hebrew calendar and Muslim from the tabular Islamic calendar (convertdate), Sikh from the
`holidays` package's Indian calendar. Islamic dates depend on the moon being sighted, so the day
before and after are flagged too. A warning names the participating congregations affected; it
never blocks scheduling.
"""

import datetime
from dataclasses import dataclass, field
from functools import lru_cache

import holidays
from convertdate import hebrew, islamic
from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN, easter
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from congregations.models import Tradition

# Which traditions keep Sunday-morning worship.
SUNDAY_WORSHIP = {Tradition.CHRISTIAN, Tradition.QUAKER, Tradition.UNITARIAN}
JUMUAH = (datetime.time(12, 0), datetime.time(14, 30))
SHABBAT_STARTS = datetime.time(16, 0)  # Friday: candle lighting is as early as 4 pm in winter
SHABBAT_ENDS = datetime.time(21, 0)  # Saturday: havdalah is as late as 9 pm in summer
SUNDAY_MORNING = (datetime.time(8, 0), datetime.time(13, 0))


@dataclass
class CalendarWarning:
    reason: str
    tradition: str
    congregations: list = field(default_factory=list)


def _christian(year: int) -> dict[datetime.date, str]:
    western = easter(year, EASTER_WESTERN)
    return {
        datetime.date(year, 12, 25): str(_("Christmas")),
        datetime.date(year, 12, 24): str(_("Christmas Eve")),
        western - datetime.timedelta(days=46): str(_("Ash Wednesday")),
        western - datetime.timedelta(days=7): str(_("Palm Sunday")),
        western - datetime.timedelta(days=2): str(_("Good Friday")),
        western: str(_("Easter")),
        western + datetime.timedelta(days=49): str(_("Pentecost")),
        easter(year, EASTER_ORTHODOX): str(_("Orthodox Easter")),
    }


def _hebrew(year: int, month: int, day: int, shift: int = 0) -> datetime.date:
    return datetime.date(*hebrew.to_gregorian(year, month, day)) + datetime.timedelta(days=shift)


def _jewish(year: int) -> dict[datetime.date, str]:
    """Holy days of the Hebrew years overlapping `year`; each begins the evening before."""
    days: dict[datetime.date, str] = {}
    spring, autumn = year + 3760, year + 3761  # Nisan of `spring` and Tishrei of `autumn`
    named = [
        (spring, 1, 15, _("Passover")),
        (spring, 1, 16, _("Passover")),
        (spring, 3, 6, _("Shavuot")),
        (autumn, 7, 1, _("Rosh Hashanah")),
        (autumn, 7, 2, _("Rosh Hashanah")),
        (autumn, 7, 10, _("Yom Kippur")),
        (autumn, 7, 15, _("Sukkot")),
    ]
    for hyear, month, day, name in named:
        date = _hebrew(hyear, month, day)
        days[date] = str(name)
        days.setdefault(date - datetime.timedelta(days=1), str(_("Eve of %(day)s") % {"day": name}))
    return days


def _muslim(year: int) -> dict[datetime.date, str]:
    days: dict[datetime.date, str] = {}
    first = islamic.from_gregorian(year, 1, 1)[0]
    for iyear in (first, first + 1):
        for month, day, name in ((10, 1, _("Eid al-Fitr")), (12, 10, _("Eid al-Adha"))):
            date = datetime.date(*islamic.to_gregorian(iyear, month, day))
            for shift in (-1, 1):  # the moon sighting may move it a day
                days.setdefault(date + datetime.timedelta(days=shift), str(name))
            days[date] = str(name)
    return days


def _sikh(year: int) -> dict[datetime.date, str]:
    india = holidays.India(years=year, categories=("public", "optional"), language="en_US")
    wanted = {"Vaisakhi": _("Vaisakhi"), "Guru Nanak's Birthday": _("Guru Nanak Gurpurab")}
    days = {}
    for date, names in india.items():
        for english, label in wanted.items():
            if english in names:
                days[date] = str(label)
    return days


@lru_cache(maxsize=64)
def holy_days(year: int, language: str = "en") -> dict[str, dict[datetime.date, str]]:
    """{tradition: {date: name}} for a year (cached per language: names are translated)."""
    return {
        Tradition.CHRISTIAN: _christian(year),
        Tradition.JEWISH: _jewish(year),
        Tradition.MUSLIM: _muslim(year),
        Tradition.SIKH: _sikh(year),
    }


def _overlaps(start: datetime.datetime, end: datetime.datetime, lo, hi) -> bool:
    return start < hi and lo < end


def _windows(start: datetime.datetime, end: datetime.datetime):
    """Weekly worship windows (tradition, reason, from, to) touching [start, end], local time."""
    tz = start.tzinfo
    day = start.date() - datetime.timedelta(days=1)
    while day <= end.date():
        at = lambda d, t: datetime.datetime.combine(d, t, tzinfo=tz)  # noqa: E731
        if day.weekday() == 4:  # Friday
            yield (
                Tradition.MUSLIM,
                _("Jumu'ah (Friday midday prayer)"),
                at(day, JUMUAH[0]),
                at(day, JUMUAH[1]),
            )
            saturday = day + datetime.timedelta(days=1)
            yield (
                Tradition.JEWISH,
                _("Shabbat (Friday evening to Saturday evening)"),
                at(day, SHABBAT_STARTS),
                at(saturday, SHABBAT_ENDS),
            )
        if day.weekday() == 6:  # Sunday
            for tradition in SUNDAY_WORSHIP:
                yield (
                    tradition,
                    _("Sunday morning worship"),
                    at(day, SUNDAY_MORNING[0]),
                    at(day, SUNDAY_MORNING[1]),
                )
        day += datetime.timedelta(days=1)


def calendar_warnings(starts_at, ends_at, congregations) -> list[CalendarWarning]:
    """Warnings for an action at [starts_at, ends_at] with these participating congregations.

    Each names the congregations affected; a conflict for a tradition with no participating
    congregation is still reported (with an empty list) so a planner sees it before inviting more.
    """
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at or starts_at)
    by_tradition: dict[str, list] = {}
    for congregation in congregations:
        by_tradition.setdefault(congregation.tradition, []).append(congregation)
    found: dict[tuple[str, str], CalendarWarning] = {}

    def add(tradition, reason):
        key = (tradition, str(reason))
        if key not in found:
            found[key] = CalendarWarning(str(reason), tradition, by_tradition.get(tradition, []))

    for tradition, reason, lo, hi in _windows(start, end):
        if _overlaps(start, end, lo, hi):
            add(tradition, reason)
    day = start.date()
    while day <= end.date():
        for tradition, dates in holy_days(day.year, get_language() or "en").items():
            if day in dates:
                add(tradition, dates[day])
        day += datetime.timedelta(days=1)
    # Merge Sunday worship across the three traditions that share it into one line per tradition.
    return sorted(found.values(), key=lambda w: (not w.congregations, w.tradition, w.reason))
