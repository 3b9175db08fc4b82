from django.contrib import admin

from .models import Campaign, CampaignStageChange, Commitment, Issue, ResearchAction, Target


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


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["name", "office", "jurisdiction"]
    search_fields = ["name", "office", "jurisdiction"]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["target", "answer", "status", "due_on"]
    list_filter = ["answer", "status"]
    raw_id_fields = ["target", "campaign", "action", "recorded_by"]


@admin.register(ResearchAction)
class ResearchActionAdmin(admin.ModelAdmin):
    list_display = ["campaign", "met_with", "held_on"]
    raw_id_fields = ["campaign", "target", "who_went", "recorded_by"]
