"""Welsh for the starter topics (0002) and the starter "What help can I get?" entries (0005).

Topics are matched by slug and entitlements by their English name. A Welsh field is filled
only while it is empty, so Welsh a curator has written is kept. Going back does nothing.

The Welsh awaits review by a professional translator against docs/welsh-glossary.md."""

from django.db import migrations

# (slug, name_cy, description_cy)
TOPICS = (
    (
        "education-and-school",
        "Addysg ac ysgol",
        "Lleoedd mewn ysgolion, presenoldeb, ymddygiad a gweithio gydag athrawon.",
    ),
    (
        "money-and-allowances",
        "Arian a lwfansau",
        "Lwfansau, budd-daliadau, Premiwm Disgyblion Plws (PP+) a help gyda chostau.",
    ),
    (
        "legal-arrangements",
        "Trefniadau cyfreithiol",
        "Gwarcheidiaeth arbennig, gorchmynion trefniadau plant a maethu gan deulu a ffrindiau.",
    ),
    (
        "send",
        "Anghenion addysgol arbennig ac anabledd (AAA)",
        "Cymorth AAA, cynlluniau addysg, iechyd a gofal (EHCP) a chael yr help iawn yn yr ysgol.",
    ),
    (
        "wellbeing",
        "Llesiant ac iechyd meddwl",
        "Llesiant emosiynol y plentyn, trawma ac ymlyniad.",
    ),
    (
        "contact-with-family",
        "Cyswllt â rhieni biolegol",
        "Rheoli amser teulu a chadw pawb yn ddiogel.",
    ),
    (
        "support-for-carers",
        "Cymorth i chi fel gofalwr",
        "Gofalu amdanoch eich hun, cymorth cymheiriaid a seibiant.",
    ),
    (
        "teenagers",
        "Pobl ifanc yn eu harddegau a thyfu i fyny",
        "Glasoed, annibyniaeth a symud ymlaen i'r coleg neu i fyd gwaith.",
    ),
)

