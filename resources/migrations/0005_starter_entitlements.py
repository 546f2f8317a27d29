"""Starter rules for "What help can I get?". Curators edit them in admin; amounts live in the
linked resources, never here, because they change every year."""

from django.db import migrations

ENG = "England"
PREVIOUSLY_LOOKED_AFTER = ["sgo", "cao", "adoption"]

ENTITLEMENTS = [
    (
        "Advice from your council's Virtual School",
        "Every council in England has a Virtual School. It can advise you about the child's education: "
        "school places, attendance, behaviour, exclusions and special educational needs. Since September 2024 "
        "this includes every child in kinship care, whatever the arrangement.",
        [dict(nation=ENG)],
    ),
    (
        "Pupil Premium Plus for the child's school",
        "Schools get extra funding, called Pupil Premium Plus, for children who left care through a special "
        "guardianship order, a child arrangements order or adoption, and for children in care. Tell the school "
        "about the order so they can claim it, and ask how it is being used to help the child.",
        [
            dict(arrangements=PREVIOUSLY_LOOKED_AFTER, ever_looked_after="yes", nation=ENG, stages=["eyfs", "ks1", "ks2", "ks3", "ks4"]),
            dict(arrangements=["kinship_foster"], nation=ENG, stages=["eyfs", "ks1", "ks2", "ks3", "ks4"]),
        ],
    ),
    (
        "Highest priority for school places",
        "Children who are in care, or who left care through a special guardianship order, a child arrangements "
        "order or adoption, get the highest priority in school admissions. Say so on the application and include "
        "a copy of the order.",
        [
            dict(arrangements=PREVIOUSLY_LOOKED_AFTER, ever_looked_after="yes", nation=ENG),
            dict(arrangements=["kinship_foster"], nation=ENG),
        ],
    ),
    (
        "Free early education from age 2",
        "Children aged 2 who have left care through a special guardianship order, a child arrangements order or "
        "adoption can get free early education and childcare. Ask your council's family information service.",
        [dict(arrangements=PREVIOUSLY_LOOKED_AFTER, ever_looked_after="yes", nation=ENG, stages=["eyfs"])],
    ),
    (
        "A personal education plan (PEP)",
        "Every child in care has a personal education plan, reviewed each term with the school and the Virtual "
        "School. As their kinship foster carer you should be invited to the PEP meeting.",
        [dict(arrangements=["kinship_foster"])],
    ),
    (
        "Special guardianship allowance",
        "Your council must assess whether you need financial support as a special guardian. Many councils pay "
        "a regular allowance. Ask for a financial assessment, and ask for it to be reviewed if your circumstances "
        "change.",
        [dict(arrangements=["sgo"])],
    ),
    (
        "Adoption and Special Guardianship Support Fund",
        "The fund pays for therapy and specialist assessments for children who left care through adoption or a "
        "special guardianship order. Your council applies for you after an assessment of needs.",
        [dict(arrangements=["sgo", "adoption"], ever_looked_after="yes", nation=ENG)],
    ),
    (
        "Fostering allowance",
        "As a kinship foster carer you are paid a fostering allowance for the child, at least at the national "
        "minimum rate. Ask your supervising social worker what you receive and why.",
        [dict(arrangements=["kinship_foster"])],
    ),
    (
        "Child arrangements order allowance",
        "Some councils pay an allowance to carers with a child arrangements order, especially where the council "
        "was involved in the child moving to you. Ask your council's children's services.",
        [dict(arrangements=["cao"])],
    ),
    (
        "Your council's kinship local offer",
        "Every council in England publishes a kinship local offer: the support it gives kinship families, "
        "including money, training and support groups. Search your council's website for 'kinship local offer'.",
        [dict(nation=ENG)],
    ),
    (
        "Guardian's Allowance",
        "If you are bringing up a child whose parents have died, or one parent has died and the other cannot be "
        "found or is in prison, you may get Guardian's Allowance on top of Child Benefit. It is paid by HMRC.",
        [dict()],
    ),
]


def load(apps, schema_editor):
    Entitlement = apps.get_model("resources", "Entitlement")
    EntitlementRule = apps.get_model("resources", "EntitlementRule")

    def stored(values):
        return f",{','.join(values)}," if values else ""

    for order, (name, summary, rules) in enumerate(ENTITLEMENTS):
        entitlement, created = Entitlement.objects.get_or_create(
            name=name, defaults={"summary": summary, "order": order}
        )
        if not created:
            continue
        for rule in rules:
            EntitlementRule.objects.create(
                entitlement=entitlement,
                arrangements=stored(rule.get("arrangements", [])),
                stages=stored(rule.get("stages", [])),
                ever_looked_after=rule.get("ever_looked_after", "any"),
                nation=rule.get("nation", ""),
            )


class Migration(migrations.Migration):
    dependencies = [("resources", "0004_postgres_search")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
