"""Believable library content for demo runs, loaded by `manage.py seed_demo`."""

import datetime

R = "carers"
SCH = "schools"
PRO = "professionals"

# (slug, title, summary, kind, topics, audiences, arrangements, stages, source, featured, body)
RESOURCES = [
    (
        "special-guardianship-explained",
        "Special guardianship orders explained",
        "What a special guardianship order means for you and the child, how it differs from fostering and adoption, and what support you can ask for.",
        "guide",
        ["legal-arrangements"],
        [R],
        ["sgo"],
        [],
        "Kinship Portal",
        True,
        "## What a special guardianship order is\n\nA special guardianship order (SGO) is made by a family court. It gives you **parental responsibility** for the child until they are 18.\n\nThe child's parents keep parental responsibility too, but you can make most day-to-day decisions without asking them.\n\n## What support you can ask for\n\n- a financial assessment, which may lead to a special guardianship allowance\n- a support plan, agreed before the order is made\n- help from the Adoption and Special Guardianship Support Fund if the child was in care before\n\n## If things change\n\nYou can ask your council to review the support plan at any time.",
    ),
    (
        "school-keeps-calling-about-behaviour",
        "My grandchild's school keeps calling about their behaviour: what can I ask for?",
        "What to ask the school when a child you look after is struggling with behaviour, and how the Virtual School can help before things reach suspension.",
        "article",
        ["education-and-school", "wellbeing"],
        [R],
        [],
        ["ks1", "ks2", "ks3", "ks4"],
        "Kinship Portal",
        True,
        "Many children in kinship care have lived through loss and trauma. Behaviour at school is often how that shows.\n\n## Ask the school for a meeting\n\nAsk to meet the **designated teacher** – the teacher responsible for children who are or were in care. Ask:\n\n1. what happens before an incident, and what seems to help\n2. whether the school has used its Pupil Premium Plus for the child\n3. whether an assessment for special educational needs would help\n\n## Before any suspension\n\nSchools should consider a child's background before suspending them. Ask your Virtual School for advice: they can talk to the school with you.",
    ),
    (
        "pupil-premium-plus",
        "Pupil Premium Plus: extra school funding for children who left care",
        "How Pupil Premium Plus works, who it is for, and how to make sure the school claims it and uses it well.",
        "guide",
        ["education-and-school", "money-and-allowances"],
        [R, SCH],
        ["sgo", "cao", "adoption"],
        ["ks1", "ks2", "ks3", "ks4"],
        "Kinship Portal",
        True,
        "Schools get Pupil Premium Plus for children who left care through a special guardianship order, a child arrangements order or adoption.\n\n## Make sure the school knows\n\nThe school can only claim it if you tell them about the order, usually before the January school census. Give the school office a copy of the order.\n\n## How it is spent\n\nThe funding is for the child's needs: for example, a key adult, therapy or help catching up. You can ask how it is being used.",
    ),
    (
        "school-admissions-priority",
        "Applying for a school place: your child's priority",
        "Children who are or were in care get the highest priority for school places. Here is how to claim it on the application.",
        "guide",
        ["education-and-school"],
        [R],
        ["sgo", "cao", "adoption", "kinship_foster"],
        ["eyfs", "ks2"],
        "Kinship Portal",
        False,
        "When you apply for a school place, say that the child **was previously looked after** and attach a copy of the order. Apply by the deadline: late applications lose priority.",
    ),
    (
        "kinship-carers-money-guide",
        "Money and allowances for kinship carers",
        "The benefits and allowances kinship carers may be able to get, including Child Benefit, Guardian's Allowance and council allowances.",
        "guide",
        ["money-and-allowances"],
        [R],
        [],
        [],
        "Kinship Portal",
        True,
        "## Child Benefit\n\nYou can claim Child Benefit for a child who lives with you.\n\n## Guardian's Allowance\n\nIf the child's parents have died, you may also get Guardian's Allowance.\n\n## Council allowances\n\nWhat your council pays depends on the arrangement. Ask for a **financial assessment**. Amounts change every year: check your council's kinship local offer.",
    ),
    (
        "ehc-plans-for-kinship-carers",
        "Education, health and care (EHC) plans: a guide for kinship carers",
        "What an EHC plan is, how to ask for an assessment, and what to do if the council says no.",
        "guide",
        ["send", "education-and-school"],
        [R],
        [],
        ["ks1", "ks2", "ks3", "ks4", "post16"],
        "Kinship Portal",
        False,
        "An EHC plan sets out a child's special educational needs and the support they must get. You can ask the council for an assessment yourself: you do not need the school to agree.",
    ),
    (
        "contact-with-birth-parents",
        "Family time: managing contact with birth parents",
        "Practical advice on planning contact, keeping the child safe and looking after yourself when contact is hard.",
        "article",
        ["contact-with-family", "wellbeing"],
        [R],
        [],
        [],
        "Kinship Portal",
        False,
        "Contact can be important for a child and hard for everyone. Agree a plan in writing, meet somewhere neutral if you need to, and ask for help from children's services if contact becomes unsafe.",
    ),
    (
        "looking-after-yourself",
        "Looking after yourself as a kinship carer",
        "Kinship care can be exhausting. Where to find support groups, breaks and someone to talk to.",
        "article",
        ["support-for-carers"],
        [R],
        [],
        [],
        "Kinship Portal",
        False,
        "Many kinship carers took on a child suddenly. It is normal to feel tired, angry or grieving. Peer support groups, run online and in person, can help.",
    ),
    (
        "teenagers-and-independence",
        "Teenagers in kinship care: growing up and moving on",
        "Support for older children: college, work, staying put and what happens at 18.",
        "article",
        ["teenagers", "education-and-school"],
        [R],
        [],
        ["ks4", "post16"],
        "Kinship Portal",
        False,
        "At 16 a young person can choose college, an apprenticeship or training. Ask the Virtual School about bursaries for young people who were in care.",
    ),
    (
        "designated-teacher-briefing",
        "Briefing for designated teachers: children in kinship care",
        "What designated teachers should know about children in kinship care and the Virtual School's extended role since September 2024.",
        "document",
        ["education-and-school"],
        [SCH, PRO],
        [],
        [],
        "Kinship Portal",
        False,
        "Since September 2024 Virtual School heads promote the education of all children in kinship care. This briefing covers attendance, attainment and progress.",
    ),
    (
        "webinar-recording-sgo-support",
        "Webinar recording: getting the support plan right",
        "A recorded webinar with a family solicitor on special guardianship support plans.",
        "recording",
        ["legal-arrangements", "money-and-allowances"],
        [R],
        ["sgo"],
        [],
        "Kinship Portal",
        False,
        "Watch the recording and download the slides.",
    ),
    (
        "kinship-foster-care-guide",
        "Kinship foster care: being a connected person foster carer",
        "What it means to be approved as a foster carer for a relative's child, your fostering allowance and the child's personal education plan.",
        "guide",
        ["legal-arrangements", "money-and-allowances"],
        [R],
        ["kinship_foster"],
        [],
        "Kinship Portal",
        False,
        "As a connected person foster carer the child is looked after by the council. You have a supervising social worker and receive a fostering allowance.",
    ),
    (
        "attendance-and-persistent-absence",
        "School attendance: what persistent absence means",
        "Why attendance matters, what counts as persistent absence, and how to get help when a child will not go to school.",
        "article",
        ["education-and-school"],
        [R, SCH],
        [],
        ["ks1", "ks2", "ks3", "ks4"],
        "Kinship Portal",
        False,
        "A child is **persistently absent** if they miss 10% or more of school sessions. Talk to the school early, and ask your Virtual School for advice if anxiety is stopping the child going.",
    ),
    (
        "leeds-kinship-support-group",
        "Leeds kinship carers' support group",
        "A monthly support group for kinship carers in Leeds, run with the Virtual School.",
        "link",
        ["support-for-carers"],
        [R],
        [],
        [],
        "Leeds Virtual School",
        False,
        "Meet other kinship carers in Leeds on the first Tuesday of each month.",
    ),
]

