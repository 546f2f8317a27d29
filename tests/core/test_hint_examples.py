"""Every example a form gives ("For example, 27 3 2015", "like B801200005001") in a field's hint or
error messages is accepted by that same field: a person who copies the example gets no error."""

import importlib
import pathlib
import pkgutil
import re

import pytest
from django import forms
from django.conf import settings

pytestmark = pytest.mark.django_db

# "For example, X" or "like X", up to the end of the sentence; "X or Y" gives two examples.
EXAMPLE = re.compile(r"\b(?:for example,?|like)\s+(.+?)(?=\.\s|\.?$)", re.I)
# Examples of data (numbers, dates, codes, addresses) rather than of words ("like training").
DATA = re.compile(r"\d|@|://")

# Hooks that check more than the shape the example shows.
HOOKS_BEYOND_THE_EXAMPLE = {
    # Looks the address up among accounts: the example shows an address's format.
    "events.admin.forms.BookOnBehalfForm.carer_email",
}


def _project_forms():
    """Every form class defined in the portal's own apps (pages and admin)."""
    root = pathlib.Path(settings.BASE_DIR)
    apps = [app for app in settings.INSTALLED_APPS if (root / app / "__init__.py").exists()]
    for app in apps:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if not {"migrations", "management"} & set(module.name.split(".")):
                importlib.import_module(module.name)
    seen, stack = set(), [forms.BaseForm]
    while stack:
        for form in stack.pop().__subclasses__():
            stack.append(form)
            if form.__module__.split(".")[0] in apps and form not in seen:
                seen.add(form)
                yield form


def examples_in(text: str) -> list[str]:
    found = []
    for match in EXAMPLE.finditer(text):
        found += [part.strip() for part in match.group(1).split(" or ") if DATA.search(part)]
    return found


def field_examples(field: forms.Field) -> list[str]:
    texts = [str(field.help_text)] + [str(message) for message in field.error_messages.values()]
    return [example for text in texts for example in examples_in(text)]


def example_problem(form_class, name: str, field: forms.Field, example: str) -> str:
    """What the form says about `example` typed into the field (empty if it is accepted): the
    field's own checks, then the form's clean_<name>() if it has one."""
    value = example.split() if isinstance(field, forms.MultiValueField) else example
    try:
        cleaned = field.clean(value)
        hook = getattr(form_class, f"clean_{name}", None)
        if hook and f"{form_class.__module__}.{form_class.__name__}.{name}" not in (
            HOOKS_BEYOND_THE_EXAMPLE
        ):
            form = form_class.__new__(form_class)  # the hook reads cleaned_data only
            form.cleaned_data = {name: cleaned}
            hook(form)
    except forms.ValidationError as error:
        return "; ".join(error.messages)
    return ""


def test_every_example_in_a_hint_or_an_error_is_accepted_by_its_field():
    checked, problems = set(), []
    for form_class in _project_forms():
        for name, field in form_class.base_fields.items():
            for example in field_examples(field):
                where = f"{form_class.__module__}.{form_class.__name__}.{name}"
                checked.add(where)
                problem = example_problem(form_class, name, field, example)
                if problem:
                    problems.append(f"{where}: {example!r}: {problem}")
    assert problems == []
    # The examples people type most are among those checked.
    assert {
        "schools.forms.records.PupilForm.upn",
        "schools.forms.records.PupilForm.date_of_birth",
        "schools.forms.records.PupilForm.left_on",
        "schools.forms.records.LiaisonForm.contact_date",
        "schools.forms.records.SchoolForm.urn",
        "schools.forms.records.SchoolForm.designated_teacher_email",
        "schools.forms.records.ReviewForm.attendance_percent",
        "carers.forms.MobileNumberForm.mobile_number",
        "carers.forms.ChildForm.year_of_birth",
        "localoffer.forms.SectionForm.link_url",
        "localoffer.forms.OfferDetailsForm.review_due_on",
        "events.admin.series.RepeatForm.dates",
    } <= checked


def test_a_wrong_example_is_caught():
    """The check above would fail on the UPN example the add-pupil form used to give."""
    from schools.forms.records import PupilForm

    field = PupilForm.base_fields["upn"]
    bad = forms.CharField(help_text="13 characters, like A801200005001. It is on school reports.")
    assert field_examples(bad) == ["A801200005001"]
    assert example_problem(PupilForm, "upn", field, "A801200005001") == (
        "Check the UPN: the first letter does not match the rest"
    )
