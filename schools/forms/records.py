"""Forms for pupils, termly reviews, liaison records and schools.

Forms check only the shape of what was typed (a real date, a number from 0 to 100). The rules
(valid UPN, no duplicate pupil, one review per term...) live in schools.services.records; views
turn the services' errors into an error beside the right field.
"""

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from carers.models import Child
from core.choices import (
    STAFF_ARRANGEMENT_HINTS,
    Arrangement,
    YearGroup,
    academic_year_start,
    year_group_for,
    year_group_gap,
)
from schools.forms.fields import (
    ChildChoiceField,
    GovukDateField,
    LocalAuthorityChoiceField,
    PupilChoiceField,
    SchoolChoiceField,
    count_field,
    text_field,
)
from schools.models import KinshipPupil, LiaisonRecord, LocalAuthority, School, TermlyReview
from schools.services.records import PUPIL_FIELDS, validate_upn

# Pupils -------------------------------------------------------------------------------------


class PupilForm(forms.Form):
    first_name = text_field(
        _("First name"),
        required_message=_("Enter the pupil's first name"),
        too_long_message=_("First name must be 80 characters or fewer"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    last_name = text_field(
        _("Last name"),
        required_message=_("Enter the pupil's last name"),
        too_long_message=_("Last name must be 80 characters or fewer"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    date_of_birth = GovukDateField(
        what=pgettext_lazy("date named in error messages", "Date of birth"),
        label=_("Date of birth"),
        help_text=_("For example, 27 3 2015"),
        required_message=_("Enter the pupil's date of birth"),
    )
    upn = forms.CharField(
        label=_("Unique pupil number (UPN, optional)"),
        help_text=_(
            "13 characters, like B801200005001. It is on school reports and the school can tell you."
        ),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "govuk-input--width-20"}
        ),
        error_messages={"max_length": _("A UPN has 13 characters, like B801200005001")},
    )
    school = SchoolChoiceField(
        label=_("School (optional)"),
        help_text=_("Only schools on your list. Add a school to the list first if it is not here."),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("Not known or not at school"),
        error_messages={"invalid_choice": _("Choose a school from your list")},
    )
    year_group_override = forms.ChoiceField(
        label=_("Year group (optional)"),
        help_text=_(
            "Only if they are not in their age group. "
            "Otherwise we work it out from their date of birth."
        ),
        choices=[("", _("Their age group"))] + YearGroup.choices,
        required=False,
        error_messages={"invalid_choice": _("Choose a year group from the list")},
    )
    # Shown only beside the warning that the year group is far from their age group.
    year_group_confirmed = forms.BooleanField(
        label=_("The year group is correct"),
        help_text=_("Tick the box if you have checked and they are not in their age group."),
        required=False,
    )
    arrangement = forms.ChoiceField(
        label=_("Kinship arrangement"),
        choices=Arrangement.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the kinship arrangement, or 'Other, or not sure'"),
            "invalid_choice": _("Choose the kinship arrangement, or 'Other, or not sure'"),
        },
    )
    previously_looked_after = forms.BooleanField(
        label=_("Previously looked after"),
        help_text=_("They left care through an order, so the school can claim Pupil Premium Plus."),
        required=False,
    )
    send_status = forms.ChoiceField(
        label=_("Special educational needs (SEND)"),
        choices=KinshipPupil.Send.choices,
        widget=forms.RadioSelect,
        initial=KinshipPupil.Send.NONE,
        error_messages={
            "required": _("Choose the pupil's SEND status"),
            "invalid_choice": _("Choose the pupil's SEND status"),
        },
    )
    social_worker_involved = forms.BooleanField(
        label=_("A social worker is involved"), required=False
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        help_text=_("Do not include anything the carer or pupil would not expect us to record."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Notes must be 5,000 characters or fewer")},
    )

    left_on = GovukDateField(
        what=pgettext_lazy("date named in error messages", "Date they left"),
        label=_("Date they left (optional)"),
        help_text=_("When they stopped being a pupil you support. For example, 20 7 2026"),
        example="20 7 2026",
        required=False,
    )
    left_reason = forms.ChoiceField(
        label=_("Why they left (optional)"),
        choices=[("", _("They have not left"))] + KinshipPupil.LeftReason.choices,
        required=False,
        error_messages={"invalid_choice": _("Choose why they left from the list")},
    )
    legal_hold = forms.BooleanField(
        label=_("Keep this record under a legal hold"),
        help_text=_(
            "The retention schedule will not delete it, for example while a complaint "
            "or a court case is open."
        ),
        required=False,
    )

    def __init__(self, *args, virtual_school, pupil: KinshipPupil | None = None, **kwargs):
        """`pupil`: the record being changed, if any. Its year group is not questioned again
        unless the date of birth or the year group changes."""
        super().__init__(*args, **kwargs)
        self.pupil = pupil
        self.fields["school"].queryset = School.objects.filter(virtual_school=virtual_school)
        self.fields["arrangement"].choice_hints = STAFF_ARRANGEMENT_HINTS
        # The box appears with the warning, and stays while it is ticked.
        self._confirm_field = self.fields.pop("year_group_confirmed")
        if self.is_bound and self.data.get(self.add_prefix("year_group_confirmed")):
            self._show_confirm()

    def _show_confirm(self) -> None:
        """Put the "year group is correct" box straight after the year group."""
        fields = list(self.fields.items())
        at = [name for name, _field in fields].index("year_group_override") + 1
        fields.insert(at, ("year_group_confirmed", self._confirm_field))
        self.fields = dict(fields)

    @staticmethod
    def initial_for(pupil: KinshipPupil) -> dict:
        return {name: getattr(pupil, name) for name in PUPIL_FIELDS}

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(gettext("Date of birth must be today or in the past"))
        return value

    def clean_left_on(self):
        value = self.cleaned_data["left_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(gettext("Date they left must be today or in the past"))
        return value

    def clean(self):
        cleaned = super().clean()
        left_on, reason = cleaned.get("left_on"), cleaned.get("left_reason")
        born = cleaned.get("date_of_birth")
        if left_on and not reason and "left_reason" not in self.errors:
            self.add_error("left_reason", gettext("Choose why they left"))
        if reason and not left_on and "left_on" not in self.errors:
            self.add_error("left_on", gettext("Enter the date they left"))
        if left_on and born and left_on < born:
            self.add_error("left_on", gettext("Date they left must be after their date of birth"))
        self._check_year_group(born, cleaned.get("year_group_override"))
        # Not part of the record: cleaned_data holds only the pupil's fields.
        cleaned.pop("year_group_confirmed", None)
        return cleaned

    def _check_year_group(self, born, year_group) -> None:
        """A warning, not a refusal: a year group more than a year from the pupil's age group
        is saved only once staff tick "The year group is correct"."""
        if not born or not year_group or self.cleaned_data.get("year_group_confirmed"):
            return
        if self.pupil and (self.pupil.date_of_birth, self.pupil.year_group_override) == (
            born,
            year_group,
        ):
            return  # unchanged since it was saved
        today = timezone.localdate()
        if year_group_gap(born, year_group, today) <= 1:
            return
        usual = year_group_for(born, today)
        values = {"date": formats.date_format(born, "j F Y"), "year_group": usual.label}
        if usual == YearGroup.NOT_AT_SCHOOL:
            message = gettext(
                "Check the year group: a child born on %(date)s would usually not be at school yet"
            )
        elif usual == YearGroup.LEFT_SCHOOL:
            message = gettext(
                "Check the year group: a child born on %(date)s would usually have left school"
            )
        else:
            message = gettext(
                "Check the year group: a child born on %(date)s would usually be in %(year_group)s"
            )
        self.add_error("year_group_override", message % values)
        if "year_group_confirmed" not in self.fields:
            self._show_confirm()

    def clean_upn(self):
        # The service's check, run here too so every error shows at once; the service checks again.
        return validate_upn(self.cleaned_data["upn"])


class LinkChildForm(forms.Form):
    child = ChildChoiceField(
        label=_("Which child is this?"),
        queryset=Child.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose the carer's record of this child"),
            "invalid_choice": _("Choose a child from the list"),
        },
    )

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["child"]
        field.queryset = children
        field.choice_hints = {
            child.pk: " · ".join(
                part
                for part in (
                    gettext("School: %(school)s") % {"school": child.school_name}
                    if child.school_name
                    else gettext("School not given"),
                    gettext("Carer: %(carer)s")
                    % {"carer": child.carer.user.get_full_name() or child.carer.user.email},
                )
            )
            for child in children
        }


# Termly reviews -----------------------------------------------------------------------------


def academic_year_choices(extra: int | None = None) -> list[tuple[int, str]]:
    """This academic year and the two before it, labelled "2026 to 2027"."""
    current = academic_year_start(timezone.localdate())
    years = {current, current - 1, current - 2}
    if extra:
        years.add(extra)
    return [
        (year, gettext("%(start)s to %(end)s") % {"start": year, "end": year + 1})
        for year in sorted(years, reverse=True)
    ]


ATTENDANCE_ERROR = _("Attendance must be a number from 0 to 100")


class ReviewForm(forms.Form):
    academic_year = forms.TypedChoiceField(
        label=_("Academic year"),
        coerce=int,
        choices=[],
        error_messages={
            "required": _("Choose the academic year"),
            "invalid_choice": _("Choose an academic year from the list"),
        },
    )
    term = forms.ChoiceField(
        label=_("Term"),
        choices=TermlyReview.Term.choices,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        error_messages={"required": _("Choose the term"), "invalid_choice": _("Choose the term")},
    )
    attendance_percent = forms.DecimalField(
        label=_("Attendance this term (%)"),
        help_text=_(
            "A number from 0 to 100, like 92.5. At 90 or below the pupil is persistently absent."
        ),
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={
            "required": _("Enter the pupil's attendance this term"),
            "invalid": ATTENDANCE_ERROR,
            "min_value": ATTENDANCE_ERROR,
            "max_value": ATTENDANCE_ERROR,
            "max_digits": ATTENDANCE_ERROR,
            "max_whole_digits": ATTENDANCE_ERROR,
            "max_decimal_places": _("Attendance must have no more than 1 decimal place, like 92.5"),
        },
    )
    sessions_missed = count_field(
        _("Sessions missed"),
        required_message=_("Enter the number of sessions missed, or 0"),
        invalid_message=_("Sessions missed must be a whole number, like 3"),
        min_message=_("Sessions missed must be 0 or more"),
        max_message=_("Sessions missed must be 32767 or fewer"),
    )
    suspensions = count_field(
        _("Suspensions this term"),
        required_message=_("Enter the number of suspensions, or 0"),
        invalid_message=_("Suspensions must be a whole number, like 3"),
        min_message=_("Suspensions must be 0 or more"),
        max_message=_("Suspensions must be 32767 or fewer"),
    )
    permanently_excluded = forms.BooleanField(label=_("Permanently excluded"), required=False)
    reading = forms.ChoiceField(label=_("Reading"), choices=TermlyReview.Attainment.choices)
    writing = forms.ChoiceField(label=_("Writing"), choices=TermlyReview.Attainment.choices)
    maths = forms.ChoiceField(label=_("Maths"), choices=TermlyReview.Attainment.choices)
    progress_notes = forms.CharField(
        label=_("Progress notes (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Progress notes must be 5,000 characters or fewer")},
    )
    agreed_actions = forms.CharField(
        label=_("Agreed actions (optional)"),
        help_text=_("Who will do what, and by when."),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Agreed actions must be 5,000 characters or fewer")},
    )

    FIELDS = [
        "academic_year", "term", "attendance_percent", "sessions_missed", "suspensions",
        "permanently_excluded", "reading", "writing", "maths", "progress_notes", "agreed_actions",
    ]  # fmt: skip

    def __init__(self, *args, review: TermlyReview | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academic_year"].choices = academic_year_choices(
            review.academic_year if review else None
        )
        invalid_choice = {
            "reading": gettext("Choose reading from the list"),
            "writing": gettext("Choose writing from the list"),
            "maths": gettext("Choose maths from the list"),
        }
        for name, message in invalid_choice.items():
            self.fields[name].initial = TermlyReview.Attainment.NOT_ASSESSED
            self.fields[name].error_messages["invalid_choice"] = message

    @classmethod
    def initial_for(cls, review: TermlyReview) -> dict:
        return {name: getattr(review, name) for name in cls.FIELDS}


# Liaison ------------------------------------------------------------------------------------


class LiaisonForm(forms.Form):
    school = SchoolChoiceField(
        label=_("School (optional)"),
        queryset=School.objects.none(),
        required=False,
        empty_label=_("No school, or several"),
        error_messages={"invalid_choice": _("Choose a school from your list")},
    )
    pupil = PupilChoiceField(
        label=_("Pupil (optional)"),
        help_text=_("Leave blank for contact about the school in general, like training."),
        queryset=KinshipPupil.objects.none(),
        required=False,
        empty_label=_("Not about one pupil"),
        error_messages={"invalid_choice": _("Choose a pupil from the list")},
    )
    contact_type = forms.ChoiceField(
        label=_("Type of contact"),
        choices=LiaisonRecord.ContactType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the type of contact"),
            "invalid_choice": _("Choose the type of contact"),
        },
    )
    contact_date = GovukDateField(
        what=pgettext_lazy("date named in error messages", "Date of contact"),
        label=_("Date of contact"),
        help_text=_("For example, 2 11 2026"),
        example="2 11 2026",
        required_message=_("Enter the date of the contact"),
    )
    summary = forms.CharField(
        label=_("Summary"),
        help_text=_("What was discussed."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Enter a summary of the contact"),
            "max_length": _("Summary must be 5,000 characters or fewer"),
        },
    )
    outcome = forms.CharField(
        label=_("Outcome (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Outcome must be 5,000 characters or fewer")},
    )
    follow_up_on = GovukDateField(
        what=pgettext_lazy("date named in error messages", "Follow-up date"),
        label=_("Follow-up date (optional)"),
        help_text=_("When to check back. It will show on your home page from that day."),
        example="20 11 2026",
        required=False,
    )

    FIELDS = [
        "school",
        "pupil",
        "contact_type",
        "contact_date",
        "summary",
        "outcome",
        "follow_up_on",
    ]

    def __init__(self, *args, virtual_school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(virtual_school=virtual_school)
        self.fields["pupil"].queryset = KinshipPupil.objects.filter(virtual_school=virtual_school)

    @classmethod
    def initial_for(cls, record: LiaisonRecord) -> dict:
        return {name: getattr(record, name) for name in cls.FIELDS}

    def clean_contact_date(self):
        value = self.cleaned_data["contact_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(gettext("Date of contact must be today or in the past"))
        return value

    def clean(self):
        cleaned = super().clean()
        contact, follow_up = cleaned.get("contact_date"), cleaned.get("follow_up_on")
        if contact and follow_up and follow_up < contact:
            self.add_error(
                "follow_up_on", gettext("Follow-up date must be on or after the date of contact")
            )
        return cleaned


# Schools ------------------------------------------------------------------------------------

URN_ERROR = _("URN must be 6 digits, like 107654")


class SchoolForm(forms.Form):
    name = text_field(
        _("School name"),
        required_message=_("Enter the school's name"),
        too_long_message=_("School name must be 200 characters or fewer"),
        max_length=200,
    )
    urn = forms.RegexField(
        label=_("URN (optional)"),
        help_text=_("The 6-digit unique reference number from Get Information About Schools."),
        regex=r"^[0-9]{6}$",
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "govuk-input--width-10", "autocomplete": "off"}
        ),
        error_messages={"invalid": URN_ERROR},
    )
    phase = forms.ChoiceField(
        label=_("Phase"),
        choices=[("", _("Choose a phase"))] + School.Phase.choices,
        error_messages={
            "required": _("Choose the school's phase"),
            "invalid_choice": _("Choose the school's phase"),
        },
    )
    local_authority = LocalAuthorityChoiceField(
        label=_("Local authority"),
        help_text=_("Where the school is. It can be outside your area."),
        queryset=LocalAuthority.objects.all(),
        empty_label=_("Choose a local authority"),
        error_messages={
            "required": _("Choose the local authority the school is in"),
            "invalid_choice": _("Choose the local authority the school is in"),
        },
    )
    designated_teacher_name = text_field(
        _("Designated teacher's name (optional)"),
        too_long_message=_("Designated teacher's name (optional) must be 150 characters or fewer"),
        max_length=150,
        required=False,
    )
    designated_teacher_email = forms.EmailField(
        label=_("Designated teacher's email (optional)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.com")
        },
    )
    designated_teacher_phone = text_field(
        _("Designated teacher's phone number (optional)"),
        too_long_message=_(
            "Designated teacher's phone number (optional) must be 30 characters or fewer"
        ),
        max_length=30,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "off", "class": "govuk-input--width-20"}
        ),
    )

    FIELDS = [
        "name", "urn", "phase", "local_authority", "designated_teacher_name",
        "designated_teacher_email", "designated_teacher_phone",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["urn"].error_messages["max_length"] = URN_ERROR

    @classmethod
    def initial_for(cls, school: School) -> dict:
        return {name: getattr(school, name) for name in cls.FIELDS}

    def clean_urn(self):
        return self.cleaned_data["urn"].strip()

    def clean_name(self):
        return self.cleaned_data["name"].strip()
