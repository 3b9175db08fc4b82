"""People pages: thin views over members.selectors (reads) and members.services (writes)."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conect import access
from conect.fragments import rendered_body
from conect.spreadsheet import neutralise

from . import exporting, services
from .duplicates import pairs_among, reason_labels
from .exporting import _Echo
from .filters import PersonFilter
from .forms import DeleteForm, ImportUploadForm, LadderMoveForm, MergeForm, PersonForm
from .importing import CONTRACT_HEADER
from .models import DuplicateScan, ImportRow, Person
from .pagination import BoundedPaginator, CountedPaginator, UncountedPage, network_people
from .selectors import (
    DIRECTORY_FIELDS,
    directory_rows,
    import_jobs_visible_to,
    is_selective,
    people_visible_to,
    person_for_page,
    with_list_details,
)

PAGE_SIZE = 50
PAIRS_PAGE_SIZE = 25


def _require_editor(user):
    if not access.is_staff_or_lead(user):
        raise PermissionDenied


def _person_to_change(request, pk) -> Person:
    """The person at `pk` for a change: 404 outside the user's scope, 403 inside it for a role
    that does not edit people (a leader, even on their own record)."""
    person = get_object_or_404(people_visible_to(request.user, include_archived=True), pk=pk)
    _require_editor(request.user)
    return person


def _filtered(request) -> PersonFilter:
    base = people_visible_to(request.user, include_archived=True)
    return PersonFilter(request.GET, queryset=base, user=request.user)


@require_GET
def person_list(request):
    """The directory: a cached fragment per reader and query string (conect.fragments), dropped
    by any write to people; the search and its count are read again only then."""
    body = rendered_body(
        request,
        "people",
        ("people",),
        "members/_person_list_body.html",
        lambda: _person_list_context(request),
    )
    return render(request, "members/person_list.html", {"body": body})


def _whole_network_unfiltered(request, filterset: PersonFilter) -> bool:
    """Whether the directory lists every active person of the network (a reader who sees them
    all, no filter but the sort): the people the ladder tallies count."""
    if access.visible_congregation_ids(request.user) is not None or filterset.form.errors:
        return False
    asked = getattr(filterset.form, "cleaned_data", {})
    return all(value in (None, "") for name, value in asked.items() if name != "sort")


def _person_list_context(request) -> dict:
    filterset = _filtered(request)
    people = filterset.qs  # validates the form
    paginator: CountedPaginator | BoundedPaginator
    if is_selective(getattr(filterset.form, "cleaned_data", {}).get("q") or ""):
        # A search sorts all its matches anyway: the count comes with the page, one query.
        paginator = CountedPaginator(people.values(*DIRECTORY_FIELDS), PAGE_SIZE)
    else:
        known = network_people() if _whole_network_unfiltered(request, filterset) else None
        paginator = BoundedPaginator(people, PAGE_SIZE, known=known)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "rows": directory_rows(page.object_list),  # type: ignore[arg-type]  # a page of either
        "query_string": query.urlencode(),
        "filters_open": bool(filterset.form.errors)
        or any(
            value and (key, value) != ("sort", "name")
            for key, value in request.GET.items()
            if key not in ("q", "page")
        ),
        "can_edit": access.is_staff_or_lead(request.user),
    }
    return context


@require_GET
def person_detail(request, pk):
    person = person_for_page(request.user, pk)
    sees_sensitive = access.is_organizing_staff(request.user)
    if sees_sensitive:  # every view is audited, cached or not
        services.audit_sensitive_view(person=person, by=request.user, where="page")

    def build() -> dict:
        return {
            "person": person,
            "memberships": person.memberships.select_related("congregation").order_by(
                "-is_primary"
            ),
            "ladder_history": person.ladder_history.select_related("changed_by")[:50],
            "sees_sensitive": sees_sensitive,
            "can_edit": access.is_staff_or_lead(request.user),
            "ladder_form": LadderMoveForm(person=person, initial={"to_level": person.level}),
        }

    # The profile is a cached fragment, dropped by any write to people (conect.fragments).
    body = rendered_body(request, "person", ("people",), "members/_person_detail_body.html", build)
    return render(request, "members/person_detail.html", {"person": person, "body": body})


@require_http_methods(["GET", "POST"])
def person_create(request):
    _require_editor(request.user)
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = services.person_create(
            by=request.user, **form.tag_fields(), **form.membership_fields(), **form.person_fields()
        )
        messages.success(request, _("%(name)s added.") % {"name": person.full_name})
        return redirect(person)
    return render(request, "members/person_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = _person_to_change(request, pk)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.person_update(
            person=person,
            by=request.user,
            **form.tag_fields(),
            **form.membership_fields(),
            **form.person_fields(),
        )
        messages.success(request, _("Saved."))
        return redirect(person)
    if "notes" in form.fields:  # the form shows the sensitive fields to this role
        services.audit_sensitive_view(person=person, by=request.user, where="edit")
    return render(request, "members/person_form.html", {"form": form, "person": person})


@require_POST
def person_ladder(request, pk):
    person = _person_to_change(request, pk)
    form = LadderMoveForm(request.POST, person=person)
    if form.is_valid():
        services.person_move_on_ladder(
            person=person,
            to_level=form.cleaned_data["to_level"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(request, _("Ladder move recorded."))
    else:
        errors = "; ".join(e for field in form.errors.values() for e in field)
        messages.error(request, _("Not moved: %(errors)s") % {"errors": errors})
    return redirect(person)


@require_POST
def person_archive(request, pk):
    person = _person_to_change(request, pk)
    if request.POST.get("restore"):
        services.person_unarchive(person=person, by=request.user)
        messages.success(request, _("Restored to the directory."))
    else:
        services.person_archive(person=person, by=request.user)
        messages.success(request, _("Archived: off lists and messages, history kept."))
    return redirect(person)


@require_http_methods(["GET", "POST"])
def person_delete(request, pk):
    person = get_object_or_404(people_visible_to(request.user, include_archived=True), pk=pk)
    if not access.is_admin(request.user):
        raise PermissionDenied  # in scope, but deletion is the admins' (privacy requests)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.person_delete(person=person, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Deleted. The audit log keeps who, when and why."))
        return redirect("members:person_list")
    return render(request, "members/person_delete.html", {"person": person, "form": form})


@require_GET
def people_export(request):
    _require_editor(request.user)  # leaders have no bulk export: their scope is personal
    demographics = request.GET.get("demographics") == "1"  # an admin's explicit choice
    if demographics and not access.is_admin(request.user):
        raise PermissionDenied
    rows = exporting.people_export(
        people=_filtered(request).qs,
        by=request.user,
        filters={k: v for k, v in request.GET.items() if k not in ("page", "demographics")},
        demographics=demographics,
    )
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="conect-people-{stamp}.csv"'
    return response


# --- Import --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def import_start(request):
    _require_editor(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = services.import_job_create(
            by=request.user,
            filename=form.cleaned_data["file"].name,
            text=form.cleaned_data["text"],
            congregation=form.cleaned_data["congregation"],
        )
        return redirect(job)
    jobs = import_jobs_visible_to(request.user)[:10]
    return render(request, "members/import_start.html", {"form": form, "jobs": jobs})


IMPORT_ROWS_PAGE = 50
IMPORT_SHOW = {
    "all": None,
    "error": [ImportRow.Action.ERROR],
    "new": [ImportRow.Action.NEW, ImportRow.Action.FLAGGED],
    "flagged": [ImportRow.Action.FLAGGED],
    "matched": [ImportRow.Action.UPDATE, ImportRow.Action.UNCHANGED],
}


@require_GET
def import_detail(request, pk):
    job = get_object_or_404(import_jobs_visible_to(request.user).defer("content"), pk=pk)
    template = "members/_import_status.html" if request.htmx else "members/import_detail.html"
    context: dict = {"job": job}
    if not job.is_running:
        context.update(_import_rows(request, job))
    return render(request, template, context)


def _import_rows(request, job) -> dict:
    """A page of the preview's rows (every row of the file, 50 at a time, filterable), each
    with a link to the person it matches — only people the viewer may see (one query)."""
    show = request.GET.get("show", "all")
    show = show if show in IMPORT_SHOW else "all"
    rows = job.rows.defer("cells")
    if IMPORT_SHOW[show]:
        rows = rows.filter(action__in=IMPORT_SHOW[show])
    page = Paginator(rows.order_by("line"), IMPORT_ROWS_PAGE).get_page(request.GET.get("page"))
    ids = {row.person_id for row in page if row.person_id}
    visible = people_visible_to(request.user, include_archived=True).filter(pk__in=ids)
    full = {
        pk: f"{first} {last}".strip()
        for pk, first, last in (visible.values_list("pk", "first_name", "last_name") if ids else [])
    }
    for row in page:
        row.person_name = full.get(row.person_id, "")
    return {"rows_page": page, "show": show, "show_choices": list(IMPORT_SHOW)}


@require_POST
def import_confirm(request, pk):
    job = get_object_or_404(import_jobs_visible_to(request.user), pk=pk)
    skip_invalid = request.POST.get("skip_invalid") == "1"
    if job.status != job.Status.PREVIEW or (job.counts.get("invalid") and not skip_invalid):
        messages.error(request, _("This import cannot be confirmed in its current state."))
        return redirect(job)
    services.import_job_confirm(job=job, by=request.user, skip_invalid=skip_invalid)
    return redirect(job)


@require_GET
def import_rejected(request, pk):
    """The rejected rows as they were uploaded, with a reason column, to fix and upload again."""
    job = get_object_or_404(import_jobs_visible_to(request.user).defer("content"), pk=pk)
    rows = job.rows.filter(action=ImportRow.Action.ERROR).order_by("line")
    header = [*job.counts.get("header", []), _("reason")]

    def lines():
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow([neutralise(cell) for cell in header])
        for row in rows.values_list("cells", "detail").iterator(chunk_size=2000):
            cells, detail = row
            yield writer.writerow([neutralise(cell) for cell in [*(cells or []), detail]])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-rows-{job.pk}.csv"'
    return response


# --- Duplicates ----------------------------------------------------------------------------


@require_GET
def duplicates(request):
    _require_editor(request.user)
    filterset = PersonFilter(
        {"congregation": request.GET.get("congregation", "")},
        queryset=people_visible_to(request.user),
        user=request.user,
    )
    sort = "newest" if request.GET.get("sort") == "newest" else "strongest"
    pairs = pairs_among(filterset.qs.order_by(), sort=sort)
    page = UncountedPage(pairs, PAIRS_PAGE_SIZE, request.GET.get("page"))
    ids = {pk for pair in page for pk in (pair.first_id, pair.second_id)}
    people = {p.pk: p for p in with_list_details(Person.objects.filter(pk__in=ids))}
    rows = [
        (reason_labels(pair.reasons), people[pair.first_id], people[pair.second_id])
        for pair in page
        if pair.first_id in people and pair.second_id in people
    ]
    query = {"congregation": request.GET.get("congregation", ""), "sort": sort}
    context = {
        "filter": filterset,
        "page": page,
        "rows": rows,
        "sort": sort,
        "query_string": urlencode(query),
        "scanned_at": DuplicateScan.objects.order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first(),
    }
    return render(request, "members/duplicates.html", context)


@require_http_methods(["GET", "POST"])
def person_merge(request, pk, other_pk):
    first = _person_to_change(request, pk)
    second = _person_to_change(request, other_pk)
    if first.pk == second.pk:
        raise Http404
    form = MergeForm(request.POST or None, people=[first, second])
    if request.method == "POST" and form.is_valid():
        survivor = form.people[form.cleaned_data["survivor"]]
        duplicate = second if survivor.pk == first.pk else first
        try:
            services.person_merge(survivor=survivor, duplicate=duplicate, by=request.user)
        except services.MergeConflict as conflict:
            form.add_error(None, str(conflict))
        else:
            messages.success(request, _("Merged into %(name)s.") % {"name": survivor.full_name})
            return redirect(survivor)
    context = {
        "form": form,
        "people": with_list_details(Person.objects.filter(pk__in=[pk, other_pk])),
    }
    return render(request, "members/merge.html", context)


@require_POST
def duplicate_dismiss(request, pk, other_pk):
    first = _person_to_change(request, pk)
    second = _person_to_change(request, other_pk)
    if first.pk == second.pk:
        raise Http404
    services.duplicate_dismiss(first=first, second=second, by=request.user)
    messages.success(request, _("Marked as two different people."))
    return redirect(f"{reverse('members:duplicates')}?{request.GET.urlencode()}")


@require_GET
def import_template(request):
    """An empty CSV with the contract header, to fill in a spreadsheet."""
    response = HttpResponse("\ufeff" + ",".join(CONTRACT_HEADER) + "\r\n", content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="conect-people-template.csv"'
    return response
