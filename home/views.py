"""The top floor's pages: the role home, and the practice panel on a person's page."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from actions.selectors import actions_attended, rsvp_promises_kept
from conect.access import Role
from conect.fragments import TOPICS, rendered_body
from members.selectors import people_visible_to
from relationships.ladder import ladder_rules, suggest_next_level
from relationships.selectors import (
    follow_ups_of,
    house_meetings_visible_to,
    local_today,
    one_on_ones_visible_to,
)
from relationships.selectors import (
    person_practice as relational_practice,
)

from . import dashboards

# Each role's (context builder, page, the page's cached middle).
HOMES = {
    Role.ADMIN: (dashboards.admin_home, "home/admin.html", "home/_admin_body.html"),
    Role.ORGANIZER: (dashboards.organizer_home, "home/organizer.html", "home/_organizer_body.html"),
    Role.LEAD: (dashboards.lead_home, "home/lead.html", "home/_lead_body.html"),
    Role.LEADER: (dashboards.leader_home, "home/leader.html", "home/_leader_body.html"),
}


@require_GET
def home(request):
    """The role home: what this person needs first when they open the app. Its panels are one
    cached fragment (conect.fragments): built and rendered again only after a write to what it
    shows, or a day change, or a minute."""
    build, template, body_template = HOMES.get(request.user.role, HOMES[Role.LEADER])
    body = rendered_body(
        request,
        f"home-{request.user.role}",
        TOPICS,
        body_template,
        lambda: build(request.user),
        parts=[local_today()],
    )
    return render(request, template, {"body": body})


@require_GET
def person_practice(request, pk):
    """The htmx panel on the person page: the practice behind their rung (one-on-ones held and
    had, house meetings hosted and attended, actions attended, yeses kept), the move it
    supports (relationships.ladder), their ladder history, and the user's own follow-ups."""
    user = request.user
    person = get_object_or_404(people_visible_to(user), pk=pk)
    word = rsvp_promises_kept(user, person)
    practice = {
        **relational_practice(person),
        "actions": actions_attended(user, person),
        "promised": word["promised"],
        "kept": word["kept"],
    }
    context = {
        "person": person,
        "practice": practice,
        "suggestion": suggest_next_level(person.level, practice),
        "rules": ladder_rules(),
        "one_on_ones": one_on_ones_visible_to(user)
        .filter(Q(person=person) | Q(author_person=person))
        .prefetch_related("issues")[:20],
        "house_meetings": house_meetings_visible_to(user).filter(attendees=person)[:20],
        "follow_ups": follow_ups_of(user).filter(person=person).order_by("-due_on")[:10],
        "today": local_today(),
    }
    return render(request, "relationships/_timeline.html", context)
