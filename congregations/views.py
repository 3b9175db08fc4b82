from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from conect.dashboards import _with_counts
from conect.roles import Role
from members.models import Level, Person

from .models import MembershipRole
from .selectors import congregations_visible_to


@require_GET
def congregation_list(request):
    congregations = _with_counts(congregations_visible_to(request.user))
    return render(request, "congregations/list.html", {"congregations": congregations})


@require_GET
def congregation_detail(request, slug):
    congregation = get_object_or_404(
        _with_counts(congregations_visible_to(request.user)), slug=slug
    )
    context = {"congregation": congregation, "sees_people": request.user.role != Role.LEADER}
    if context["sees_people"]:
        members = Person.objects.filter(
            archived_at__isnull=True, memberships__congregation=congregation
        )
        counts = dict(
            members.values_list("level").annotate(n=Count("id")).values_list("level", "n")
        )
        context["ladder"] = [(label, counts.get(value, 0)) for value, label in Level.choices]
        context["core_team"] = members.filter(memberships__role=MembershipRole.CORE_TEAM).order_by(
            "last_name", "first_name"
        )
    return render(request, "congregations/detail.html", context)
