"""Dues pages: the network page /dues/, a congregation's statement, and the admin's forms.

Reads go through the dues selectors (a lead sees only their own congregations). The house rule:
a congregation outside your scope is a 404; one inside it whose dues are not yours to see (a
leader's) or to post (anyone but an admin) is a 403.
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from conect import access
from conect.fragments import TOPICS, rendered_body
from conect.spreadsheet import neutralise

from . import services
from .charts import month_bars
from .fiscal import fiscal_year_label, fiscal_year_of
from .forms_dues import AdjustmentForm, OtherIncomeForm, PaymentForm, ReversalForm
from .models import EntryKind
from .selectors import (
    congregations_visible_to,
    congregations_with_dues,
    dues_by_month,
    dues_congregations_visible_to,
    dues_fiscal_years,
    dues_network_totals,
    dues_statement,
    ledger_entries_visible_to,
    other_income_visible_to,
)


def _require_admin(user) -> None:
    if not access.is_admin(user):
        raise PermissionDenied


def _require_dues_reader(user) -> None:
    if not access.is_staff_or_lead(user):
        raise PermissionDenied


def _congregation(request, slug):
    """The congregation at `slug` with its dues figures: 404 outside the user's scope, 403
    inside it for a role that does not see dues."""
    visible = congregations_with_dues(congregations_visible_to(request.user))
    congregation = get_object_or_404(visible.select_related("dues_tier"), slug=slug)
    _require_dues_reader(request.user)
    return congregation


@require_GET
def dues_network(request):
    """Every visible congregation's standing, the totals and the months' chart. Exact: the
    ledger is written only through the ORM and requests, both of which drop this cached
    fragment before the page is read again (conect.fragments)."""
    _require_dues_reader(request.user)
    today = timezone.localdate()

    def build() -> dict:
        visible = dues_congregations_visible_to(request.user)
        congregations = list(congregations_with_dues(visible).select_related("dues_tier"))
        return {
            "congregations": congregations,
            "totals": dues_network_totals(congregations),
            "chart": month_bars(dues_by_month(visible)),
            "is_admin": access.is_admin(request.user),
            "fiscal_year": fiscal_year_label(fiscal_year_of(today)),
        }

    body = rendered_body(
        request, "dues", TOPICS, "congregations/_dues_network_body.html", build, parts=[today]
    )
    return render(request, "congregations/dues_network.html", {"body": body})


def _statement_year(request, congregation) -> int | None:
    """?year=2026 for one fiscal year, ?year=all for everything; default the current year."""
    value = request.GET.get("year", "")
    if value == "all":
        return None
    if value.isdigit() and 2000 <= int(value) <= 2200:
        return int(value)
    return congregation.dues.fiscal_year


@require_GET
def congregation_dues(request, slug):
    congregation = _congregation(request, slug)
    year = _statement_year(request, congregation)
    opening, entries = dues_statement(congregation, fiscal_year=year)
    years = dues_fiscal_years(congregation)
    context = {
        "congregation": congregation,
        "year": year,
        "years": sorted(set(years) | {congregation.dues.fiscal_year}, reverse=True),
        "opening": opening,
        "entries": list(entries),
        "is_admin": access.is_admin(request.user),
    }
    return render(request, "congregations/dues_statement.html", context)


@require_GET
def congregation_dues_csv(request, slug):
    congregation = _congregation(request, slug)
    year = _statement_year(request, congregation)
    opening, entries = dues_statement(congregation, fiscal_year=year)
    services.dues_statement_export_record(
        congregation=congregation, fiscal_year=year, by=request.user
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    suffix = fiscal_year_label(year) if year else "all"
    response["Content-Disposition"] = (
        f'attachment; filename="dues-{congregation.slug}-{suffix}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        ["entry", "date", "fiscal_year", "kind", "memo", "method", "reference", "reverses"]
        + ["amount", "running_balance", "created_by", "created_at"]
    )
    if year is not None:
        writer.writerow(
            ["", "", year, "opening_balance", "", "", "", "", "", f"{opening / 100:.2f}"]
        )
    for entry in entries:
        writer.writerow(
            [
                entry.pk,
                entry.effective_on.isoformat(),
                entry.fiscal_year,
                entry.kind,
                neutralise(entry.memo),
                entry.method,
                neutralise(entry.reference),
                entry.reverses_id or "",
                f"{entry.amount_cents / 100:.2f}",
                f"{entry.running_balance / 100:.2f}",
                entry.created_by.email if entry.created_by else "system",
                entry.created_at.isoformat(),
            ]
        )
    return response


@require_http_methods(["GET", "POST"])
def payment_new(request, slug):
    congregation = _congregation(request, slug)
    _require_admin(request.user)
    form = PaymentForm(request.POST or None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry, created = services.ledger_payment_record(
                congregation=congregation,
                amount_cents=form.amount_cents(),
                received_on=data["received_on"],
                method=data["method"],
                reference=data["reference"],
                memo=data["memo"],
                idempotency_key=data["idempotency_key"],
                duplicate_reason=data["duplicate_reason"] if data["record_anyway"] else "",
                by=request.user,
            )
        except services.DuplicatePayment as refusal:
            duplicate = refusal.first  # the page links to it and offers "record it anyway"
            if data["record_anyway"]:
                form.add_error("duplicate_reason", _("Say why it is another payment."))
        except services.LedgerError as error:
            form.add_error(None, str(error))
        else:
            if created:
                message = _("Payment recorded (entry #%(pk)s).")
            else:
                message = _("This payment was already recorded (entry #%(pk)s).")
            messages.success(request, message % {"pk": entry.pk})
            return redirect(congregation.get_dues_url())
    context = {
        "congregation": congregation,
        "form": form,
        "title": _("Record a payment"),
        "duplicate": duplicate,
        "duplicate_paid_cents": -duplicate.amount_cents if duplicate else 0,
        "override_fields": "record_anyway,duplicate_reason",
    }
    status = 400 if duplicate else _status(request, form)
    return render(request, "congregations/dues_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def adjustment_new(request, slug):
    congregation = _congregation(request, slug)
    _require_admin(request.user)
    form = AdjustmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.ledger_adjustment_post(
                congregation=congregation,
                amount_cents=form.amount_cents(),
                effective_on=data["effective_on"],
                memo=data["memo"],
                idempotency_key=data["idempotency_key"],
                by=request.user,
            )
        except services.LedgerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Adjustment posted."))
            return redirect(congregation.get_dues_url())
    context = {"congregation": congregation, "form": form, "title": _("Post an adjustment")}
    return render(request, "congregations/dues_form.html", context, status=_status(request, form))


@require_http_methods(["GET", "POST"])
def entry_reverse(request, slug, pk):
    congregation = _congregation(request, slug)
    _require_admin(request.user)
    entries = ledger_entries_visible_to(request.user).filter(congregation=congregation)
    entry = get_object_or_404(entries.exclude(kind=EntryKind.REVERSAL), pk=pk)
    form = ReversalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ledger_entry_reverse(
                entry=entry, memo=form.cleaned_data["memo"], by=request.user
            )
        except services.LedgerError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Entry #%(pk)s reversed.") % {"pk": entry.pk})
            return redirect(congregation.get_dues_url())
    context = {
        "congregation": congregation,
        "form": form,
        "entry": entry,
        "title": _("Reverse entry #%(pk)s") % {"pk": entry.pk},
    }
    return render(request, "congregations/dues_form.html", context, status=_status(request, form))


def _status(request, form) -> int:
    return 400 if request.method == "POST" and form.errors else 200


@require_GET
def income_list(request):
    _require_admin(request.user)
    income = other_income_visible_to(request.user)
    return render(request, "congregations/dues_income.html", {"income": income})


@require_http_methods(["GET", "POST"])
def income_new(request):
    _require_admin(request.user)
    form = OtherIncomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in OtherIncomeForm.Meta.fields}
        services.other_income_record(
            by=request.user, amount_cents=form.instance.amount_cents, **data
        )
        messages.success(request, _("Income recorded."))
        return redirect("dues:income_list")
    context = {"form": form, "title": _("Record other income")}
    return render(request, "congregations/dues_form.html", context, status=_status(request, form))
