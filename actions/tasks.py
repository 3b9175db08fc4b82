"""Celery tasks: thin wrappers around services."""

from celery import shared_task

from .models import Action
from .services import return_to_relationships, return_to_relationships_sweep


@shared_task
def return_to_relationships_task(*, action_id: int) -> int:
    action = Action.objects.filter(pk=action_id).first()
    return return_to_relationships(action=action) if action else 0


@shared_task(ignore_result=True)
def return_to_relationships_sweep_task() -> int:
    """Every few minutes from beat: follow-ups for group evaluations whose task was lost."""
    return return_to_relationships_sweep()
