"""Generation numbers: what a cached copy was built from, shared by every process.

Each area of the portal that visitors read ("resources", "events", "places", "localoffer",
"site") has a number in the cache that changes whenever anything it shows changes: a
resource published or edited, an event's details ("events"), a booking that changes how
many places are left ("places": bookings are the commonest change, and pages that do not
show places, such as the calendar, need not be built again for them).
A cached page or list is stored with the numbers it was built from and used only while
they are still current, so it is never stale: a change anywhere, on any machine, makes
every copy built before it useless at once, without having to know which keys to delete.

    from core import generations

    generations.bump("events")                  # after the change commits
    built_from = generations.current("events")  # (1764523340123,)

The numbers live in the default cache (Redis in production, shared by every web process
and worker). They never expire. When no number has been set yet an area reads as 0;
the first bump starts it from the clock in milliseconds, so after Redis is emptied no
old copy can match a new number.
"""

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

AREAS = ("resources", "events", "places", "localoffer", "site")


def _key(area: str) -> str:
    if area not in AREAS:
        raise ValueError(f"Unknown area {area!r}: expected one of {', '.join(AREAS)}")
    return f"generation:{area}"


def keys(*areas: str) -> list[str]:
    """The areas' keys in the cache, for a reader that fetches them in the same round trip
    as its own keys (core.pagecache); a key not found reads as 0, as in `current`."""
    return [_key(area) for area in areas]


def current(*areas: str) -> tuple[int, ...]:
    """The areas' numbers now, in the order asked, in one round trip to the cache."""
    found_keys = keys(*areas)
    found = cache.get_many(found_keys)
    return tuple(int(found.get(key, 0)) for key in found_keys)


def bump_now(*areas: str) -> None:
    """Change the areas' numbers at once (inside a transaction, use `bump`)."""
    for area in areas:
        key = _key(area)
        # add() sets only a missing key; incr() then moves it on, atomically in Redis.
        cache.add(key, int(time.time() * 1000), timeout=None)
        try:
            cache.incr(key)
        except ValueError:  # removed between add and incr (cache emptied): start again
            cache.set(key, int(time.time() * 1000), timeout=None)


def bump(*areas: str) -> None:
    """Change the areas' numbers once the current transaction commits (at once outside one).

    After the commit, not before: a page rebuilt between the bump and the commit would
    otherwise be stored with the new number but show the old data."""
    for area in areas:
        _key(area)  # a misspelt area fails here, in the caller, not after the commit
    transaction.on_commit(lambda: bump_now(*areas))


def bump_on_change(area: str, *, models=(), through=()) -> None:
    """Bump `area` after any save or delete of `models` and any change to the many-to-many
    tables `through`, whoever makes it (services, admin, the demo data): called once from
    each app's ready(). What signals cannot see (bulk_create, queryset.update()) the
    services bump themselves."""
    _key(area)

    def changed(**kwargs) -> None:
        if kwargs.get("action", "post_").startswith("post_"):
            bump(area)

    for model in models:
        label = model._meta.label_lower
        post_save.connect(
            changed, sender=model, weak=False, dispatch_uid=f"generations-{label}-save"
        )
        post_delete.connect(
            changed, sender=model, weak=False, dispatch_uid=f"generations-{label}-delete"
        )
    for table in through:
        label = table._meta.label_lower
        m2m_changed.connect(changed, sender=table, weak=False, dispatch_uid=f"generations-{label}")
