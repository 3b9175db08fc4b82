"""/api/v2/: the OSDI / Action Network v2 resources. Thin: fetch through a selector (scope
first: out of scope is 404), check the role (403), call a service, render the representation.

Writes need the roles the app's own pages need: people and tags staff or leads; taggings the
people's editors; events organizing staff; RSVPs staff or leads.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from actions.models import Action, Attendance
from actions.selectors import attendance_visible_to
from conect import access
from members.models import Person, Tag
from members.selectors import people_editable_by, people_visible_to, with_primary_congregation

from . import representations as rep
from . import selectors, serializers, services
from .pagination import MAX_PER_PAGE, page_of
from .representations import STATUS_RSVP, Links

ERRORS = {
    400: OpenApiResponse(serializers.ErrorOut, description="The request is not valid."),
    401: OpenApiResponse(serializers.ErrorOut, description="No token, or a revoked one."),
    403: OpenApiResponse(serializers.ErrorOut, description="In scope, not your role's to do."),
    404: OpenApiResponse(serializers.ErrorOut, description="Not found, or not in your scope."),
    429: OpenApiResponse(serializers.ErrorOut, description="Too many requests: see Retry-After."),
}
PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="1 and up; a page past the end is empty"),
    OpenApiParameter("per_page", int, description=f"{MAX_PER_PAGE} at most"),
]


def _filter(fields) -> OpenApiParameter:
    return OpenApiParameter(
        "filter",
        str,
        description="OData-style: field op 'value', clauses joined by and. Fields: "
        + ", ".join(sorted(fields)),
    )


def answers(ok: int, body, *errors: int) -> dict:
    return {ok: body, **{code: ERRORS[code] for code in (401, 429, *errors)}}


class OsdiView(APIView):
    """The base of every resource: the links root, and the write checks."""

    def links(self) -> Links:
        return Links(self.request.build_absolute_uri(reverse("api:entry")))

    @property
    def token(self):
        return getattr(self.request, "api_token", None)

    def require(self, allowed: bool) -> None:
        if not allowed:
            raise PermissionDenied

    def valid(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    # Representations of one page of objects: identities made in one go.

    def people(self, people) -> list[dict]:
        identities = services.identities_for(Person, [p.pk for p in people])
        return [rep.person(p, identities[p.pk], self.links()) for p in people]

    def events(self, actions) -> list[dict]:
        ids = [a.pk for a in actions]
        identities = services.identities_for(Action, ids)
        accepted = selectors.accepted_counts(ids)
        links = self.links()
        return [
            rep.event(a, identities[a.pk], links, accepted=accepted.get(a.pk, 0)) for a in actions
        ]

    def tags(self, tags) -> list[dict]:
        identities = services.identities_for(Tag, [t.pk for t in tags])
        return [rep.tag(t, identities[t.pk], self.links()) for t in tags]

    def taggings(self, rows) -> list[dict]:
        own = services.identities_for(selectors.Tagging, [r.pk for r in rows])
        tags = services.identities_for(Tag, [r.tag_id for r in rows])
        people = services.identities_for(Person, [r.person_id for r in rows])
        links = self.links()
        return [rep.tagging(own[r.pk], tags[r.tag_id], people[r.person_id], links) for r in rows]

    def attendances(self, rows) -> list[dict]:
        own = services.identities_for(Attendance, [r.pk for r in rows])
        events = services.identities_for(Action, [r.action_id for r in rows])
        people = services.identities_for(Person, [r.person_id for r in rows])
        links = self.links()
        return [
            rep.attendance(r, own[r.pk], events[r.action_id], people[r.person_id], links)
            for r in rows
        ]

    def listing(self, queryset, key: str, render, *, total: int | None = None) -> Response:
        page = page_of(self.request, queryset, total=total)
        return Response({**page.meta, "_embedded": {key: render(page.objects)}})

    def person_from_link(self, data: dict) -> Person:
        """The person a request links to (`_links["osdi:person"]["href"]`), in scope or 404."""
        href = data.get("_links", {}).get("osdi:person", {}).get("href", "")
        last = urlsplit(href).path.rstrip("/").rsplit("/", 1)[-1]
        person: Person = selectors.by_uuid(people_visible_to(self.request.user), last)
        return person


class NotFoundView(OsdiView):
    """Any other path under /api/v2/: a JSON 404 (after the token check), not Django's page."""

    schema = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound


class EntryPoint(OsdiView):
    @extend_schema(
        responses=answers(200, serializers.EntryPointOut),
        summary="API entry point",
        operation_id="entry_point",
    )
    def get(self, request):
        links = self.links()
        return Response(
            {
                "motd": "CONECT Organizer: an OSDI / Action Network v2-compatible API",
                "vendor_name": "CONECT",
                "product_name": "CONECT Organizer",
                "osdi_version": "1.1",
                "max_pagesize": MAX_PER_PAGE,
                "_links": {
                    "self": links.href(),
                    "osdi:people": links.href("people"),
                    "osdi:tags": links.href("tags"),
                    "osdi:events": links.href("events"),
                    "osdi:person_signup_helper": links.href("people"),
                    "docs": {"href": request.build_absolute_uri(reverse("api:docs"))},
                },
            }
        )


