"""Visitors' library pages are answered from the cache (core.pagecache) while the
"resources" generation stays the same: every change to what they show bumps it once it
commits. A resource (published, edited, unpublished, featured), its topics, a topic's name,
the search's synonyms and best bets all change the list, search results, resource pages
and the home page; topics and recordings show on event pages too, which read this area.

Model signals see every save and delete, whoever makes them (services, admin, the demo
data). Bumping too often costs a page built again; too seldom, a stale page."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from core import generations
from resources.models import BestBet, Resource, SearchSynonym, Topic

SHOWN = (Resource, Topic, SearchSynonym, BestBet)


def resources_changed(**kwargs) -> None:
    generations.bump("resources")


def topics_changed(action: str, **kwargs) -> None:
    if action.startswith("post_"):
        generations.bump("resources")


def connect() -> None:
    for model in SHOWN:
        label = model._meta.label_lower
        post_save.connect(resources_changed, sender=model, dispatch_uid=f"generations-{label}-save")
        post_delete.connect(
            resources_changed, sender=model, dispatch_uid=f"generations-{label}-delete"
        )
    m2m_changed.connect(
        topics_changed, sender=Resource.topics.through, dispatch_uid="generations-resource-topics"
    )
