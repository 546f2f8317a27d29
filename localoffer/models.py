"""Each council's kinship local offer, in the statutory sections, and support groups.

Since October 2024 statutory guidance asks every English council to publish a kinship local
offer covering support groups, financial support, help with accommodation, education, family
time, legal support and therapeutic support. The portal adds contacts and how to ask for an
assessment of support, which carers look for first.
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.fields import ChoiceSetField
from core.i18n import Bilingual
from core.markdown import render_markdown
from core.templatetags.portal import govuk_time

# A council's address is /local-offer/<slug>/; these addresses are the portal's own pages.
RESERVED_SLUGS = ("groups",)

MARKDOWN_HELP = _(
    "Markdown: **bold**, [links](https://…), lists and headings. Scripts and styles are removed."
)


class LocalOfferQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=LocalOffer.Status.PUBLISHED)


class LocalOffer(Bilingual, models.Model):
    """One council's kinship local offer. Drafts are not shown to the public."""

    WELSH_FIELDS = ("intro",)

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    local_authority = models.OneToOneField(
        "schools.LocalAuthority",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="local_offer",
    )
    # A slug of its own, not derived from the council's name on each request: the address
    # stays the same if the council is renamed, and only councils with an offer need one.
    slug = models.SlugField(
        _("web address"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("The end of /local-offer/…/. Leave empty to make it from the council's name."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("A few sentences shown above the sections.")
    )
    intro_cy = models.TextField(_("introduction in Welsh"), blank=True)
    last_reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    review_due_on = models.DateField(_("review due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), db_default=Now(), editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LocalOfferQuerySet.as_manager()

    class Meta:
        ordering = ["local_authority__name"]
        verbose_name = _("local offer")
        verbose_name_plural = _("local offers")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(slug__in=RESERVED_SLUGS), name="localoffer_slug_not_reserved"
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(council)s kinship local offer") % {"council": self.local_authority.name}

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.local_authority.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("localoffer:detail", args=[self.slug])

    def get_editor_url(self) -> str:
        return reverse("localoffer_editor:manage", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def review_overdue(self) -> bool:
        return self.review_due_on is not None and self.review_due_on < timezone.localdate()


class SectionKind(models.TextChoices):
    """In the order of the statutory guidance, then the portal's two."""

    SUPPORT_GROUPS = "support_groups", _("Support groups")
    FINANCIAL = "financial", _("Financial support")
    ACCOMMODATION = "accommodation", _("Help with accommodation")
    EDUCATION = "education", _("Education")
    FAMILY_TIME = "family_time", _("Family time")
    LEGAL = "legal", _("Legal support")
    THERAPEUTIC = "therapeutic", _("Therapeutic support")
    ASSESSMENT = "assessment", _("How to ask for an assessment of support")
    CONTACTS = "contacts", _("Contacts")


SECTION_ORDER = {kind: position for position, kind in enumerate(SectionKind.values)}


class LocalOfferSection(Bilingual, models.Model):
    WELSH_FIELDS = ("body", "link_text")

    offer = models.ForeignKey(
        LocalOffer, verbose_name=_("local offer"), on_delete=models.CASCADE, related_name="sections"
    )
    kind = models.CharField(_("section"), max_length=20, choices=SectionKind.choices)
    position = models.PositiveSmallIntegerField(editable=False, default=0)
    body = models.TextField(_("text"), help_text=MARKDOWN_HELP)
    body_cy = models.TextField(_("text in Welsh"), blank=True)
    body_html = models.TextField(blank=True, editable=False)
    body_html_cy = models.TextField(blank=True, editable=False)
    link_url = models.URLField(
        _("link or document"),
        max_length=500,
        blank=True,
        help_text=_("A page or a document (such as a PDF) on the council's website."),
    )
    link_text = models.CharField(_("link text"), max_length=150, blank=True)
    link_text_cy = models.CharField(_("link text in Welsh"), max_length=150, blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "kind"], name="localoffer_one_section_per_kind"
            )
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def save(self, *args, **kwargs):
        # Whoever saves it (admin, a service, the demo data), the stored HTML is sanitised.
        self.position = SECTION_ORDER.get(self.kind, len(SECTION_ORDER))
        self.body_html = render_markdown(self.body)
        self.body_html_cy = render_markdown(self.body_cy)
        super().save(*args, **kwargs)

    @property
    def anchor(self) -> str:
        return self.kind.replace("_", "-")


class LocalOfferChange(models.Model):
    """One change to a council's offer, by one of its editors or a content admin: the
    offer's change history. Written by localoffer.services.record_changes; never edited."""

    class Action(models.TextChoices):
        CREATED = "created", _("Started")
        ADDED = "added", _("Added")
        CHANGED = "changed", _("Changed")
        REMOVED = "removed", _("Removed")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    # What was changed: a section's kind, or one of these.
    DETAILS = "details"
    STATUS = "status"

    offer = models.ForeignKey(
        LocalOffer, verbose_name=_("local offer"), on_delete=models.CASCADE, related_name="changes"
    )
    at = models.DateTimeField(_("when"), db_default=Now(), editable=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_by_label = models.CharField(
        _("changed by"), max_length=200, help_text=_("Who it was, kept if their account goes.")
    )
    part = models.CharField(_("part"), max_length=20)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    # [{"field": "body", "before": "…", "after": "…"}, …], in the model's field order.
    changes = models.JSONField(_("changes"), default=list, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("local offer change")
        verbose_name_plural = _("local offer changes")
        indexes = [models.Index(fields=["offer", "-at"], name="localoffer_change_recent_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.part_label} ({self.changed_by_label})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Local offer changes cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Local offer changes cannot be deleted")

    @property
    def part_label(self) -> str:
        if self.part == self.DETAILS:
            return gettext("Introduction and review dates")
        if self.part == self.STATUS:
            return gettext("Who can see the offer")
        if self.part in SectionKind.values:
            return str(SectionKind(self.part).label)
        return self.part

    @property
    def field_changes(self) -> list[dict]:
        """The changes with each field's name as a person reads it."""
        model = LocalOffer if self.part in (self.DETAILS, self.STATUS) else LocalOfferSection
        labelled = []
        for change in self.changes:
            try:
                label = model._meta.get_field(change["field"]).verbose_name
            except FieldDoesNotExist:  # a field since removed: show its stored name
                label = change["field"]
            labelled.append({**change, "label": str(label)[:1].upper() + str(label)[1:]})
        return labelled


class GroupFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    BOTH = "both", _("Online and in person")


class GroupTheme(models.TextChoices):
    GRANDPARENTS = "grandparents", _("Grandparents")
    MALE_CARERS = "male_carers", _("Male carers")
    YOUNG_CARERS = "young_carers", _("Young kinship carers")
    UNDER_35S = "under_35s", _("Carers under 35")
    LGBT = "lgbt", _("LGBT+ carers")
    SPECIAL_GUARDIANS = "special_guardians", _("Special guardians")
    INFORMAL_CARERS = "informal_carers", _("Informal kinship carers")
    FOSTER_CARERS = "foster_carers", _("Kinship foster carers")
    WELSH_LANGUAGE = "welsh_language", _("Welsh speakers")


class WeekOfMonth(models.TextChoices):
    EVERY = "every", _("Every week")
    FIRST = "first", _("First week of the month")
    SECOND = "second", _("Second week of the month")
    THIRD = "third", _("Third week of the month")
    FOURTH = "fourth", _("Fourth week of the month")
    LAST = "last", _("Last week of the month")


def _recurrence(week: str, day: str) -> str:
    """ "Every Tuesday", "Second Tuesday of each month": one whole sentence per case, so the
    Welsh can put the words in its own order."""
    sentences = {
        WeekOfMonth.EVERY: gettext("Every %(day)s"),
        WeekOfMonth.FIRST: gettext("First %(day)s of each month"),
        WeekOfMonth.SECOND: gettext("Second %(day)s of each month"),
        WeekOfMonth.THIRD: gettext("Third %(day)s of each month"),
        WeekOfMonth.FOURTH: gettext("Fourth %(day)s of each month"),
        WeekOfMonth.LAST: gettext("Last %(day)s of each month"),
    }
    return sentences[week] % {"day": day}


class SupportGroupQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class SupportGroup(Bilingual, models.Model):
    """A peer support group for kinship carers: a council's, or national and online."""

    WELSH_FIELDS = ("name", "description")

    name = models.CharField(_("name"), max_length=150)
    name_cy = models.CharField(_("name in Welsh"), max_length=150, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_cy = models.TextField(_("description in Welsh"), blank=True)
    local_authority = models.ForeignKey(
        "schools.LocalAuthority",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_groups",
        help_text=_("Leave empty for a national or online group open to carers anywhere."),
    )
    format = models.CharField(_("format"), max_length=12, choices=GroupFormat.choices)
    venue = models.CharField(
        _("venue"), max_length=250, blank=True, help_text=_("The place and its address.")
    )
    access_information = models.TextField(
        _("access information"),
        blank=True,
        help_text=_("Step-free access, parking, public transport, hearing loop, childcare."),
    )
    weekday = models.PositiveSmallIntegerField(
        _("day"), choices=sorted(WEEKDAYS.items()), null=True, blank=True
    )
    week_of_month = models.CharField(
        _("week of the month"), max_length=8, choices=WeekOfMonth.choices, blank=True
    )
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    themes = ChoiceSetField(
        _("who it is for"),
        choices=GroupTheme.choices,
        help_text=_("Leave empty if it is for every kinship carer."),
    )
    run_by = models.CharField(_("run by"), max_length=150, blank=True)
    how_to_join = models.TextField(_("how to join"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    events = models.ManyToManyField(
        "events.Event",
        verbose_name=_("events"),
        blank=True,
        related_name="support_groups",
        help_text=_("The group's meetings or sessions booked through the portal."),
    )
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), db_default=Now(), editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SupportGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("support group")
        verbose_name_plural = _("support groups")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(week_of_month="") | models.Q(weekday__isnull=False),
                name="supportgroup_recurrence_has_day",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def meets(self) -> str:
        """When it meets, as a sentence: "Second Tuesday of each month, 10am to midday"."""
        parts = []
        if self.weekday is not None:
            parts.append(
                _recurrence(self.week_of_month or WeekOfMonth.EVERY, WEEKDAYS[self.weekday])
            )
        if self.starts_at and self.ends_at:
            parts.append(
                gettext("%(start)s to %(end)s")
                % {"start": govuk_time(self.starts_at), "end": govuk_time(self.ends_at)}
            )
        elif self.starts_at:
            parts.append(govuk_time(self.starts_at))
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]

    def get_theme_labels(self) -> list[str]:
        return [str(GroupTheme(t).label) for t in self.themes if t in GroupTheme.values]

    @property
    def is_national(self) -> bool:
        return self.local_authority_id is None
