"""What the feature apps plug into the notification ledger, without core importing them.

- @builds(kind): the function that turns a claimed notification of that kind into a message
  (or None when it is no longer needed). Each app registers its kinds in its
  notifications.py, which its AppConfig.ready() imports.
- @summary_section: a function (membership) -> {"title", "items": [{"text", "url"}], "url"}
  or None, one section of the staff morning summary.
"""

from collections.abc import Callable

Builder = Callable[[object], dict | None]
_builders: dict[str, Builder] = {}


def builds(kind: str) -> Callable[[Builder], Builder]:
    """Register the function that turns a notification of `kind` into a message (or None to skip)."""

    def register(func: Builder) -> Builder:
        _builders[kind] = func
        return func

    return register


def builder_for(kind: str) -> Builder:
    return _builders[kind]


SummaryProvider = Callable[[object], dict | None]
_summary_providers: list[SummaryProvider] = []


def summary_section(func: SummaryProvider) -> SummaryProvider:
    _summary_providers.append(func)
    return func


def staff_summary_sections(membership) -> list[dict]:
    return [section for provider in _summary_providers if (section := provider(membership))]
