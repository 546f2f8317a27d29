"""What a Virtual School records: its list of schools, kinship pupils, their termly reviews,
and liaison with schools."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.choices import Arrangement, YearGroup, year_group_for
from schools.models.authorities import LocalAuthority, VirtualSchool


class School(models.Model):
    """A school a Virtual School works with (its own list, including schools in other areas)."""

    class Phase(models.TextChoices):
        NURSERY = "nursery", _("Nursery")
        PRIMARY = "primary", _("Primary")
        SECONDARY = "secondary", _("Secondary")
        ALL_THROUGH = "all_through", _("All-through")
        SPECIAL = "special", _("Special school")
        ALTERNATIVE = "alternative", _("Alternative provision")
        POST_16 = "post_16", _("16 to 19")

    virtual_school = models.ForeignKey(
        VirtualSchool, on_delete=models.CASCADE, related_name="schools"
    )
    name = models.CharField(max_length=200)
    urn = models.CharField(
        _("URN"),
        max_length=6,
        blank=True,
        help_text=_("The 6-digit unique reference number from Get Information About Schools."),
    )
    phase = models.CharField(max_length=20, choices=Phase.choices)
    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the school is."),
    )
    designated_teacher_name = models.CharField(max_length=150, blank=True)
    designated_teacher_email = models.EmailField(blank=True)
    designated_teacher_phone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["virtual_school", "urn"],
                condition=~models.Q(urn=""),
                name="school_urn_once_per_virtual_school",
            ),
            models.CheckConstraint(
                condition=models.Q(urn="") | models.Q(urn__regex=r"^[0-9]{6}$"),
                name="school_urn_six_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class KinshipPupil(models.Model):
    """A child in kinship care whose education the Virtual School promotes."""

    class LeftReason(models.TextChoices):
        MOVED = "moved", _("Moved to another council's area")
        NO_LONGER_KINSHIP = "no_longer_kinship", _("No longer in kinship care")
        LEFT_EDUCATION = "left_education", _("Left school or college")
        OTHER = "other", _("Another reason")

    class Send(models.TextChoices):
        NONE = "none", _("No special educational needs")
        SEN_SUPPORT = "sen_support", _("SEN support")
        EHC_PLAN = "ehc_plan", _("Education, health and care (EHC) plan")

    virtual_school = models.ForeignKey(
        VirtualSchool, on_delete=models.CASCADE, related_name="pupils"
    )
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    upn = models.CharField(_("UPN"), max_length=13, blank=True)
    school = models.ForeignKey(
        School, on_delete=models.SET_NULL, null=True, blank=True, related_name="pupils"
    )
    year_group_override = models.CharField(
        _("year group (if not their age group)"),
        max_length=12,
        choices=YearGroup.choices,
        blank=True,
    )
    arrangement = models.CharField(max_length=20, choices=Arrangement.choices)
    previously_looked_after = models.BooleanField(
        default=False,
        help_text=_("Left care through an order: the school can claim Pupil Premium Plus."),
    )
    send_status = models.CharField(
        _("SEND"), max_length=20, choices=Send.choices, default=Send.NONE
    )
    social_worker_involved = models.BooleanField(default=False)
    child = models.OneToOneField(
        "carers.Child",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pupil_record",
        help_text=_("The carer's record of this child, linked only while the carer consents."),
    )
    notes = models.TextField(blank=True)
    # Leaving starts the clock of the retention schedule (portal.retention).
    left_on = models.DateField(_("date they left"), null=True, blank=True)
    left_reason = models.CharField(
        _("why they left"), max_length=20, choices=LeftReason.choices, blank=True
    )
    legal_hold = models.BooleanField(
        _("legal hold"),
        default=False,
        help_text=_(
            "Kept whatever the retention schedule says, for example while a complaint "
            "or a court case is open."
        ),
    )
    # The latest termly review and a copy of its attendance, kept by schools.services.records
    # whenever a review is added, changed or deleted: the staff home, the pupil list, its
    # filters and the reports read them instead of searching every pupil's reviews. Pages
    # show the review (select_related); the copy is there so that an index on this table can
    # order and count pupils by it ("pupils of concern" stops after the first 20).
    latest_review = models.ForeignKey(
        "TermlyReview",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    latest_attendance = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["virtual_school", "upn"],
                condition=~models.Q(upn=""),
                name="pupil_upn_once_per_virtual_school",
            ),
            # The same child twice: the same name, in any capitals, and date of birth. Upper,
            # as the services' friendly check (first_name__iexact) compares on PostgreSQL.
            models.UniqueConstraint(
                "virtual_school",
                Upper("first_name"),
                Upper("last_name"),
                "date_of_birth",
                name="pupil_name_and_birth_once_per_virtual_school",
            ),
            # A leaving date and its reason come together (the form says so beside the field).
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True, left_reason="")
                | (models.Q(left_on__isnull=False) & ~models.Q(left_reason="")),
                name="pupil_left_with_a_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["virtual_school", "last_name"], name="pupil_list_idx"),
            # Pupils of concern (lowest attendance first) and "persistent absence at their
            # latest review", among current pupils.
            models.Index(
                fields=["virtual_school", "latest_attendance", "last_name", "id"],
                condition=models.Q(left_on__isnull=True),
                name="pupil_attendance_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def year_group(self, on=None) -> str:
        """The override if staff set one, else the chronological year group on `on` (today)."""
        from django.utils import timezone

        if self.year_group_override:
            return self.year_group_override
        return year_group_for(self.date_of_birth, on or timezone.localdate()).value

    def get_year_group_display(self) -> str:
        return YearGroup(self.year_group()).label


class TermlyReview(models.Model):
    class Term(models.TextChoices):
        AUTUMN = "autumn", _("Autumn")
        SPRING = "spring", _("Spring")
        SUMMER = "summer", _("Summer")

    class Attainment(models.TextChoices):
        WELL_BELOW = "well_below", _("Well below expected")
        BELOW = "below", _("Below expected")
        EXPECTED = "expected", _("At expected")
        ABOVE = "above", _("Above expected")
        NOT_ASSESSED = "not_assessed", _("Not assessed")

    pupil = models.ForeignKey(KinshipPupil, on_delete=models.CASCADE, related_name="reviews")
    academic_year = models.PositiveSmallIntegerField(
        help_text=_("The year the academic year starts: 2026 for 2026/27.")
    )
    term = models.CharField(max_length=10, choices=Term.choices)
    attendance_percent = models.DecimalField(max_digits=5, decimal_places=1)
    sessions_missed = models.PositiveSmallIntegerField(default=0)
    suspensions = models.PositiveSmallIntegerField(_("suspensions this term"), default=0)
    permanently_excluded = models.BooleanField(default=False)
    reading = models.CharField(
        max_length=15, choices=Attainment.choices, default=Attainment.NOT_ASSESSED
    )
    writing = models.CharField(
        max_length=15, choices=Attainment.choices, default=Attainment.NOT_ASSESSED
    )
    maths = models.CharField(
        max_length=15, choices=Attainment.choices, default=Attainment.NOT_ASSESSED
    )
    progress_notes = models.TextField(blank=True)
    agreed_actions = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-academic_year", "-term", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "academic_year", "term"], name="review_once_per_term"
            ),
            models.CheckConstraint(
                condition=models.Q(attendance_percent__gte=0)
                & models.Q(attendance_percent__lte=100),
                name="review_attendance_is_a_percentage",
            ),
        ]
        indexes = [
            # The reports' suspensions and exclusions in a year: the few reviews that have any.
            models.Index(
                fields=["academic_year", "pupil"],
                condition=models.Q(suspensions__gt=0) | models.Q(permanently_excluded=True),
                name="review_suspended_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_term_display()} {self.academic_year}/{(self.academic_year + 1) % 100:02d} review for {self.pupil}"

    @property
    def persistent_absence(self) -> bool:
        """Missing 10% or more of possible sessions."""
        return self.attendance_percent <= 90

    @property
    def severe_absence(self) -> bool:
        return self.attendance_percent <= 50

    @property
    def academic_year_label(self) -> str:
        return gettext("%(start)s to %(end)s") % {
            "start": self.academic_year,
            "end": self.academic_year + 1,
        }


class LiaisonRecord(models.Model):
    """Contact with a school or designated teacher, about one pupil or in general."""

    class ContactType(models.TextChoices):
        CALL = "call", _("Phone call")
        EMAIL = "email", _("Email")
        MEETING = "meeting", _("Meeting")
        VISIT = "visit", _("School visit")
        TRAINING = "training", _("Training")

    virtual_school = models.ForeignKey(
        VirtualSchool, on_delete=models.CASCADE, related_name="liaison_records"
    )
    school = models.ForeignKey(
        School, on_delete=models.SET_NULL, null=True, blank=True, related_name="liaison_records"
    )
    pupil = models.ForeignKey(
        KinshipPupil,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="liaison_records",
    )
    contact_type = models.CharField(max_length=10, choices=ContactType.choices)
    contact_date = models.DateField()
    summary = models.TextField()
    outcome = models.TextField(blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    follow_up_done = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contact_date", "-pk"]
        indexes = [
            # Follow-ups not done, soonest first (the staff home, the morning summary and the
            # liaison log's follow-up views): read in order, so they stop at the page's end.
            models.Index(
                fields=["virtual_school", "follow_up_on", "id"],
                condition=models.Q(follow_up_done=False, follow_up_on__isnull=False),
                name="liaison_follow_up_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_contact_type_display()} on {self.contact_date}"
