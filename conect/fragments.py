"""Cached page fragments: the expensive middle of a page (a home's panels, the listening roll-up,
the congregation list) rendered once and served from the cache until something it shows changes.

A fragment is keyed by its name, the language, the reader (user and session's CSRF secret, so a
form inside stays valid), the caller's own parts (today's date, the query string…) and the
*generation* of every topic it reads. A topic ("relational", "people", "actions", "inbox:42") is
a counter in the cache; a write bumps it (at once, and again when its transaction commits), and
every fragment that read the topic is from then on a miss. Three ways a write bumps:

- every request that may write (POST, PUT, PATCH, DELETE) and was not refused bumps, once it has
  been answered, the topics its URL namespace can change (`NAMESPACE_TOPICS`; every topic for
  the others) and the user's inbox (`WritesBumpMiddleware`): whatever a view wrote, by whatever
  path (bulk inserts and `update()` too), the next page read is fresh;
- every save, delete and many-to-many change of a model in an app listed in `APP_TOPICS`
  (`watch_models`, from conect.apps), but the bookkeeping models of `UNWATCHED`, whose bulk
  deletes must stay fast (a delete receiver makes Django fetch every row to signal it);
- a write outside a request that bypasses the ORM's signals (an import run by the worker, the
  reminder sweep, the tally recounts) calls `bump()` itself.

Whatever is missed, a fragment lives at most `FRESH_SECONDS`: a write that bumped nothing (a
Redis blip, a script) shows within that. With Redis down the cache fails open (conect/cache.py):
every fragment is rendered afresh. The ground floor: imports no app.
"""

import hashlib
import secrets
import threading
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

FRESH_SECONDS = 60
PREFIX = "frag"

# Every topic a page reads but the per-user inbox's.
TOPICS = ("people", "relational", "actions")
# Which topic a write to an app's models touches. Apps not listed (sessions, notifications,
# audit) invalidate nothing on their own: the inbox has its per-user topic (`inbox_topic`).
APP_TOPICS = {
    "congregations": ("people",),
    "members": ("people",),
    "relationships": ("relational",),
    "campaigns": ("actions",),
    "actions": ("actions",),
    "accountability": ("actions",),
}


# Bookkeeping rows no page shows as such, written in bulk: tallies (their recounts bump),
# import staging rows, the duplicate queue (rebuilt nightly), audit events, calendar tokens.
UNWATCHED = {
    "congregations.CongregationTally",
    "members.LadderTally",
    "members.ImportRow",
    "members.ImportJob",
    "members.DuplicatePair",
    "members.AuditEvent",
    "relationships.PersonContact",
    "relationships.ListeningTally",
    "actions.CalendarFeed",
}


def inbox_topic(user_id: int) -> str:
    return f"inbox:{user_id}"


def _generation_key(topic: str) -> str:
    return f"{PREFIX}:gen:{topic}"


def generations(topics: Iterable[str]) -> list[int]:
    """The current generation of each topic (one cache round trip; a topic never bumped, or
    evicted, starts at a fresh random value so an old fragment cannot match it)."""
    keys = [_generation_key(t) for t in topics]
    found = cache.get_many(keys)
    missing = {k: secrets.randbits(48) for k in keys if k not in found}
    if missing:
        for key, value in missing.items():
            cache.add(key, value, timeout=None)
        found.update(cache.get_many(list(missing)))
    return [found.get(k, missing.get(k, 0)) for k in keys]


_pending = threading.local()


def _new_generations(topics) -> dict[str, int]:
    return {_generation_key(t): secrets.randbits(48) for t in topics}


def _flush() -> None:
    topics = getattr(_pending, "topics", None)
    if topics:
        _pending.topics = set()
        cache.set_many(_new_generations(topics), timeout=None)


def bump(*topics: str) -> None:
    """Invalidate every fragment that reads any of `topics`: at once (this transaction's own
    later reads, and tests, which never commit), and again once the transaction commits, so a
    reader who cached the data as it was before the commit is not served after it. The
    commit-time bumps of one transaction go to the cache together, in one callback."""
    if not topics:
        return
    cache.set_many(_new_generations(topics), timeout=None)
    db = transaction.get_connection()
    if not db.in_atomic_block:
        return  # autocommit: the write is already committed
    pending = getattr(_pending, "topics", None)
    if pending is None:
        pending = _pending.topics = set()
    pending.update(topics)
    if not any(callback is _flush for _sids, callback, *_rest in db.run_on_commit):
        transaction.on_commit(_flush)


