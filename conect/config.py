"""CONECT's organizing rules and timings: `conect_setting(name)` is the one way to read them.

The defaults live here, once; `settings.CONECT` (env-driven, conect/settings.py) overrides them,
and tests override `settings.CONECT` alone. The ground floor: imports no app.
"""

from typing import Any

from django.conf import settings

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
    "FORMAL_EVALUATION_DAYS": (7, 10),
    "COMMITMENT_NOTICE_DAYS": 7,
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
