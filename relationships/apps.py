from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from conect import access


class RelationshipsConfig(AppConfig):
    name = "relationships"
    verbose_name = _("Relationships")

    def ready(self):
        # Who met whom is ours to say; the directory, a floor below, asks through conect.access.
        from django.db.models.signals import post_delete, post_save

        from congregations import activity
        from members.models import Person
        from members.signals import person_merged

        from .models import OneOnOne  # models load only once apps are ready
        from .selectors import met_by_q, met_since_q, one_on_ones_by_congregation
        from .tallies import contact_level_copied, contacts_refresh, days_refresh

        access.provide_meeting_filters(met_by=met_by_q, met_since=met_since_q)
        activity.provide("one_on_ones_30", one_on_ones_by_congregation)

        # A merge moves one-on-ones between people: their contact tallies follow.
        def recount_merged(sender, survivor, duplicate_id, **kwargs):
            contacts_refresh([survivor.pk, duplicate_id])

        person_merged.connect(
            recount_merged, sender=Person, weak=False, dispatch_uid="relationships-merge-tallies"
        )

        # Erasing a person deletes their one-on-ones by cascade, past the services: the days
        # they were held recount (the hourly rebuild would otherwise take up to an hour).
        def recount_day(sender, instance, **kwargs):
            days_refresh([(instance.congregation_id, instance.held_on)])

        post_delete.connect(
            recount_day, sender=OneOnOne, weak=False, dispatch_uid="relationships-day-tallies"
        )

        # A ladder move (or a merge's) saves the person: the rising list's copy of the rung
        # follows.
        def copy_level(sender, instance, created=False, update_fields=None, **kwargs):
            if not created and (update_fields is None or "level" in update_fields):
                contact_level_copied(instance)  # a new person has no contact row yet

        post_save.connect(
            copy_level, sender=Person, weak=False, dispatch_uid="relationships-contact-level"
        )
