"""Celery tasks: thin wrappers around services."""

from celery import shared_task

from .models import Action
from .services import return_to_relationships


@shared_task
def return_to_relationships_task(*, action_id: int) -> int:
    action = Action.objects.filter(pk=action_id).first()
    return return_to_relationships(action=action) if action else 0
