"""CONECT's organizing rules and timings: `conect_setting(name)` is the one way to read them.

The defaults live here, once; `settings.CONECT` (env-driven, conect/settings.py) overrides them,
and tests override `settings.CONECT` alone. The ground floor: imports no app.
"""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS: dict[str, Any] = {
    # Relationships: leaders not met for this long are "going cold".
    "GOING_COLD_DAYS": 90,
    # A weekly one-on-one target by role, when the user has set none (a lead's is for their
    # whole congregation).
    "WEEKLY_TARGET": {"organizer": 10, "lead": 5, "leader": 2, "admin": 10},
    # Reminders: absolute links in emails, daily send hour (local time), retries.
    "SITE_URL": "http://127.0.0.1:8000",
    "NOTIFY_DAILY_HOUR": 7,
    "NOTIFY_MAX_ATTEMPTS": 5,
    "NOTIFY_BACKOFF_MINUTES": 1,
    "FOLLOWUP_OVERDUE_DAYS": 3,
    "CADENCE_DAYS": 60,
    "DIGEST_WEEKDAY": 0,  # Monday
    "DIGEST_HOUR": 7,
    "ACTION_RSVP_DAYS": 2,
    "ACTION_PLEDGE_DAYS": (7, 2),
    "EVALUATION_LATE_HOURS": 48,
    # A group evaluation not recorded is reminded these many days after the action, then every
    # EVALUATION_REMINDER_EVERY_DAYS until it is recorded.
    "EVALUATION_REMINDER_DAYS": (1, 3, 7),
    "EVALUATION_REMINDER_EVERY_DAYS": 7,
    "FORMAL_EVALUATION_DAYS": (7, 10),
    "COMMITMENT_NOTICE_DAYS": 7,
    # A leader hears about their own open commitment this many days before it is due.
    "LEADER_COMMITMENT_REMINDER_DAYS": (7, 1),
    # Door check-in opens this long before an action starts and closes this long after it ends;
    # outside that window attendance is recorded "after the fact" (audited), not at the door.
    "CHECK_IN_OPENS_MINUTES_BEFORE": 120,
    "CHECK_IN_CLOSES_HOURS_AFTER": 6,
    "DUES_OVERDUE_STEPS": (30, 60, 90),
    # Old, forgotten items are not dug up by a first sweep after a deploy or a long outage.
    "LOOKBACK_DAYS": 30,
    # Dues: fiscal year start month, and days after which unpaid dues mean arrears.
    "FISCAL_YEAR_START_MONTH": 7,
    "DUES_ARREARS_DAYS": 90,
    # Sign-in (docs/security.md): two-step sign-in required of admins and network-wide
    # organizers; staff and leads signed out after this many minutes without a request (0: never).
    "MFA_REQUIRED": True,
    "STAFF_IDLE_MINUTES": 8 * 60,
    # A payment like one recorded this many days ago or less (same congregation, amount, date
    # and reference) is refused as a duplicate unless an admin says why it is another.
    "DUPLICATE_PAYMENT_DAYS": 30,
}


def conect_setting(name: str) -> Any:
    """settings.CONECT[name] when set, else the default above (KeyError for an unknown name)."""
    overrides = getattr(settings, "CONECT", {})
    return overrides[name] if name in overrides else DEFAULTS[name]


def site_url(path: str = "") -> str:
    """The absolute address of `path` on the site, from CONECT_SITE_URL: the one base for links
    in emails, calendar feeds and exports (never the Host header of whoever asked)."""
    return str(conect_setting("SITE_URL")).rstrip("/") + path


LOCAL_HOSTS = {"localhost", "0.0.0.0", "::1", "::"}  # noqa: S104 - names to refuse, not to bind


def site_url_problem(url: str | None) -> str | None:
    """Why `url` cannot be production's site address (None when it can)."""
    example = "e.g. CONECT_SITE_URL=https://organizer.conect.org"
    if not url:
        return f"CONECT_SITE_URL is not set: links in emails and calendars need it ({example})."
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return f"CONECT_SITE_URL={url!r} is not an http(s) address ({example})."
    if host in LOCAL_HOSTS or host.endswith(".localhost") or host.startswith("127."):
        return (
            f"CONECT_SITE_URL={url!r} points at this machine: links in emails and calendars "
            f"would lead nowhere for the people who get them ({example})."
        )
    return None


def require_production_settings() -> None:
    """Called as the web server, a worker or beat starts: with DEBUG off, a missing or local
    site address stops start-up with the reason (DEBUG on, a laptop, anything goes)."""
    if settings.DEBUG:
        return
    if problem := site_url_problem(getattr(settings, "CONECT", {}).get("SITE_URL")):
        raise ImproperlyConfigured(problem)
