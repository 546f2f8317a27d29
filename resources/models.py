from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.choices import Arrangement
from core.fields import ChoiceSetField
from core.i18n import Bilingual
from core.markdown import render_markdown


class Topic(Bilingual, models.Model):
    """A subject carers can follow and resources are filed under."""

    WELSH_FIELDS = ("name", "description")

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=250, blank=True)
    name_cy = models.CharField(_("name in Welsh"), max_length=80, blank=True)
    description_cy = models.CharField(_("description in Welsh"), max_length=250, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.shown.name


class Audience(models.TextChoices):
    CARERS = "carers", _("Kinship carers")
    SCHOOLS = "schools", _("Schools and designated teachers")
    PROFESSIONALS = "professionals", _("Professionals")


class Stage(models.TextChoices):
    EARLY_YEARS = "eyfs", _("Early years (under 5)")
    KS1 = "ks1", _("Key stage 1 (age 5 to 7)")
    KS2 = "ks2", _("Key stage 2 (age 7 to 11)")
    KS3 = "ks3", _("Key stage 3 (age 11 to 14)")
    KS4 = "ks4", _("Key stage 4 (age 14 to 16)")
    POST_16 = "post16", _("16 to 19")


class ResourceQuerySet(models.QuerySet):
    def live(self, now=None):
        """Published, and its publish time has come."""
        return self.filter(
            status=Resource.Status.PUBLISHED, published_at__lte=now or timezone.now()
        )

    def visible_to(self, user, now=None):
        """What this person may read: every live resource, except staff-only ones.

        Staff-only resources are for Virtual School staff and content admins. Audience does
        not decide access: it describes who a resource is for, and lists can filter on it,
        so guidance for schools and professionals is as public as guidance for carers.
        """
        qs = self.live(now)
        if can_read_staff_only(user):
            return qs
        return qs.filter(staff_only=False)


def can_read_staff_only(user) -> bool:
    """Virtual School staff and content admins."""
    return bool(user.is_authenticated and (user.is_staff or user.is_school_staff))


class Resource(Bilingual, models.Model):
    WELSH_FIELDS = ("title", "summary", "body")

    class Kind(models.TextChoices):
        GUIDE = "guide", _("Guide")
        ARTICLE = "article", _("Article")
        VIDEO = "video", _("Video")
        RECORDING = "recording", _("Webinar recording")
        DOCUMENT = "document", _("Downloadable document")
        LINK = "link", _("External link")
        TOOL = "tool", _("App or tool")
        COURSE = "course", _("Course")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(verbose_name=_("title"), max_length=200)
    slug = models.SlugField(verbose_name=_("slug"), max_length=200, unique=True)
    summary = models.CharField(
        verbose_name=_("summary"),
        max_length=400,
        help_text=_("One or two sentences shown in search results."),
    )
    body = models.TextField(
        verbose_name=_("body"),
        blank=True,
        help_text=_(
            "Markdown: **bold**, [links](https://…), lists and headings. Scripts and styles are removed."
        ),
    )
    body_html = models.TextField(blank=True, editable=False)
    # Welsh (core.i18n): empty means "not yet in Welsh"; Welsh pages then show the English.
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    summary_cy = models.CharField(_("summary in Welsh"), max_length=400, blank=True)
    body_cy = models.TextField(_("body in Welsh"), blank=True)
    body_html_cy = models.TextField(blank=True, editable=False)
    kind = models.CharField(
        verbose_name=_("kind"), max_length=20, choices=Kind.choices, default=Kind.GUIDE
    )
    file = models.FileField(
        verbose_name=_("file"),
        upload_to="resources/%Y/%m/",
        blank=True,
        help_text=_("PDF, Word (.docx) or an image (JPEG, PNG). 20 MB at most."),
    )
    external_url = models.URLField(_("external link"), blank=True, max_length=500)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="resources"
    )
    audiences = ChoiceSetField(
        verbose_name=_("audiences"),
        choices=Audience.choices,
        help_text=_(
            "Who it is for. This describes it and people can filter by it; it does not hide "
            "it. “Staff only” decides who can read it."
        ),
    )
    arrangements = ChoiceSetField(
        _("arrangement types"),
        choices=Arrangement.choices,
        help_text=_("Leave empty if it applies to every arrangement."),
    )
    stages = ChoiceSetField(
        _("ages and key stages"),
        choices=Stage.choices,
        help_text=_("Leave empty if it applies at any age."),
    )
    local_authority = models.ForeignKey(
        "schools.LocalAuthority",
        verbose_name=_("local authority"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
        help_text=_("Leave empty for national resources."),
    )
    source_organisation = models.CharField(
        verbose_name=_("source organisation"), max_length=150, blank=True
    )
    staff_only = models.BooleanField(
        _("staff only"),
        default=False,
        help_text=_(
            "Only Virtual School staff and content admins can read it. Who it is for (above) "
            "describes it; it does not hide it."
        ),
    )
    featured = models.BooleanField(
        verbose_name=_("featured"), default=False, help_text=_("Shown on the home page.")
    )

    status = models.CharField(
        verbose_name=_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("When it goes live. Set a future time to schedule it."),
    )
    last_reviewed_on = models.DateField(verbose_name=_("last reviewed on"), null=True, blank=True)
    review_due_on = models.DateField(
        _("review due"),
        null=True,
        blank=True,
        help_text=_("When legal or financial content must be checked again."),
    )
    created_at = models.DateTimeField(db_default=Now(), editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)
    # Welsh text, indexed on its own (PostgreSQL has no Welsh stemmer): see migration 0007.
    search_vector_cy = SearchVectorField(null=True, editable=False)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        # The full-text and trigram indexes are PostgreSQL-only: see migration 0004.
        indexes = [
            models.Index(fields=["status", "published_at"], name="resource_live_idx"),
            # What carers and visitors may read, newest first: the library's pages and their
            # count read it alone (an index-only scan), not 50,000 wide rows.
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(status="published", staff_only=False),
                name="resource_public_idx",
            ),
            # The home page's featured guides: a handful among tens of thousands, newest first.
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(featured=True),
                name="resource_featured_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="resource_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Whoever saves it (admin, a service, an import), the stored HTML is sanitised.
        self.body_html = render_markdown(self.body)
        self.body_html_cy = render_markdown(self.body_cy)
        if kwargs.get("update_fields") is not None:
            fields = set(kwargs["update_fields"])
            fields |= {"body_html"} if "body" in fields else set()
            fields |= {"body_html_cy"} if "body_cy" in fields else set()
            kwargs["update_fields"] = fields
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("resources:detail", args=[self.slug])

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
        )

    @property
    def review_overdue(self) -> bool:
        return self.review_due_on is not None and self.review_due_on < timezone.localdate()

    @property
    def is_for_carers(self) -> bool:
        """Describes the audience only: whether someone may read it is `is_visible_to`."""
        return Audience.CARERS in self.audiences

    def is_visible_to(self, user, now=None) -> bool:
        """The one-resource form of `Resource.objects.visible_to(user)`."""
        return self.is_live(now) and (not self.staff_only or can_read_staff_only(user))

    def get_audience_labels(self) -> list[str]:
        return [str(Audience(a).label) for a in self.audiences if a in Audience.values]

    def get_arrangement_labels(self) -> list[str]:
        return [str(Arrangement(a).label) for a in self.arrangements if a in Arrangement.values]

    def get_stage_labels(self) -> list[str]:
        return [str(Stage(s).label) for s in self.stages if s in Stage.values]


