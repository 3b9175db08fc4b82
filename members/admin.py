from allauth.account.forms import ResetPasswordForm
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from congregations.models import Membership

from .models import LeadershipChange, Person, Tag, User


class InviteUserForm(forms.ModelForm):
    """Staff invite people: no password here; the invitee sets one through the reset email."""

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "role", "network_wide", "congregations")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = InviteUserForm
    add_fieldsets = (
        (None, {"fields": ("email", "first_name", "last_name", "role", "network_wide")}),
        (_("Scope"), {"fields": ("congregations",)}),
    )
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Name"), {"fields": ("first_name", "last_name")}),
        (_("Role and scope"), {"fields": ("role", "network_wide", "congregations", "is_active")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("email", "first_name", "last_name", "role", "network_wide", "is_active")
    list_filter = ("role", "network_wide", "is_active")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    filter_horizontal = ("congregations",)
    actions = ["send_invitation"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Email a link to set a password"))
    def send_invitation(self, request, queryset):
        sent = 0
        for user in queryset.filter(is_active=True):
            form = ResetPasswordForm(data={"email": user.email})
            if form.is_valid():
                form.save(request)
                sent += 1
        self.message_user(
            request,
            ngettext("%(n)d invitation sent.", "%(n)d invitations sent.", sent) % {"n": sent},
            messages.SUCCESS,
        )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("congregation",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("last_name", "first_name", "email", "phone", "town", "level", "archived_at")
    list_filter = ("level", "language", "do_not_contact", "memberships__congregation")
    search_fields = ("first_name", "last_name", "email", "phone")
    autocomplete_fields = ("tags", "user")
    inlines = [MembershipInline]
    list_per_page = 50
    show_full_result_count = False


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(LeadershipChange)
class LeadershipChangeAdmin(admin.ModelAdmin):
    list_display = ("person", "from_level", "to_level", "changed_by", "changed_at")
    list_select_related = ("person", "changed_by")
    raw_id_fields = ("person",)
    readonly_fields = ("changed_at",)
