"""Starter synonyms: the abbreviations on letters carers are sent, and the words they use
for what guides call something else. Curators edit them in admin (Search synonyms)."""

from django.db import migrations

# (term, what it means, both ways)
SYNONYMS = [
    ("sgo", "special guardianship order, special guardianship, special guardian", False),
    ("sgos", "special guardianship order", False),
    ("cao", "child arrangements order", False),
    ("rro", "residence order, child arrangements order", False),
    ("residence order", "child arrangements order", False),
    ("ehcp", "ehc plan, education health and care, ehc needs assessment", False),
    ("ehc", "education health and care", False),
    ("sen", "special educational needs", False),
    ("send", "special educational needs and disabilities, special educational needs", False),
    ("sen assessment", "ehc needs assessment, ehc plan, education health and care", False),
    ("pp+", "pupil premium plus", False),
    ("ppp", "pupil premium plus", False),
    ("pupil premium", "pupil premium plus", False),
    ("lac", "looked after, in care", False),
    ("plac", "previously looked after, left care", False),
    ("dt", "designated teacher", False),
    ("vsh", "virtual school head, virtual school", False),
    ("vs", "virtual school", False),
    ("pep", "personal education plan", False),
    ("upn", "unique pupil number", False),
    ("ks1", "key stage 1", False),
    ("ks2", "key stage 2", False),
    ("ks3", "key stage 3", False),
    ("ks4", "key stage 4", False),
    ("admissions", "school place, school admissions", True),
    ("admission", "school place", False),
    ("school place", "admissions", False),
    ("exclusion", "suspension, excluded", True),
    ("excluded", "suspension, exclusion, behaviour", False),
    ("expelled", "exclusion, suspension", False),
    ("suspended", "suspension", False),
    ("respite", "break, looking after yourself, short break", True),
    ("stress", "looking after yourself, wellbeing", False),
    ("burnout", "looking after yourself", False),
    ("tired", "looking after yourself", False),
    ("money", "allowance, financial support, benefits", True),
    ("financial support", "allowance, money", False),
    ("benefits", "allowance, money", False),
    ("council tax", "money, allowance", False),
    ("contact", "family time", True),
    ("mum and dad", "birth parents, parents", False),
    ("mum", "birth parents", False),
    ("dad", "birth parents", False),
    ("birth parents", "parents, family time", False),
    ("leaving care", "teenagers, growing up, moving on, independence", False),
    ("18", "adulthood, moving on", False),
    ("grandparent", "kinship carer", False),
    ("grandma", "kinship carer, grandparent", False),
    ("nan", "kinship carer, grandparent", False),
    ("fostering", "foster care, kinship foster care", False),
    ("absence", "attendance", True),
    ("truancy", "attendance, absence", False),
    ("missing school", "attendance, absence", False),
    ("bullying", "behaviour, wellbeing", False),
    ("therapy", "adoption and special guardianship support fund, support", False),
    ("asf", "adoption and special guardianship support fund", False),
]


def load(apps, schema_editor):
    SearchSynonym = apps.get_model("resources", "SearchSynonym")
    for term, means, both_ways in SYNONYMS:
        SearchSynonym.objects.get_or_create(
            term=term, defaults={"means": means, "both_ways": both_ways}
        )


class Migration(migrations.Migration):
    dependencies = [("resources", "0010_search_words")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
