"""The directory's search, filters and sort (django-filter). Applied after scoping."""

import datetime
import re
import unicodedata

import django_filters
from django import forms
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conect import access
from conect.ladder import Level
from congregations.models import Congregation, Membership
from congregations.selectors import congregations_visible_to

from .models import Language, Person, Tag
from .selectors import is_selective, name_order

_PHONE_CHARS = re.compile(r"[\s()\-.+]")
MAX_QUERY = 100

SORTS = {
    "name": ("last_name", "first_name", "id"),
    "first": ("first_name", "last_name", "id"),
    "-created": ("-created_at", "-id"),
    "-level": ("-ladder_rank", "last_name", "first_name", "id"),
    "town": ("town", "last_name", "first_name", "id"),
}


# Letters that people type without their accents: "Nunez" must find "Núñez".
_ACCENTS = {
    "a": "aáàâäãå",
    "c": "cç",
    "e": "eéèêë",
    "i": "iíìîï",
    "n": "nñ",
    "o": "oóòôöõø",
    "u": "uúùûü",
    "y": "yýÿ",
}


def name_pattern(word: str) -> str:
    """A case- and accent-insensitive regex for names with a word starting with `word`
    ("mar" → start of "María", or of "Ana María")."""
    parts = []
    for letter in unicodedata.normalize("NFKD", word.casefold()):
        if unicodedata.combining(letter):
            continue
        variants = _ACCENTS.get(letter)
        if variants:
            parts.append("[" + variants + variants.upper() + "]")
        else:
            parts.append(re.escape(letter))
    return r"(^|[\s'’-])" + "".join(parts)


def search_people(people, query: str):
    """Every word must match: digits search the phone, a word with "@" the email, other words
    the start of any word of the first or last name (accents optional) or of the email. On
    PostgreSQL the pg_trgm indexes serve the regex, prefix and substring lookups; SQLite scans."""
    for word in query[:MAX_QUERY].split()[:5]:
        digits = _PHONE_CHARS.sub("", word)
        if digits.isdigit() and len(digits) >= 3:
            people = people.filter(phone__contains=digits)
        elif "@" in word:
            people = people.filter(email__istartswith=word)
        else:
            pattern = name_pattern(word)
            people = people.filter(
                Q(first_name__iregex=pattern)
                | Q(last_name__iregex=pattern)
                | Q(email__istartswith=word)
            )
    return people


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, email or phone"), "maxlength": 100}
        ),
    )
    congregation = django_filters.ModelChoiceFilter(
        label=_("Congregation"),
        queryset=Congregation.objects.none(),
        method="filter_congregation",
        empty_label=_("All congregations"),
    )
    level = django_filters.ChoiceFilter(
        label=_("Ladder level"), choices=Level.choices, empty_label=_("Any level")
    )
    tag = django_filters.ModelChoiceFilter(
        label=_("Tag"),
        queryset=Tag.objects.all(),
        method="filter_tag",
        empty_label=_("Any tag"),
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Language.choices, empty_label=_("Any language")
    )
    town = django_filters.CharFilter(label=_("Town"), lookup_expr="iexact")
    has_email = django_filters.BooleanFilter(
        label=_("Has email"),
        method="filter_has_email",
        widget=forms.Select(choices=[("", _("Either")), ("true", _("Yes")), ("false", _("No"))]),
    )
    not_met = django_filters.ChoiceFilter(
        label=_("Not met in"),
        choices=[
            ("30", _("30 days")),
            ("90", _("90 days")),
            ("180", _("6 months")),
            ("365", _("a year")),
        ],
        empty_label=_("Any time"),
        method="filter_not_met",
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("archived", _("Archived")), ("all", _("Active and archived"))],
        empty_label=_("Active"),
        method="filter_status",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            ("name", _("Last name")),
            ("first", _("First name")),
            ("-created", _("Newest first")),
            ("-level", _("Ladder, highest first")),
            ("town", _("Town")),
        ],
        empty_label=None,
        method="filter_sort",
    )

    class Meta:
        model = Person
        fields = ["q", "congregation", "level", "tag", "language", "town", "has_email"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["congregation"].queryset = congregations_visible_to(user).order_by("name")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        if not data.get("status"):
            queryset = queryset.filter(archived_at__isnull=True)
        if not data.get("sort"):
            queryset = queryset.order_by(*self._order("name"))
        return queryset

    def _order(self, sort: str) -> list:
        """The sort's columns; a selective search sorts its matches (not the name index)."""
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return name_order(*SORTS[sort], matches_first=is_selective(data.get("q") or ""))

    def filter_search(self, queryset, name, value):
        return search_people(queryset, value)

    def filter_congregation(self, queryset, name, value):
        return queryset.filter(
            Exists(Membership.objects.filter(person=OuterRef("pk"), congregation=value))
        )

    def filter_tag(self, queryset, name, value):
        links = Person.tags.through.objects.filter(person=OuterRef("pk"), tag=value)
        return queryset.filter(Exists(links))

    def filter_has_email(self, queryset, name, value):
        return queryset.exclude(email="") if value else queryset.filter(email="")

    def filter_not_met(self, queryset, name, value):
        """No one-on-one with them (by anyone) in the last N days, never-met included."""
        met = access.people_met_since_q(timezone.localdate() - datetime.timedelta(days=int(value)))
        return queryset if met is None else queryset.exclude(met)

    def filter_status(self, queryset, name, value):
        return queryset.filter(archived_at__isnull=False) if value == "archived" else queryset

    def filter_sort(self, queryset, name, value):
        if value == "-level":
            ranks = [
                When(level=level, then=Value(i)) for i, (level, _l) in enumerate(Level.choices)
            ]
            queryset = queryset.annotate(
                ladder_rank=Case(*ranks, default=Value(0), output_field=IntegerField())
            )
        return queryset.order_by(*self._order(value if value in SORTS else "name"))