class PeopleView(OsdiView):
    @extend_schema(
        parameters=[*PAGE_PARAMETERS, _filter(selectors.PEOPLE_FILTERS)],
        responses=answers(200, serializers.PeoplePage, 400),
        summary="People you may see",
        operation_id="people_list",
    )
    def get(self, request):
        filter_text = request.GET.get("filter")
        people = selectors.people_for_api(request.user, filter_text=filter_text)
        total = selectors.people_total_for_api(request.user, filter_text=filter_text)
        return self.listing(people, "osdi:people", self.people, total=total)

    @extend_schema(
        request=serializers.PersonSignupIn,
        responses=answers(201, serializers.PersonOut, 400, 403) | {200: serializers.PersonOut},
        summary="Person signup helper: find by email or phone (as the CSV import), or add",
        operation_id="person_signup",
    )
    def post(self, request):
        self.require(access.is_staff_or_lead(request.user))
        data = self.valid(serializers.PersonSignupIn)
        person, created = services.person_signup(
            signup=serializers.signup_from(data), by=request.user, token=self.token
        )
        person = with_primary_congregation(Person.objects.filter(pk=person.pk)).get()
        body = self.people([person])[0]
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class PersonView(OsdiView):
    @extend_schema(
        responses=answers(200, serializers.PersonOut, 404),
        summary="One person",
        operation_id="person_get",
    )
    def get(self, request, uuid):
        people = with_primary_congregation(people_visible_to(request.user))
        return Response(self.people([selectors.by_uuid(people, uuid)])[0])


class PersonAttendancesView(OsdiView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=answers(200, serializers.AttendancesPage, 400, 404),
        summary="A person's attendance, at every action",
        operation_id="person_attendances_list",
    )
    def get(self, request, uuid):
        person = selectors.by_uuid(people_visible_to(request.user), uuid)
        rows = attendance_visible_to(request.user).filter(person=person).order_by("id")
        return self.listing(rows, "osdi:attendances", self.attendances)


class TagsView(OsdiView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=answers(200, serializers.TagsPage, 400),
        summary="Tags (shared by the whole network)",
        operation_id="tags_list",
    )
    def get(self, request):
        return self.listing(selectors.tags_for_api(request.user), "osdi:tags", self.tags)

    @extend_schema(
        request=serializers.TagIn,
        responses=answers(201, serializers.TagOut, 400, 403) | {200: serializers.TagOut},
        summary="Add a tag (an existing name is returned as it is)",
        operation_id="tag_create",
    )
    def post(self, request):
        self.require(access.is_staff_or_lead(request.user))
        data = self.valid(serializers.TagIn)
        tag, created = services.tag_create(name=data["name"], by=request.user, token=self.token)
        return Response(self.tags([tag])[0], status=201 if created else 200)


class TagView(OsdiView):
    @extend_schema(
        responses=answers(200, serializers.TagOut, 404), summary="One tag", operation_id="tag_get"
    )
    def get(self, request, uuid):
        return Response(
            self.tags([selectors.by_uuid(selectors.tags_for_api(request.user), uuid)])[0]
        )


class TaggingsView(OsdiView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=answers(200, serializers.TaggingsPage, 400, 404),
        summary="The tag's taggings of people you may see",
        operation_id="taggings_list",
    )
    def get(self, request, uuid):
        tag = selectors.by_uuid(selectors.tags_for_api(request.user), uuid)
        rows = selectors.taggings_for_api(request.user, tag)
        return self.listing(rows, "osdi:taggings", self.taggings)

    @extend_schema(
        request=serializers.TaggingIn,
        responses=answers(201, serializers.TaggingOut, 400, 403, 404)
        | {200: serializers.TaggingOut},
        summary="Tag a person",
        operation_id="tagging_create",
    )
    def post(self, request, uuid):
        tag = selectors.by_uuid(selectors.tags_for_api(request.user), uuid)
        data = self.valid(serializers.TaggingIn)
        person = self.person_from_link(data)
        self.require(people_editable_by(request.user).filter(pk=person.pk).exists())
        row, created = services.tagging_create(
            tag=tag,
            person=person,
            by=request.user,
            token=self.token,
            identifiers=data.get("identifiers", []),
        )
        return Response(self.taggings([row])[0], status=201 if created else 200)


class TaggingView(OsdiView):
    def tagging(self, tag_uuid, uuid):
        tag = selectors.by_uuid(selectors.tags_for_api(self.request.user), tag_uuid)
        return selectors.by_uuid(selectors.taggings_for_api(self.request.user, tag), uuid)

    @extend_schema(
        responses=answers(200, serializers.TaggingOut, 404),
        summary="One tagging",
        operation_id="tagging_get",
    )
    def get(self, request, tag_uuid, uuid):
        return Response(self.taggings([self.tagging(tag_uuid, uuid)])[0])

    @extend_schema(
        responses=answers(200, serializers.NoticeOut, 403, 404),
        summary="Untag a person",
        operation_id="tagging_delete",
    )
    def delete(self, request, tag_uuid, uuid):
        row = self.tagging(tag_uuid, uuid)
        self.require(people_editable_by(request.user).filter(pk=row.person_id).exists())
        services.tagging_delete(tagging=row, by=request.user, token=self.token)
        return Response({"notice": "This tagging was successfully deleted."})


