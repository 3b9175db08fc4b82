from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from conect.admin import AuditedAdmin, become_saved_row

from . import services
from .models import (
    Action,
    Attendance,
    CalendarFeed,
    Election,
    Evaluation,
    PledgeCard,
    RegistrationDriveResult,
    TurnoutPledge,
)


class PledgeInline(admin.TabularInline):
    model = TurnoutPledge
    extra = 0
    raw_id_fields = ["congregation", "pledged_by"]


class ActionAdminForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = [
            "kind",
            "title",
            "campaign",
            "congregations",
            "starts_at",
            "ends_at",
            "place",
            "turnout_goal",
            "agenda",
            "created_at",
        ]

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("An action cannot end before it starts."))
        return cleaned


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    """Scheduled and changed through actions.services, as in the app: the creator is whoever
    saved it, and an action never ends before it starts."""

    form = ActionAdminForm
    list_display = ["title", "kind", "starts_at", "place", "turnout_goal"]
    list_filter = ["kind"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["campaign"]
    readonly_fields = ["created_by"]
    filter_horizontal = ["congregations"]
    inlines = [PledgeInline]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.action_update(action=obj, congregations=data.get("congregations"))
            return
        action = services.action_create(
            by=request.user,
            kind=obj.kind,
            title=obj.title,
            starts_at=obj.starts_at,
            ends_at=obj.ends_at,
            place=obj.place,
            campaign=obj.campaign,
            congregations=data.get("congregations", ()),
            turnout_goal=obj.turnout_goal,
            agenda=obj.agenda,
        )
        become_saved_row(obj, action)


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["action", "person", "congregation", "rsvp", "checked_in_at", "recorded_after"]
    list_filter = ["rsvp", "recorded_after"]
    raw_id_fields = ["action", "person", "congregation", "checked_in_by", "invited_by"]
    list_select_related = ["action", "person", "congregation"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    """A new evaluation goes through `evaluation_record`, as in the app (a group evaluation
    starts the return to relationships); later edits are plain saves of the write-up."""

    list_display = ["action", "kind", "held_on", "turnout", "turnout_goal"]
    list_filter = ["kind"]
    raw_id_fields = ["action", "standouts"]

    def get_readonly_fields(self, request, obj=None):
        # The service stamps author and goal; action and kind stay fixed so no edit turns a
        # recorded evaluation into a group one behind the return to relationships' back.
        fixed = ["author", "turnout_goal", "created_at"]
        return [*fixed, "action", "kind"] if obj is not None else fixed

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        evaluation = services.evaluation_record(
            by=request.user,
            action=obj.action,
            kind=obj.kind,
            held_on=obj.held_on,
            turnout=obj.turnout,
            what_worked=obj.what_worked,
            what_to_change=obj.what_to_change,
            asks_answered=obj.asks_answered,
            standouts=form.cleaned_data.get("standouts", ()),
        )
        become_saved_row(obj, evaluation)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    raw_id_fields = ["user"]
    exclude = ["token"]  # a secret: rotate it from the app, never read it here


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["name", "held_on"]
    search_fields = ["name"]


@admin.register(RegistrationDriveResult)
class RegistrationDriveResultAdmin(admin.ModelAdmin):
    list_display = ["action", "forms_registered", "people_helped", "recorded_by"]
    raw_id_fields = ["action", "recorded_by"]


@admin.register(PledgeCard)
class PledgeCardAdmin(AuditedAdmin):
    list_display = ["person", "election", "congregation", "collected_at", "voted_confirmed_at"]
    list_filter = ["election"]
    raw_id_fields = ["person", "action", "collected_by", "voted_confirmed_by"]
    list_select_related = ["person", "election", "congregation"]
