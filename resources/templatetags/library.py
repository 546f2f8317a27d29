from django import template

from resources.search import highlighted

register = template.Library()


@register.filter
def highlight(snippet: str | None) -> str:
    """A search snippet, escaped, with the words that matched in <mark>."""
    return highlighted(snippet)
