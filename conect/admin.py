"""Admin pieces shared by the apps, and the admin site itself."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache


class ConectAdminSite(admin.AdminSite):
    """One door in (docs/security.md): the admin's own login form would bypass allauth's rate
    limits and two-step sign-in, so `/admin/login/` sends everyone to allauth's login, which
    brings them back to the admin page they asked for."""

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or index
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = index
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect(next_url)
            raise PermissionDenied  # signed in, but the admin is for the admin role only
        return redirect_to_login(next_url, reverse("account_login"))


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record staff may read but never add, change or delete in the admin (audit trails, the
    append-only ledger)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def become_saved_row(obj, saved) -> None:
    """Make the admin's unsaved `obj` the row a service just wrote (`saved`), so that the
    admin's log entry, its inlines, its many-to-many and its redirect all land on that row."""
    for field in type(saved)._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding, obj._state.db = False, saved._state.db
