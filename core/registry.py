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


# Text messages -----------------------------------------------------------------------------
# Which channels a person wants for a kind of notification, the mobile number texts go to,
# and what happens when a number can never be reached. The carers app registers all three
# (carers/notifications.py); without them everyone gets e-mail only, as before texts.

EMAIL, SMS = "email", "sms"

ChannelsProvider = Callable[[object, str], set[str]]
MobileProvider = Callable[[object], str | None]
FailureHandler = Callable[[object], None]
_texts: dict[str, Callable] = {}


def channels_provider(func: ChannelsProvider) -> ChannelsProvider:
    """Register (user, kind) -> {"email"}, {"sms"} or {"email", "sms"}."""
    _texts["channels"] = func
    return func


def mobile_provider(func: MobileProvider) -> MobileProvider:
    """Register (user) -> their verified mobile number in E.164 form, or None."""
    _texts["mobile"] = func
    return func


def text_failure_handler(func: FailureHandler) -> FailureHandler:
    """Register (user) -> None, called when a text to their number failed for good."""
    _texts["failure"] = func
    return func


def channels_for(user, kind: str) -> set[str]:
    provider = _texts.get("channels")
    return provider(user, kind) if provider else {EMAIL}


def mobile_for(user) -> str | None:
    provider = _texts.get("mobile")
    return provider(user) if provider else None


def text_failed_for_good(user) -> None:
    handler = _texts.get("failure")
    if handler:
        handler(user)
