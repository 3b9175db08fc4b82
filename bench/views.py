"""The bench's floor: the cheapest page a signed-in user can get, to divide every page by."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from members.models import User


@require_GET
def floor(request):
    """Login required (the middleware's default) and one primary-key query; no template."""
    email = User.objects.filter(pk=request.user.pk).values_list("email", flat=True).first()
    return HttpResponse(f"floor: {email}\n", content_type="text/plain; charset=utf-8")
