from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from conect import access


class RelationshipsConfig(AppConfig):
    name = "relationships"
    verbose_name = _("Relationships")

    def ready(self):
        # Who met whom is ours to say; the directory, a floor below, asks through conect.access.
        from congregations import activity

        from .selectors import (  # models load only once apps are ready
            met_by_q,
            met_since_q,
            one_on_ones_by_congregation,
        )

        access.provide_meeting_filters(met_by=met_by_q, met_since=met_since_q)
        activity.provide("one_on_ones_30", one_on_ones_by_congregation)
        # A merge moves one-on-ones between people: their contact tallies follow.
        from members.models import Person
        from members.signals import person_merged

        from .tallies import contacts_refresh

        def recount_merged(sender, survivor, duplicate_id, **kwargs):
            contacts_refresh([survivor.pk, duplicate_id])

        person_merged.connect(
            recount_merged, sender=Person, weak=False, dispatch_uid="relationships-merge-tallies"
        )
        # Erasing a person deletes their one-on-ones by cascade, past the services: the days
        # they were held recount (the hourly rebuild would otherwise take up to an hour).
        from django.db.models.signals import post_delete

        from .models import OneOnOne
        from .tallies import days_refresh

        def recount_day(sender, instance, **kwargs):
            days_refresh([(instance.congregation_id, instance.held_on)])

        post_delete.connect(
            recount_day, sender=OneOnOne, weak=False, dispatch_uid="relationships-day-tallies"
        )
