from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from congregations.models import Membership

from .permissions import sees_sensitive_fields
from .selectors import people_visible_to

PAGE_SIZE = 50


@require_GET
def person_list(request):
    people = people_visible_to(request.user)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        for word in query.split():
            people = people.filter(
                Q(first_name__istartswith=word)
                | Q(last_name__istartswith=word)
                | Q(email__istartswith=word)
            )
    people = people.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(is_primary=True).select_related("congregation"),
            to_attr="primary_memberships",
        )
    ).order_by("last_name", "first_name", "id")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "members/person_list.html", {"page": page, "query": query})


@require_GET
def person_detail(request, pk):
    person = get_object_or_404(people_visible_to(request.user).prefetch_related("tags"), pk=pk)
    context = {
        "person": person,
        "memberships": person.memberships.select_related("congregation").order_by("-is_primary"),
        "ladder_history": person.ladder_history.select_related("changed_by")[:20],
        "sees_sensitive": sees_sensitive_fields(request.user),
    }
    return render(request, "members/person_detail.html", context)
