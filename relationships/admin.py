"""Staff admin for data fixes. Lists never show notes (an admin may open one meeting to read them,
and that opening is audited); search never looks inside notes, so a search cannot reveal what a
story says."""

import copy
from typing import Any

from django.contrib import admin

from conect.admin import AuditedAdmin

from . import tallies
from .models import FollowUp, HouseMeeting, IssueHeard, OneOnOne, WeeklyTarget


@admin.register(IssueHeard)
class IssueHeardAdmin(admin.ModelAdmin):
    list_display = ("name", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name",)


class TalliedAdmin(AuditedAdmin):
    """An edit or a delete in the admin refreshes the tallies the meeting was and is in."""

    counted: Any = staticmethod(tallies.one_on_one_counted)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = copy.copy(form.instance)
        for name in ("person_id", "congregation_id", "held_on"):
            if hasattr(before, name) and name.removesuffix("_id") in form.initial:
                setattr(before, name, form.initial[name.removesuffix("_id")])
        self.counted(form.instance, before=before if change else None)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.counted(obj)

    def delete_queryset(self, request, queryset):
        meetings = list(queryset)
        super().delete_queryset(request, queryset)
        for meeting in meetings:
            self.counted(meeting)


@admin.register(OneOnOne)
class OneOnOneAdmin(TalliedAdmin):
    list_display = ("held_on", "person", "author", "congregation", "potential")
    list_filter = ("potential", "congregation")
    search_fields = ("person__first_name", "person__last_name", "author__email")
    date_hierarchy = "held_on"
    raw_id_fields = ("author", "author_person", "person")
    autocomplete_fields = ("issues",)
    list_select_related = ("person", "author", "congregation")
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("notes")


@admin.register(HouseMeeting)
class HouseMeetingAdmin(TalliedAdmin):
    counted = staticmethod(tallies.house_meeting_counted)

    list_display = ("held_on", "congregation", "facilitator")
    list_filter = ("congregation",)
    search_fields = ("congregation__name", "facilitator__email")
    date_hierarchy = "held_on"
    raw_id_fields = ("facilitator", "attendees")
    autocomplete_fields = ("issues",)
    list_select_related = ("congregation", "facilitator")
    audit_person_field = None  # many attendees: the record is the meeting

    def get_queryset(self, request):
        return super().get_queryset(request).defer("notes")


@admin.register(FollowUp)
class FollowUpAdmin(AuditedAdmin):
    list_display = ("due_on", "person", "owner", "kind", "done_at")
    list_filter = ("kind", "done_at")
    search_fields = ("person__first_name", "person__last_name", "owner__email")
    raw_id_fields = ("owner", "person")
    list_select_related = ("person", "owner")


@admin.register(WeeklyTarget)
class WeeklyTargetAdmin(admin.ModelAdmin):
    list_display = ("user", "one_on_ones")
    raw_id_fields = ("user",)
