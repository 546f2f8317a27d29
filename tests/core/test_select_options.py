"""A select's options written in one pass (core/templatetags/govuk_forms.py) read as
Django's own Select widget writes them: escaped, the chosen one selected, groups flattened."""

from django import forms

from core.templatetags.govuk_forms import first_option_empty, select_options


class _Form(forms.Form):
    school = forms.ChoiceField(
        choices=[("", "All schools"), ("1", "Oak <Primary> & Co"), ("2", "Ash")],
        required=False,
    )
    area = forms.ChoiceField(
        choices=[("North", [("n1", "Leeds"), ("n2", "York")]), ("South", [("s1", "Kent")])]
    )
    topics = forms.MultipleChoiceField(choices=[("a", "Money"), ("b", "School")])


def test_the_chosen_option_is_selected_and_every_label_escaped():
    html = select_options(_Form({"school": "1"})["school"])
    assert html == (
        '<option value="">All schools</option>\n'
        '<option value="1" selected>Oak &lt;Primary&gt; &amp; Co</option>\n'
        '<option value="2">Ash</option>'
    )


def test_groups_are_flattened_and_several_may_be_chosen():
    form = _Form({"area": "n2", "topics": ["a", "b"]})
    assert select_options(form["area"]) == (
        '<option value="n1">Leeds</option>\n'
        '<option value="n2" selected>York</option>\n'
        '<option value="s1">Kent</option>'
    )
    assert select_options(form["topics"]).count(" selected") == 2


def test_an_unbound_select_marks_its_initial_choice_and_knows_its_empty_first_option():
    form = _Form(initial={"school": "2"})
    assert '<option value="2" selected>Ash</option>' in select_options(form["school"])
    assert first_option_empty(form["school"]) is True
    assert first_option_empty(form["area"]) is False
