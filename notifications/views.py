from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import PreferencesForm
from .selectors import email_preferences, notifications_of
from .services import notification_mark_read, preferences_save


@require_GET
def inbox(request):
    page = Paginator(notifications_of(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@require_POST
def mark_read(request):
    raw = request.POST.getlist("id")
    ids = [int(value) for value in raw if value.isdigit()] if raw else None
    notification_mark_read(by=request.user, notification_ids=ids)
    return redirect("notifications:inbox")


@require_http_methods(["GET", "POST"])
def preferences(request):
    form = PreferencesForm(request.POST or None, initial_by_kind=email_preferences(request.user))
    if request.method == "POST" and form.is_valid():
        preferences_save(by=request.user, email_by_kind=form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
