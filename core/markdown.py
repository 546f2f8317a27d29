"""Markdown written by curators becomes HTML that is safe to show: nh3 removes anything else."""

import nh3
from markdown_it import MarkdownIt

# Curators may paste HTML as well as write Markdown; nh3 keeps only the allowed tags and attributes.
_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable(
    "table"
)

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


def render_markdown(text: str) -> str:
    """Markdown (or pasted HTML) to sanitised HTML: no scripts, styles or event-handler attributes."""
    return sanitise_html(_markdown.render(text or ""))
