from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from . import services
from .forms import TargetForm
from .models import (
    Campaign,
    CampaignStageChange,
    Commitment,
    CommitmentStatus,
    Issue,
    ResearchAction,
    Target,
)


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["name", "heard_from_label", "created_at"]
    search_fields = ["name"]


class StageChangeInline(admin.TabularInline):
    model = CampaignStageChange
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "reason", "changed_by", "changed_at"]
    can_delete = False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "issue", "stage", "lead_organizer"]
    list_filter = ["stage"]
    search_fields = ["name"]
    # The stage moves only through campaign_stage_change, so history rows stay true.
    readonly_fields = ["stage", "stage_changed_at"]
    autocomplete_fields = ["issue"]
    raw_id_fields = ["leaders", "lead_organizer"]
    filter_horizontal = ["congregations"]
    inlines = [StageChangeInline]


class TargetAdminForm(TargetForm):
    ask_only_when_needed = False  # the admin builds its fieldsets from the form's base fields


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    form = TargetAdminForm
    list_display = ["name", "office", "jurisdiction"]
    search_fields = ["name", "office", "jurisdiction"]


class CommitmentAdminForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = [
            "target",
            "campaign",
            "action",
            "ask",
            "answer",
            "due_on",
            "status",
            "evidence",
            "recorded_by",
            "created_at",
        ]

    def clean(self):
        data = super().clean()
        # The same rule as the target page: kept or broken needs evidence.
        try:
            services.commitment_status_check(
                status=data.get("status", ""),
                evidence=data.get("evidence", ""),
                answer=data.get("answer", ""),
            )
        except ValidationError as error:
            self.add_error(None, error)
        return data


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    form = CommitmentAdminForm
    list_display = ["target", "answer", "status", "due_on"]
    list_filter = ["answer", "status"]
    raw_id_fields = ["target", "campaign", "action", "recorded_by"]
    readonly_fields = ["status_changed_at", "status_changed_by"]

    def save_model(self, request, obj, form, change):
        if not {"status", "evidence"} & set(form.changed_data):
            return super().save_model(request, obj, form, change)
        # Status and evidence change only through the service, which records who and when.
        status, evidence = obj.status, obj.evidence
        obj.status = form.initial.get("status", CommitmentStatus.OPEN)
        obj.evidence = form.initial.get("evidence", "")
        super().save_model(request, obj, form, change)
        services.commitment_set_status(
            commitment=obj, status=status, evidence=evidence, by=request.user
        )


@admin.register(ResearchAction)
class ResearchActionAdmin(admin.ModelAdmin):
    list_display = ["campaign", "met_with", "held_on"]
    raw_id_fields = ["campaign", "target", "who_went", "recorded_by"]