# (English name, name_cy, summary_cy)
ENTITLEMENTS = (
    (
        "Advice from your council's Virtual School",
        "Cyngor gan Ysgol Rithwir eich awdurdod lleol",
        "Mae gan bob cyngor yn Lloegr Ysgol Rithwir. Gall yr Ysgol Rithwir roi cyngor i chi am "
        "addysg y plentyn: lleoedd mewn ysgolion, presenoldeb, ymddygiad, gwaharddiadau ac "
        "anghenion addysgol arbennig. Ers mis Medi 2024, mae hyn yn cynnwys pob plentyn sy'n "
        "byw gyda gofalwyr sy'n berthnasau, beth bynnag yw'r trefniant.",
    ),
    (
        "Pupil Premium Plus for the child's school",
        "Premiwm Disgyblion Plws (PP+) i ysgol y plentyn",
        "Mae ysgolion yn cael cyllid ychwanegol, o'r enw Premiwm Disgyblion Plws (PP+), ar gyfer "
        "plant a adawodd ofal drwy orchymyn gwarcheidiaeth arbennig, drwy orchymyn trefniadau "
        "plant neu drwy gael eu mabwysiadu, ac ar gyfer plant sy'n derbyn gofal. Dywedwch wrth "
        "yr ysgol am y gorchymyn er mwyn iddi allu hawlio'r cyllid, a gofynnwch sut mae'n cael "
        "ei ddefnyddio i helpu'r plentyn.",
    ),
    (
        "Highest priority for school places",
        "Y flaenoriaeth uchaf am leoedd mewn ysgolion",
        "Mae plant sy'n derbyn gofal yn cael y flaenoriaeth uchaf wrth dderbyn i ysgolion. Mae'r "
        "un peth yn wir am blant a adawodd ofal drwy orchymyn gwarcheidiaeth arbennig, drwy "
        "orchymyn trefniadau plant neu drwy gael eu mabwysiadu. Nodwch hyn ar y ffurflen gais, "
        "ac anfonwch gopi o'r gorchymyn gyda hi.",
    ),
    (
        "Free early education from age 2",
        "Addysg gynnar am ddim o 2 oed",
        "Mae plant 2 oed a adawodd ofal drwy orchymyn gwarcheidiaeth arbennig, drwy orchymyn "
        "trefniadau plant neu drwy gael eu mabwysiadu yn gallu cael addysg gynnar a gofal plant "
        "am ddim. Gofynnwch i wasanaeth gwybodaeth i deuluoedd eich cyngor.",
    ),
    (
        "A personal education plan (PEP)",
        "Cynllun addysg personol (PEP)",
        "Mae gan bob plentyn sy'n derbyn gofal gynllun addysg personol, sy'n cael ei adolygu bob "
        "tymor gyda'r ysgol a'r Ysgol Rithwir. Fel gofalwr maeth sy'n deulu neu'n ffrind i'r "
        "plentyn, dylech gael gwahoddiad i gyfarfod y PEP.",
    ),
    (
        "Special guardianship allowance",
        "Lwfans gwarcheidiaeth arbennig",
        "Rhaid i'ch cyngor asesu a oes angen cymorth ariannol arnoch fel gwarcheidwad arbennig. "
        "Mae llawer o gynghorau'n talu lwfans rheolaidd. Gofynnwch am asesiad ariannol, a "
        "gofynnwch iddo gael ei adolygu os bydd eich amgylchiadau'n newid.",
    ),
    (
        "Adoption and Special Guardianship Support Fund",
        "Cronfa Cymorth Mabwysiadu a Gwarcheidiaeth Arbennig",
        "Mae'r gronfa'n talu am therapi ac asesiadau arbenigol i blant a adawodd ofal drwy gael "
        "eu mabwysiadu neu drwy orchymyn gwarcheidiaeth arbennig. Eich cyngor sy'n gwneud cais "
        "ar eich rhan, ar ôl asesu anghenion y plentyn.",
    ),
    (
        "Fostering allowance",
        "Lwfans maethu",
        "Fel gofalwr maeth sy'n deulu neu'n ffrind, rydych chi'n cael lwfans maethu ar gyfer y "
        "plentyn, o leiaf ar y gyfradd isaf genedlaethol. Gofynnwch i'ch gweithiwr cymdeithasol "
        "goruchwylio beth rydych chi'n ei gael a pham.",
    ),
    (
        "Child arrangements order allowance",
        "Lwfans gorchymyn trefniadau plant",
        "Mae rhai cynghorau'n talu lwfans i ofalwyr sydd â gorchymyn trefniadau plant, yn "
        "enwedig os oedd y cyngor yn rhan o'r broses o symud y plentyn atoch chi. Gofynnwch i "
        "wasanaethau plant eich cyngor.",
    ),
    (
        "Your council's kinship local offer",
        "Cynnig lleol eich cyngor i ofalwyr sy'n berthnasau",
        "Mae pob cyngor yn Lloegr yn cyhoeddi cynnig lleol i ofalwyr sy'n berthnasau: y cymorth "
        "y mae'n ei roi i deuluoedd sy'n gofalu am blentyn perthynas, gan gynnwys arian, "
        "hyfforddiant a grwpiau cymorth. Chwiliwch am 'kinship local offer' ar wefan eich "
        "cyngor.",
    ),
    (
        "Guardian's Allowance",
        "Lwfans Gwarcheidwad",
        "Os ydych chi'n magu plentyn y mae ei rieni wedi marw, efallai y gallwch gael Lwfans "
        "Gwarcheidwad yn ogystal â Budd-dal Plant. Gallech ei gael hefyd os yw un rhiant wedi "
        "marw a bod y llall yn y carchar neu nad oes modd dod o hyd iddo. Cyllid a Thollau EF "
        "(CThEF) sy'n ei dalu.",
    ),
)


def fill(model, key, rows, fields):
    """Set each Welsh field on the rows matching `key`, where it is still empty."""
    for match, *welsh in rows:
        for field, text in zip(fields, welsh, strict=True):
            model.objects.filter(**{key: match, field: ""}).update(**{field: text})


def load(apps, schema_editor):
    fill(apps.get_model("resources", "Topic"), "slug", TOPICS, ("name_cy", "description_cy"))
    fill(
        apps.get_model("resources", "Entitlement"),
        "name",
        ENTITLEMENTS,
        ("name_cy", "summary_cy"),
    )


class Migration(migrations.Migration):
    dependencies = [("resources", "0007_welsh_search")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