class SavedResource(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_resources"
    )
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="saves")
    saved_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["-saved_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "resource"], name="saved_resource_once")
        ]

    def __str__(self) -> str:
        return gettext("%(resource)s saved by %(user)s") % {
            "resource": self.resource,
            "user": self.user,
        }


class ResourceFeedback(models.Model):
    """'Was this page useful?' answers, for curators."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="feedback")
    useful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=1200)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = _("resource feedback")

    def __str__(self) -> str:
        if self.useful:
            return gettext("Useful: %(resource)s") % {"resource": self.resource}
        return gettext("Not useful: %(resource)s") % {"resource": self.resource}


class Entitlement(Bilingual, models.Model):
    """A kind of support a family may get, with the resources that explain it (help checker)."""

    WELSH_FIELDS = ("name", "summary")

    name = models.CharField(max_length=150)
    summary = models.TextField(help_text=_("Plain English: what it is and how to ask for it."))
    name_cy = models.CharField(_("name in Welsh"), max_length=150, blank=True)
    summary_cy = models.TextField(_("summary in Welsh"), blank=True)
    resources = models.ManyToManyField(Resource, blank=True, related_name="entitlements")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.shown.name


class EntitlementRule(models.Model):
    """When an entitlement may apply. Empty conditions match any answer; all set conditions must match."""

    class LookedAfter(models.TextChoices):
        ANY = "any", _("Any answer")
        YES = "yes", _("Yes")
        NO = "no", _("No")

    entitlement = models.ForeignKey(Entitlement, on_delete=models.CASCADE, related_name="rules")
    arrangements = ChoiceSetField(_("arrangement types"), choices=Arrangement.choices)
    ever_looked_after = models.CharField(
        max_length=3, choices=LookedAfter.choices, default=LookedAfter.ANY
    )
    stages = ChoiceSetField(_("school stages"), choices=Stage.choices)
    nation = models.CharField(
        max_length=10,
        blank=True,
        choices=[("England", _("England")), ("Wales", _("Wales"))],
        help_text=_("Leave empty for England and Wales."),
    )
    local_authority = models.ForeignKey(
        "schools.LocalAuthority", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return gettext("Rule for %(entitlement)s") % {"entitlement": self.entitlement}


def normalise_query(text: str) -> str:
    """How a search is stored and matched: lower case, single spaces, at most 200 characters."""
    return " ".join(text.lower().split())[:200]


class SearchSynonym(models.Model):
    """What a carer may type for what a guide says: "SGO" means "special guardianship order";
    "admissions" and "school place" mean each other. Applied to every search."""

    term = models.CharField(
        _("term"),
        max_length=80,
        unique=True,
        help_text=_("A word, phrase or abbreviation someone may type, e.g. SGO or respite."),
    )
    means = models.CharField(
        _("means"),
        max_length=250,
        help_text=_(
            "What it stands for or means, as guides write it. Separate several with commas, "
            "e.g. special guardianship order, special guardian."
        ),
    )
    both_ways = models.BooleanField(
        _("works both ways"),
        default=False,
        help_text=_("Also search for the term when someone types what it means."),
    )

    class Meta:
        ordering = ["term"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self) -> str:
        return f"{self.term} → {self.means}"

    def save(self, *args, **kwargs):
        self.term = normalise_query(self.term)
        self.means = ", ".join(normalise_query(m) for m in self.means.split(",") if m.strip())
        super().save(*args, **kwargs)


class BestBet(models.Model):
    """A resource pinned to a search: "council tax" shows the money guide first, marked."""

    query = models.CharField(
        _("search"),
        max_length=200,
        help_text=_("What someone types, e.g. council tax. Capitals and spaces do not matter."),
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="best_bets", verbose_name=_("resource")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["query", "order", "pk"]
        verbose_name = _("best bet")
        verbose_name_plural = _("best bets")
        constraints = [
            models.UniqueConstraint(fields=["query", "resource"], name="best_bet_once"),
        ]

    def __str__(self) -> str:
        return f"{self.query} → {self.resource}"

    def save(self, *args, **kwargs):
        self.query = normalise_query(self.query)
        super().save(*args, **kwargs)


class SearchCount(models.Model):
    """How often a search was made on a day, how many results it had and how often a result
    was opened. Only the words: no person, no address, no session."""

    day = models.DateField(_("day"))
    query = models.CharField(_("search"), max_length=200)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    results = models.PositiveIntegerField(_("results (last time)"), default=0)
    opened = models.PositiveIntegerField(_("results opened"), default=0)

    class Meta:
        ordering = ["-day", "-searches"]
        verbose_name = _("search count")
        verbose_name_plural = _("search counts")
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="search_count_daily")]
        indexes = [models.Index(fields=["day", "results"], name="search_count_day_results")]

    def __str__(self) -> str:
        return f"{self.day}: {self.query}"
