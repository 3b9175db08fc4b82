from django.contrib import admin

from .models import Congregation, Membership


@admin.register(Congregation)
class CongregationAdmin(admin.ModelAdmin):
    list_display = ("name", "tradition", "town", "status", "joined_on")
    list_filter = ("tradition", "status")
    search_fields = ("name", "town", "denomination")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("person", "congregation", "is_primary", "role")
    list_filter = ("role", "is_primary", "congregation")
    list_select_related = ("person", "congregation")
    raw_id_fields = ("person",)
    search_fields = ("person__last_name", "person__first_name", "congregation__name")
