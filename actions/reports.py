"""Reports: turnout per congregation per quarter, commitments kept per target, campaigns by
stage. Each is a list of rows (for the SVG chart and the CSV) built from scoped selectors."""

from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from campaigns.models import Stage
from campaigns.selectors import campaigns_visible_to, targets_with_scorecard

from .selectors import turnout_by_quarter


def turnout_report(user) -> tuple[list[str], list[list]]:
    rows = turnout_by_quarter(user)
    header = [_("Quarter"), _("Congregation"), _("Pledged"), _("Actual")]
    return header, [[r["quarter"], r["congregation"], r["pledged"], r["actual"]] for r in rows]


def commitments_report(user) -> tuple[list[str], list[list]]:
    targets: Any = targets_with_scorecard(user).filter(asks__gt=0).order_by("name")  # type: ignore[misc]
    header = [_("Target"), _("Office"), _("Asks"), _("Promised"), _("Kept"), _("Broken")]
    return header, [
        [t.name, f"{t.office}, {t.jurisdiction}", t.asks, t.promised_count]
        + [t.kept_count, t.broken_count]
        for t in targets
    ]


def stages_report(user) -> tuple[list[str], list[list]]:
    counts = dict(
        campaigns_visible_to(user)
        .values_list("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    return [_("Stage"), _("Campaigns")], [
        [stage.label, counts.get(stage.value, 0)] for stage in Stage
    ]


REPORTS = {
    "turnout": turnout_report,
    "commitments": commitments_report,
    "stages": stages_report,
}