def reader_key(request) -> str:
    """Who reads: the user, and a hash of their CSRF secret (a form rendered inside the fragment
    carries a token made from it; a new sign-in rotates it, and so misses)."""
    digest = hashlib.blake2s(request.META["CSRF_COOKIE"].encode(), digest_size=6).hexdigest()
    return f"{request.user.pk}.{digest}"


def cached_value(name: str, topics: Iterable[str], compute: Callable[[], object], *, parts=()):
    """`compute()`, kept in the cache under `name` and `parts` until a topic it reads is bumped
    (or `FRESH_SECONDS` pass). `compute` must not return None (None is the cache's miss)."""
    key = ":".join([PREFIX, name, *map(str, parts), *map(str, generations(tuple(topics)))])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=FRESH_SECONDS)
    return value


def cached_fragment(
    request,
    name: str,
    topics: Iterable[str],
    render: Callable[[], str],
    *,
    parts: Iterable[object] = (),
) -> SafeString:
    """The HTML of fragment `name`: from the cache if no topic it reads has changed, else
    `render()`d and stored for `FRESH_SECONDS`. The key holds the reader, the page's path and
    query string, the language and `parts` (today's date, say). A reader with no CSRF secret
    yet (their first page) is not cached: the tokens in a form would not match the secret the
    page is about to give them."""
    if not request.META.get("CSRF_COOKIE"):
        return mark_safe(str(render()))  # noqa: S308 (our own autoescaping templates)
    path = hashlib.blake2s(request.get_full_path().encode(), digest_size=8).hexdigest()
    key_parts = [translation.get_language() or "-", reader_key(request), path, *parts]
    html = cached_value(name, topics, lambda: str(render()), parts=key_parts)
    return mark_safe(html)  # noqa: S308 (rendered by our own autoescaping templates)


def rendered_body(
    request, name: str, topics: Iterable[str], template: str, build: Callable[[], dict], **kwargs
) -> SafeString:
    """`cached_fragment` of `template` rendered with the context `build()` returns: the queries
    and the rendering both happen only on a miss."""
    return cached_fragment(
        request, name, topics, lambda: render_to_string(template, build(), request), **kwargs
    )


def on_model_write(sender, **kwargs) -> None:
    """The one receiver of post_save, post_delete and m2m_changed: bump the app's topics."""
    meta = getattr(sender, "_meta", None)
    if meta is None:
        return
    action = kwargs.get("action")
    if action is not None and not action.startswith("post_"):
        return  # m2m_changed's pre_add/pre_remove/pre_clear: the post_ one follows
    if meta.label == "notifications.Notification":
        recipient = getattr(kwargs.get("instance"), "recipient_user_id", None)
        if recipient:
            bump(inbox_topic(recipient))
        return
    topics = APP_TOPICS.get(meta.app_label)
    if topics:
        bump(*topics)


def watch_models() -> None:
    """Connect `on_model_write` to every watched model (and the inbox's Notification)."""
    from django.apps import apps
    from django.db.models import signals

    labels = [*APP_TOPICS, "notifications"]
    for config in apps.get_app_configs():
        if config.label not in labels:
            continue
        for model in config.get_models(include_auto_created=True):
            label = model._meta.label
            if label in UNWATCHED or (
                config.label == "notifications" and label != "notifications.Notification"
            ):
                continue
            uid = f"conect-fragments-{label}"
            signals.post_save.connect(on_model_write, sender=model, dispatch_uid=uid)
            signals.post_delete.connect(on_model_write, sender=model, dispatch_uid=uid)
            # m2m_changed's sender is the many-to-many's table (its own model, or Django's).
            signals.m2m_changed.connect(on_model_write, sender=model, dispatch_uid=uid)


# What a writing request of a URL namespace can change, for the namespaces whose views write
# only their own app's rows in bulk (anything else they write goes through model signals).
# Every other namespace (people, congregations, dues, the admin, the API, sign-in) bumps all.
NAMESPACE_TOPICS = {
    "actions": ("actions",),
    "campaigns": ("actions",),
    "accountability": ("actions",),
    "relationships": ("relational",),
    "notifications": (),
}


class WritesBumpMiddleware:
    """After any request that may have written (not GET, HEAD, OPTIONS), bump the topics its
    namespace can change: the views' bulk writes send no signal. A refused request (4xx) wrote
    nothing and bumps nothing. The user's inbox is bumped too (read, dismissed)."""

    SAFE = {"GET", "HEAD", "OPTIONS", "TRACE"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in self.SAFE and response.status_code < 400:
            match = getattr(request, "resolver_match", None)
            namespace = match.namespaces[0] if match is not None and match.namespaces else ""
            topics = NAMESPACE_TOPICS.get(namespace, TOPICS)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                topics = (*topics, inbox_topic(user.pk))
            bump(*topics)  # one cache write for all of them
        return response