LEEDS = "E08000035"

# Times are set relative to today when seed_demo runs, so there are always upcoming events.
EVENTS = [
    {
        "slug": "understanding-sgo-support-plans",
        "title": "Understanding your special guardianship support plan",
        "summary": "A family solicitor explains what a support plan should cover and how to ask for a review.",
        "description": "Bring your questions. We will cover:\n\n- what the support plan should say\n- financial assessments\n- asking for a review",
        "kind": "webinar",
        "format": "online",
        "in_days": 6,
        "hour": 19,
        "minutes": 60,
        "capacity": 80,
        "join_url": "https://meet.example.org/kinship-sgo-webinar",
        "organiser": "Leeds Virtual School",
        "topics": ["legal-arrangements", "money-and-allowances"],
        "bookers": ["margaret@example.com"],
    },
    {
        "slug": "school-behaviour-workshop-leeds",
        "title": "When school calls about behaviour: a workshop for carers",
        "summary": "Practical ways to work with your child's school, with Leeds Virtual School's education advisers.",
        "description": "A small, friendly workshop. Tea and coffee provided.",
        "kind": "workshop",
        "format": "in_person",
        "in_days": 12,
        "hour": 10,
        "minutes": 120,
        "capacity": 2,
        "venue_name": "Leeds Central Library, Room 2",
        "venue_address": "Calverley Street\nLeeds\nLS1 3AB",
        "access_information": "Step-free access from the Calverley Street entrance. Hearing loop in Room 2.",
        "organiser": "Leeds Virtual School",
        "area": LEEDS,
        "topics": ["education-and-school", "wellbeing"],
        "bookers": ["margaret@example.com", "chloe@example.com"],
    },
    {
        "slug": "peer-support-evening",
        "title_cy": "Noson cymorth gan gymheiriaid i ofalwyr sy'n berthnasau",
        "summary_cy": (
            "Noson anffurfiol ar-lein i gwrdd â gofalwyr eraill sy'n berthnasau. "
            "Does dim rhaid troi'r camera ymlaen."
        ),
        "title": "Kinship carers' peer support evening",
        "summary": "An informal online evening to meet other kinship carers. Cameras optional.",
        "kind": "peer_support",
        "format": "online",
        "in_days": 3,
        "hour": 20,
        "minutes": 60,
        "capacity": 25,
        "join_url": "https://meet.example.org/kinship-peer-support",
        "organiser": "Kinship Portal",
        "topics": ["support-for-carers"],
        "bookers": ["dave@example.com"],
    },
    {
        "slug": "send-drop-in",
        "title": "SEND drop-in: EHC plans and SEN support",
        "summary": "Bring your questions about special educational needs to our advisers.",
        "kind": "drop_in",
        "format": "hybrid",
        "in_days": 20,
        "hour": 13,
        "minutes": 90,
        "capacity": 30,
        "venue_name": "Kent Virtual School offices",
        "venue_address": "Sessions House\nCounty Road\nMaidstone\nME14 1XQ",
        "join_url": "https://meet.example.org/kent-send-drop-in",
        "organiser": "Kent Virtual School",
        "topics": ["send", "education-and-school"],
    },
    {
        # A course: four weekly sessions, one booking for them all.
        "slug": "therapeutic-parenting-course",
        "title": "Therapeutic parenting: a four-week course",
        "summary": "Understanding trauma and attachment, and what helps at home. Four weekly sessions, booked together.",
        "kind": "training",
        "format": "online",
        "in_days": 34,
        "hour": 18,
        "minutes": 90,
        "capacity": 40,
        "join_url": "https://meet.example.org/therapeutic-parenting",
        "organiser": "Kinship Portal",
        "topics": ["wellbeing", "support-for-carers"],
        "weekly_sessions": 4,
    },
    {
        # A series: the same morning each month, each date booked on its own or all at once.
        "slug": "monthly-cuppa-and-chat",
        "title": "Cuppa and chat: a monthly online catch-up for kinship carers",
        "summary": "An hour with other kinship carers and a Virtual School adviser, the same weekday each month.",
        "description": "No agenda: bring a cup of tea and whatever is on your mind. Come to one, or to all of them.",
        "kind": "peer_support",
        "format": "online",
        "in_days": 9,
        "hour": 10,
        "minutes": 60,
        "capacity": 20,
        "join_url": "https://meet.example.org/cuppa-and-chat",
        "organiser": "Leeds Virtual School",
        "topics": ["support-for-carers", "wellbeing"],
        "monthly_dates": 4,
        "bookers": ["chloe@example.com"],
    },
    {
        # For professionals: designated teachers book it with a professional's account.
        "slug": "designated-teachers-briefing",
        "title": "Designated teachers' briefing: children in kinship care",
        "summary": "What the extended Virtual School role means for your school, and how to support kinship pupils.",
        "description": (
            "For designated teachers and other school staff. We will cover:\n\n"
            "- who counts as a child in kinship care, and who is previously looked after\n"
            "- Pupil Premium Plus and admissions priority\n"
            "- working with carers and the Virtual School"
        ),
        "kind": "webinar",
        "format": "online",
        "in_days": 15,
        "hour": 16,
        "minutes": 75,
        "capacity": 60,
        "join_url": "https://meet.example.org/designated-teachers-briefing",
        "organiser": "Leeds Virtual School",
        "audiences": ["schools", "professionals"],
        "topics": ["education-and-school"],
        "bookers": ["teacher@roundhay.example"],
    },
    {
        "slug": "getting-the-support-plan-right-recorded",
        "title": "Getting the support plan right (recorded)",
        "summary": "Our autumn webinar with a family solicitor.",
        "kind": "webinar",
        "format": "online",
        "in_days": -20,
        "hour": 19,
        "minutes": 60,
        "capacity": 80,
        "join_url": "https://meet.example.org/past-webinar",
        "organiser": "Kinship Portal",
        "topics": ["legal-arrangements"],
        "recording": "webinar-recording-sgo-support",
        "bookers": ["margaret@example.com"],
    },
]

