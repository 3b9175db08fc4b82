"""The page where a user makes and revokes their own API tokens. A new token is shown once,
on the page the creation redirects to, and never again: only its digest is kept."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .forms import TokenForm

NEW_TOKEN = "api_new_token"  # noqa: S105 - session key: the token made by the last POST, shown once


@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row, token = services.token_create(
            user=request.user, name=form.cleaned_data["name"], by=request.user
        )
        request.session[NEW_TOKEN] = [row.pk, token]
        return redirect("api:tokens")
    new_token = request.session.pop(NEW_TOKEN, None)
    context = {
        "form": form,
        "tokens": selectors.tokens_of(request.user),
        "new_token": new_token[1] if new_token else None,
        "new_token_id": new_token[0] if new_token else None,
    }
    return render(request, "api/tokens.html", context, status=400 if form.errors else 200)


@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(selectors.tokens_of(request.user), pk=pk)
    services.token_revoke(token=token, by=request.user)
    messages.success(
        request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("api:tokens")
