"""The one way to queue a Celery task: after the transaction commits, logged, never raised.

A web request that queues work must not fail because the broker is down, and work must not be
lost because of it: every task queued through here leaves its effect recoverable from the
database (a row still pending, a marker still empty), and a periodic sweep in beat picks it up
when the broker is back. `dispatch` is for code that writes (services); `send` is for the sweeps
themselves, which run outside a request.
"""

import logging
from functools import partial

from django.db import transaction

log = logging.getLogger(__name__)


def dispatch(task, /, *args, **kwargs) -> None:
    """Queue `task(*args, **kwargs)` once the current transaction commits (at once outside one).
    A broker that does not answer is logged; the caller's sweep does the work later."""
    transaction.on_commit(partial(send, task, *args, **kwargs))


def send(task, /, *args, **kwargs) -> bool:
    """Queue `task` now; False (and a warning in the log) when the broker refused it."""
    if task.app.conf.task_always_eager:
        # Tests run tasks in-process: an error in the task is the task's, and must surface.
        task.apply_async(args, kwargs)
        return True
    try:
        task.apply_async(args, kwargs)
    except Exception as error:  # the broker is down or refused: the sweep will do the work
        log.warning(
            "could not queue %s (%s: %s); the next sweep will do it",
            task.name,
            type(error).__name__,
            error,
        )
        return False
    return True
