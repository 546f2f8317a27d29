"""Demo kinship local offers (Leeds and Kent, every section) and support groups.

Every other council is left without an offer, so the gap shows. Phone numbers are from
Ofcom's ranges for drama (0113 496 0xxx, 01632 960xxx) and addresses are example.org: none
of them reaches a real person. Amounts are left out on purpose: they change every year and
belong to each council's own pages.
"""

LEEDS = "E08000035"
KENT = "E10000016"

LOCAL_OFFERS = {
    LEEDS: {
        "intro": (
            "If you are bringing up a relative's or a friend's child, Leeds City Council can "
            "help. This is what we offer, whether or not you have a court order."
        ),
        "intro_cy": (
            "Os ydych chi'n magu plentyn perthynas neu ffrind, gall Cyngor Dinas Leeds helpu. "
            "Dyma beth rydyn ni'n ei gynnig, p'un a oes gennych orchymyn llys ai peidio."
        ),
        "reviewed_days_ago": 45,
        "due_in_days": 320,
        "sections": {
            "support_groups": (
                "Meet other kinship carers at our monthly groups in the city centre, Seacroft "
                "and Armley, or online. You can bring the children to the summer and "
                "Christmas family days.\n\nThe groups are listed at the bottom of this page.",
                "",
                "",
            ),
            "financial": (
                "- If you have a **special guardianship order** or a **child arrangements "
                "order**, you can ask for a financial assessment. It may lead to a regular "
                "allowance.\n"
                "- If the child is placed with you as a **kinship foster carer**, you get the "
                "fostering allowance.\n"
                "- We can help you claim **Child Benefit** and **Guardian's Allowance** if you "
                "are entitled to them.\n\n"
                "Allowances are reviewed each year. Tell us if your income or the child's needs "
                "change.",
                "https://www.example.org/leeds/kinship-allowances-policy.pdf",
                "Leeds kinship allowances policy (PDF)",
            ),
            "accommodation": (
                "If your home is too small for the child, tell your social worker or the kinship "
                "support team. We can support a housing application with a letter, and in some "
                "cases help with the cost of adaptations or a larger bed.",
                "",
                "",
            ),
            "education": (
                "The **Leeds Virtual School** gives advice about the education of children in "
                "kinship care. It can help you talk to the school, understand **Pupil Premium "
                "Plus** and ask for an education, health and care (EHC) needs assessment.\n\n"
                "Children who left care through an order have the highest priority in school "
                "admissions.",
                "",
                "",
            ),
            "family_time": (
                "Family time means the child seeing their parents, brothers and sisters and "
                "other relatives. We can help you plan it, find a safe place to meet and, where "
                "it is needed, supervise it at our family centres.",
                "",
                "",
            ),
            "legal": (
                "If you are thinking about a special guardianship order, we will pay for up to "
                "3 hours of independent legal advice before you decide. Ask your social worker "
                "to arrange it.\n\n"
                "You can also get free advice from a kinship charity's advice line.",
                "",
                "",
            ),
            "therapeutic": (
                "Many children in kinship care have lived through loss or trauma. We can "
                "arrange therapeutic parenting courses for you and, after an assessment, "
                "therapy for the child. Children who left care may be able to get help from "
                "the Adoption and Special Guardianship Support Fund.",
                "",
                "",
            ),
            "assessment": (
                "You can ask for an assessment of your family's support needs at any time, "
                "with or without a court order.\n\n"
                "1. Call or email the kinship support team.\n"
                "2. A social worker will contact you within 10 working days.\n"
                "3. You will get a written support plan, which you can ask us to review.",
                "",
                "",
            ),
            "contacts": (
                "**Kinship support team**: 0113 496 0412, kinship.support@example.org, "
                "Monday to Friday, 9am to 5pm.\n\n"
                "**Leeds Virtual School**: 0113 496 0730, virtual.school.leeds@example.org.\n\n"
                "Out of hours, if a child is in danger, call 999.",
                "",
                "",
            ),
        },
    },
    KENT: {
        "intro": (
            "Kent County Council runs children's services for the whole county, whichever "
            "district council sends your council tax bill. This is the help we give to family "
            "and friends who bring up a child."
        ),
        "intro_cy": "",
        # Kent's review date has passed: the page shows the "overdue for review" notice.
        "reviewed_days_ago": 400,
        "due_in_days": -35,
        "sections": {
            "support_groups": (
                "Our kinship support workers run groups in Maidstone, Ashford and Canterbury, "
                "and a group for male carers that meets in Medway and online.",
                "",
                "",
            ),
            "financial": (
                "Special guardians and carers with a child arrangements order can ask for a "
                "means-tested allowance. Kinship foster carers get the fostering allowance and "
                "can ask about extra payments for birthdays, festivals and holidays.",
                "https://www.example.org/kent/kinship-financial-support",
                "How Kent works out kinship allowances",
            ),
            "accommodation": (
                "We can write to your district council's housing team to support your "
                "application if you need a bigger home for the child.",
                "",
                "",
            ),
            "education": (
                "**Kent Virtual School** offers advice sessions for kinship carers and can "
                "attend meetings with the school with you.",
                "",
                "",
            ),
            "family_time": (
                "Our family time service can help arrange and support contact with the child's "
                "parents, in person or by letter.",
                "",
                "",
            ),
            "legal": (
                "We pay for independent legal advice for carers who are asked to apply for a "
                "special guardianship order.",
                "",
                "",
            ),
            "therapeutic": (
                "Ask us about therapeutic support, including courses on understanding "
                "children's behaviour after trauma.",
                "",
                "",
            ),
            "assessment": (
                "Email or call the kinship team and ask for an **assessment of support "
                "needs**. We will tell you within 10 working days who will carry it out.",
                "",
                "",
            ),
            "contacts": (
                "**Kinship team**: 01632 960 418, kinship.team@example.org.\n\n"
                "**Kent Virtual School**: 01632 960 902, virtual.school.kent@example.org.",
                "",
                "",
            ),
        },
    },
}