SCHOOLS = [
    {
        "name": "Roundhay School",
        "urn": "108075",
        "phase": "all_through",
        "designated_teacher_name": "Ms A. Patel",
        "designated_teacher_email": "designated.teacher@roundhay.example",
    },
    {
        "name": "Talbot Primary School",
        "urn": "107954",
        "phase": "primary",
        "designated_teacher_name": "Mr J. Rowe",
        "designated_teacher_email": "dt@talbot.example",
    },
    {
        "name": "Leeds City Academy",
        "urn": "135960",
        "phase": "secondary",
        "designated_teacher_name": "Mrs K. Osei",
        "designated_teacher_email": "dt@leedscity.example",
    },
]

# reviews: (years back, term, attendance %, suspensions)
PUPILS = [
    {
        "first_name": "Jayden",
        "last_name": "Okafor",
        "date_of_birth": datetime.date(2014, 10, 3),
        "upn": "",
        "school_urn": "108075",
        "arrangement": "sgo",
        "previously_looked_after": True,
        "send_status": "sen_support",
        "social_worker_involved": False,
        "notes": "Lives with his grandmother.",
        "reviews": [(1, "summer", 91.5, 0), (0, "autumn", 86.0, 1)],
    },
    {
        "first_name": "Kai",
        "last_name": "Walsh",
        "date_of_birth": datetime.date(2010, 12, 14),
        "upn": "",
        "school_urn": "135960",
        "arrangement": "informal",
        "previously_looked_after": False,
        "send_status": "none",
        "social_worker_involved": True,
        "notes": "",
        "reviews": [(0, "autumn", 95.2, 0)],
    },
    {
        "first_name": "Amara",
        "last_name": "Okafor",
        "date_of_birth": datetime.date(2018, 2, 20),
        "upn": "",
        "school_urn": "107954",
        "arrangement": "sgo",
        "previously_looked_after": True,
        "send_status": "none",
        "social_worker_involved": False,
        "notes": "",
        "reviews": [(0, "autumn", 97.0, 0)],
    },
    {
        "first_name": "Leo",
        "last_name": "Brennan",
        "date_of_birth": datetime.date(2016, 6, 9),
        "upn": "",
        "school_urn": "107954",
        "arrangement": "kinship_foster",
        "previously_looked_after": False,
        "send_status": "ehc_plan",
        "social_worker_involved": True,
        "notes": "Has a PEP as a looked-after child.",
        "reviews": [(0, "autumn", 79.4, 2)],
    },
]

