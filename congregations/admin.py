from django.contrib import admin

from conect.admin import AuditedAdmin, ReadOnlyAdmin, become_saved_row

from . import services
from .models import Congregation, DuesTier, LedgerEntry, Membership, OtherIncome
from .selectors import congregations_visible_to


@admin.register(Congregation)
class CongregationAdmin(admin.ModelAdmin):
    list_display = ("name", "tradition", "town", "status", "dues_tier", "joined_on")
    list_filter = ("tradition", "status", "dues_tier")
    search_fields = ("name", "town", "denomination")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        # Scoped like the app (issue 3), so a narrower admin role later sees only its share.
        return congregations_visible_to(request.user)


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("person", "congregation", "is_primary", "role")
    list_filter = ("role", "is_primary", "congregation")
    list_select_related = ("person", "congregation")
    raw_id_fields = ("person",)
    search_fields = ("person__last_name", "person__first_name", "congregation__name")

    def get_queryset(self, request):
        visible = congregations_visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(congregation__in=visible)


@admin.register(DuesTier)
class DuesTierAdmin(admin.ModelAdmin):
    list_display = ("name", "annual_amount_cents", "description")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(AuditedAdmin, ReadOnlyAdmin):
    """Read-only: the ledger is append-only, corrections are reversals posted in the app."""

    list_display = (
        "id",
        "effective_on",
        "congregation",
        "kind",
        "amount_cents",
        "fiscal_year",
        "created_by",
        "created_at",
    )
    list_filter = ("kind", "fiscal_year", "method")
    list_select_related = ("congregation", "created_by")
    search_fields = ("congregation__name", "memo", "reference", "idempotency_key")
    date_hierarchy = "effective_on"
    audit_person_field = None


@admin.register(OtherIncome)
class OtherIncomeAdmin(AuditedAdmin):
    list_display = ("received_on", "donor", "kind", "source", "amount_cents", "restricted")
    list_filter = ("kind", "source", "restricted")
    search_fields = ("donor", "memo")
    readonly_fields = ("created_by", "created_at")
    audit_person_field = None

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        income = services.other_income_record(by=request.user, **form.cleaned_data)
        become_saved_row(obj, income)
