"""Visitors' library pages are answered from the cache (core.pagecache) while the
"resources" generation stays the same: every change to what they show bumps it once it
commits. A resource (published, edited, unpublished, featured), its topics, a topic's name,
the search's synonyms and best bets all change the list, search results, resource pages
and the home page; topics and recordings show on event pages too, which read this area.

Model signals see every save and delete, whoever makes them (services, admin, the demo
data). Bumping too often costs a page built again; too seldom, a stale page."""

from core import generations
from resources.models import BestBet, Resource, SearchSynonym, Topic


def connect() -> None:
    generations.bump_on_change(
        "resources",
        models=(Resource, Topic, SearchSynonym, BestBet),
        through=(Resource.topics.through,),
    )