# Welsh versions of some demo guides and events, so a first run shows Welsh content on
# /cy/ pages; the rest show their English with a "not in Welsh yet" notice.
WELSH_RESOURCES = {
    "special-guardianship-explained": {
        "title_cy": "Esbonio gorchmynion gwarcheidiaeth arbennig",
        "summary_cy": (
            "Beth mae gorchymyn gwarcheidiaeth arbennig yn ei olygu i chi a'r plentyn, sut "
            "mae'n wahanol i faethu a mabwysiadu, a pha gymorth y gallwch ofyn amdano."
        ),
        "body_cy": (
            "## Beth yw gorchymyn gwarcheidiaeth arbennig\n\n"
            "Llys teulu sy'n gwneud gorchymyn gwarcheidiaeth arbennig (SGO). Mae'n rhoi "
            "**cyfrifoldeb rhiant** i chi am y plentyn nes ei fod yn 18 oed.\n\n"
            "Mae gan rieni'r plentyn gyfrifoldeb rhiant hefyd, ond gallwch wneud y rhan fwyaf "
            "o benderfyniadau pob dydd heb ofyn iddyn nhw.\n\n"
            "## Pa gymorth y gallwch ofyn amdano\n\n"
            "- asesiad ariannol, a allai arwain at lwfans gwarcheidiaeth arbennig\n"
            "- cynllun cymorth, wedi'i gytuno cyn gwneud y gorchymyn\n"
            "- help gan y Gronfa Cymorth Mabwysiadu a Gwarcheidiaeth Arbennig os oedd y "
            "plentyn mewn gofal o'r blaen\n\n"
            "## Os bydd pethau'n newid\n\n"
            "Gallwch ofyn i'ch cyngor adolygu'r cynllun cymorth unrhyw bryd."
        ),
    },
    "looking-after-yourself": {
        "title_cy": "Gofalu amdanoch eich hun fel gofalwr sy'n berthynas",
        "summary_cy": (
            "Gall gofal gan berthnasau fod yn flinedig. Ble i ddod o hyd i grwpiau cymorth, "
            "seibiant a rhywun i siarad ag ef."
        ),
        "body_cy": (
            "Roedd yn rhaid i lawer o ofalwyr sy'n berthnasau ofalu am blentyn yn sydyn. Mae'n "
            "arferol teimlo'n flinedig, yn ddig neu'n galaru. Gall grwpiau cymorth gan "
            "gymheiriaid, ar-lein ac wyneb yn wyneb, helpu."
        ),
    },
}