# "weekday": 0 is Monday. An empty "week" means every week.
SUPPORT_GROUPS = [
    {
        "name": "Grandparents online: evening catch-up",
        "name_cy": "Neiniau a theidiau ar-lein: sgwrs gyda'r nos",
        "description": (
            "A friendly video call for grandparents raising grandchildren, wherever you live. "
            "Cameras optional."
        ),
        "description_cy": (
            "Galwad fideo gyfeillgar i neiniau a theidiau sy'n magu wyrion, ble bynnag rydych "
            "chi'n byw. Does dim rhaid troi'r camera ymlaen."
        ),
        "gss": None,
        "format": "online",
        "week": "",
        "weekday": 2,
        "starts": (19, 30),
        "ends": (20, 30),
        "themes": ["grandparents"],
        "run_by": "Volunteers who are kinship carers themselves",
        "how_to_join": "Email us and we will send you the link for the next call.",
        "contact_email": "grandparents.online@example.org",
        "contact_phone": "",
        "events": ["peer-support-evening"],
    },
    {
        "name": "Leeds kinship carers' coffee morning",
        "description": "Tea, cake and advice from the kinship support team. Children under 5 welcome.",
        "gss": LEEDS,
        "format": "in_person",
        "venue": "Community hub, Seacroft, Leeds",
        "access": "Step-free entrance and accessible toilet. Free parking. Buses stop outside.",
        "week": "second",
        "weekday": 1,
        "starts": (10, 0),
        "ends": (12, 0),
        "themes": ["grandparents", "special_guardians", "informal_carers"],
        "run_by": "Leeds City Council kinship support team",
        "how_to_join": "Just come along. You do not need to book.",
        "contact_email": "kinship.support@example.org",
        "contact_phone": "0113 496 0412",
        "events": [],
    },
    {
        "name": "Leeds cuppa and chat",
        "description": "A monthly online hour with other carers and a Virtual School adviser.",
        "gss": LEEDS,
        "format": "online",
        "week": "first",
        "weekday": 3,
        "starts": (10, 0),
        "ends": (11, 0),
        "themes": [],
        "run_by": "Leeds Virtual School",
        "how_to_join": "Book a place on the portal's events page.",
        "contact_email": "virtual.school.leeds@example.org",
        "contact_phone": "0113 496 0730",
        "events": ["monthly-cuppa-and-chat"],
    },
    {
        "name": "Kent dads and male carers",
        "description": (
            "For grandfathers, uncles, brothers and other men bringing up a child. Meets in "
            "person and on a video call at the same time."
        ),
        "gss": KENT,
        "format": "both",
        "venue": "Family centre, Chatham, Medway",
        "access": "Ground floor room. Hearing loop. Nearest station: Chatham.",
        "week": "last",
        "weekday": 5,
        "starts": (10, 0),
        "ends": (12, 0),
        "themes": ["male_carers"],
        "run_by": "Kent kinship support workers",
        "how_to_join": "Call or email to get the address and the video link.",
        "contact_email": "kinship.team@example.org",
        "contact_phone": "01632 960 418",
        "events": [],
    },
    {
        "name": "Maidstone kinship carers' group",
        "description": "A relaxed afternoon group with a crèche in the school holidays.",
        "gss": KENT,
        "format": "in_person",
        "venue": "Library meeting room, Maidstone",
        "access": "Lift to the first floor. Pay and display parking nearby.",
        "week": "third",
        "weekday": 3,
        "starts": (13, 0),
        "ends": (15, 0),
        "themes": ["special_guardians", "foster_carers"],
        "run_by": "Kent kinship support workers",
        "how_to_join": "Email to say you are coming the first time.",
        "contact_email": "kinship.team@example.org",
        "contact_phone": "01632 960 418",
        "events": [],
    },
    {
        "name": "Young kinship carers online",
        "description": (
            "For carers under 35, such as older brothers and sisters raising a sibling. "
            "Evenings, so it fits round work."
        ),
        "gss": None,
        "format": "online",
        "week": "",
        "weekday": 0,
        "starts": (20, 0),
        "ends": (21, 0),
        "themes": ["under_35s", "young_carers"],
        "run_by": "Volunteers who are kinship carers themselves",
        "how_to_join": "Email us for the link.",
        "contact_email": "young.carers@example.org",
        "contact_phone": "",
        "events": [],
    },
]