class EventsView(OsdiView):
    @extend_schema(
        parameters=[*PAGE_PARAMETERS, _filter(selectors.EVENT_FILTERS)],
        responses=answers(200, serializers.EventsPage, 400),
        summary="Events: CONECT's actions (public action information)",
        operation_id="events_list",
    )
    def get(self, request):
        actions = selectors.events_for_api(request.user, filter_text=request.GET.get("filter"))
        return self.listing(actions, "osdi:events", self.events)

    @extend_schema(
        request=serializers.EventIn,
        responses=answers(201, serializers.EventOut, 400, 403),
        summary="Schedule an action",
        operation_id="event_create",
    )
    def post(self, request):
        self.require(access.is_organizing_staff(request.user))
        data = self.valid(serializers.EventIn)
        try:
            action = services.event_create(
                title=data["title"],
                starts_at=data["start_date"],
                ends_at=data.get("end_date"),
                place=serializers.LocationIn().place(data["location"]),
                description=data.get("description", ""),
                kind=data.get("action_kind", serializers.ActionKind.PUBLIC_ACTION),
                identifiers=data.get("identifiers", []),
                by=request.user,
                token=self.token,
            )
        except OverflowError:  # a start at the very end of time: two hours later does not exist
            raise ValidationError({"start_date": "Too far in the future."}) from None
        action = selectors.events_for_api(request.user).get(pk=action.pk)
        return Response(self.events([action])[0], status=status.HTTP_201_CREATED)


class EventView(OsdiView):
    @extend_schema(
        responses=answers(200, serializers.EventOut, 404),
        summary="One event",
        operation_id="event_get",
    )
    def get(self, request, uuid):
        return Response(
            self.events([selectors.by_uuid(selectors.events_for_api(request.user), uuid)])[0]
        )


class AttendancesView(OsdiView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=answers(200, serializers.AttendancesPage, 400, 404),
        summary="The event's attendance of people you may see",
        operation_id="attendances_list",
    )
    def get(self, request, uuid):
        action = selectors.by_uuid(selectors.events_for_api(request.user), uuid)
        rows = selectors.attendances_for_api(request.user, action)
        return self.listing(rows, "osdi:attendances", self.attendances)

    @extend_schema(
        request=serializers.AttendanceIn,
        parameters=[
            OpenApiParameter(
                "person_id",
                str,
                description="the person's uuid, for clients that send the payload as query "
                "parameters (Parsons 6.1's create_attendance); the body's link wins",
            )
        ],
        responses=answers(201, serializers.AttendanceOut, 400, 403, 404)
        | {200: serializers.AttendanceOut},
        summary="Record an RSVP (the record attendance helper)",
        operation_id="attendance_create",
    )
    def post(self, request, uuid):
        action = selectors.by_uuid(selectors.events_for_api(request.user), uuid)
        self.require(access.is_staff_or_lead(request.user))
        data = self.valid(serializers.AttendanceIn)
        rsvp = STATUS_RSVP[data.get("status", "accepted")]
        with transaction.atomic():
            person = self.attendee(data)
            try:
                row, created = services.attendance_record(
                    action=action,
                    person=person,
                    rsvp=rsvp,
                    by=request.user,
                    token=self.token,
                    identifiers=data.get("identifiers", []),
                )
            except DjangoValidationError as error:
                raise ValidationError(error.messages) from None
        return Response(self.attendances([row])[0], status=201 if created else 200)

    def attendee(self, data: dict) -> Person:
        """The linked person (in scope or 404), else the inline one (found or added as the
        signup helper does), else ?person_id=."""
        if data.get("_links"):
            return self.person_from_link(data)
        if data.get("person"):
            signup = serializers.signup_from({"person": data["person"]})
            person, _created = services.person_signup(
                signup=signup, by=self.request.user, token=self.token
            )
            return person
        if self.request.query_params.get("person_id"):
            people = people_visible_to(self.request.user)
            found: Person = selectors.by_uuid(people, self.request.query_params["person_id"])
            return found
        raise ValidationError({"_links": "Link the person (osdi:person) or give them inline."})


class AttendanceView(OsdiView):
    @extend_schema(
        responses=answers(200, serializers.AttendanceOut, 404),
        summary="One attendance",
        operation_id="attendance_get",
    )
    def get(self, request, event_uuid, uuid):
        action = selectors.by_uuid(selectors.events_for_api(request.user), event_uuid)
        rows = selectors.attendances_for_api(request.user, action)
        return Response(self.attendances([selectors.by_uuid(rows, uuid)])[0])
