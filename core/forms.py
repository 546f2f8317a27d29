from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Render every form and field through the GOV.UK Design System templates.

    ``{{ form }}`` gives the error summary and each field with its label, hint
    and error message; ``{{ form.field.as_field_group }}`` gives one field.
    """

    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"
