"""The two survey templates Participatie ships: one for parents, one for young people (12 to 23).

Plain data, loaded into `SurveyTemplate` rows by the seeding code; cliëntambassadeurs adapt them
afterwards in the app. The questions measure the bottlenecks the rekenkamer found in the
youth-protection chain of the Amersfoort region: every bottleneck (a codebook theme slug) has at
least one closed question in each template, so the council can follow over time to what extent it
still occurs. Question codes are stable keys for trends: never rename one, add a new code instead.

The Dutch is plain B1: short sentences, everyday words, one thing per question. Both templates
say "je", like the survey pages, the thank-you page and the e-mails around them. The English is a
faithful translation, not a rewrite.

Kinds "agreement" (five steps plus "niet van toepassing"), "grade" (1 to 10) and "yesno" get their
answer options from `answering.py`, so their `options` are empty here. Organisation option values
are the slugs seeded in `organisations/operations.py`; municipality values are the slugified names
of the seeded region municipalities.
"""

from __future__ import annotations

from typing import Any

# The region's municipalities, as both templates offer them (organisations differ in wording).
MUNICIPALITY_OPTIONS: list[dict[str, Any]] = [
    {"value": "amersfoort", "label": {"nl": "Amersfoort", "en": "Amersfoort"}},
    {"value": "baarn", "label": {"nl": "Baarn", "en": "Baarn"}},
    {"value": "bunschoten", "label": {"nl": "Bunschoten", "en": "Bunschoten"}},
    {"value": "eemnes", "label": {"nl": "Eemnes", "en": "Eemnes"}},
    {"value": "leusden", "label": {"nl": "Leusden", "en": "Leusden"}},
    {"value": "soest", "label": {"nl": "Soest", "en": "Soest"}},
    {"value": "woudenberg", "label": {"nl": "Woudenberg", "en": "Woudenberg"}},
    {"value": "other", "label": {"nl": "Een andere gemeente", "en": "Another municipality"}},
    {
        "value": "prefer_not_to_say",
        "label": {"nl": "Zeg ik liever niet", "en": "I'd rather not say"},
    },
]

# The reminder under every open question.
NO_NAMES_HELP: dict[str, str] = {
    "nl": "Schrijf geen namen op. Schrijf ook niets op waaraan iemand te herkennen is.",
    "en": "Do not write down names. Also do not write down anything by which someone can be recognised.",
}

PARENTS: dict[str, Any] = {
    "slug": "ervaringen-ouders",
    "audience": "parents",
    "estimated_minutes": 10,
    "title": {
        "nl": "Jouw ervaringen als ouder met jeugdbescherming en jeugdhulp",
        "en": "Your experiences as a parent with child protection and youth care",
    },
    "description": {
        "nl": (
            "Deze vragenlijst gaat over jouw ervaringen met jeugdbescherming en jeugdhulp in "
            "het afgelopen jaar. Je antwoorden zijn anoniem. Niemand kan zien wat jij hebt "
            "ingevuld."
        ),
        "en": (
            "This questionnaire is about your experiences with child protection and youth care "
            "in the past year. Your answers are anonymous. Nobody can see what you filled in."
        ),
    },
    "feedback_text": {
        "nl": (
            "Na elke ronde bespreken de cliëntambassadeurs de antwoorden met alle organisaties. "
            "Hier lees je wat er daarna is veranderd."
        ),
        "en": (
            "After every round the client ambassadors discuss the answers with all "
            "organisations. Here you can read what changed after that."
        ),
    },
    "sections": [
        {
            "title": {"nl": "Over jou", "en": "About you"},
            "intro": {
                "nl": (
                    "Eerst een paar vragen over jou. Zo kunnen we zien of ervaringen "
                    "verschillen. We vragen niet naar je naam."
                ),
                "en": (
                    "First a few questions about you. This helps us see whether experiences "
                    "differ. We do not ask for your name."
                ),
            },
            "questions": [
                {
                    "code": "role",
                    "kind": "single",
                    "required": True,
                    "text": {"nl": "Wie ben je?", "en": "Who are you?"},
                    "help": None,
                    "options": [
                        {
                            "value": "parent",
                            "label": {"nl": "Ouder of verzorger", "en": "Parent or carer"},
                        },
                        {
                            "value": "foster_parent",
                            "label": {"nl": "Pleegouder", "en": "Foster parent"},
                        },
                        {"value": "other", "label": {"nl": "Anders", "en": "Other"}},
                    ],
                    "theme": None,
                    "background": True,
                    "condition": None,
                },
                {
                    "code": "age_band",
                    "kind": "single",
                    "required": True,
                    "text": {"nl": "Hoe oud ben je?", "en": "How old are you?"},
                    "help": None,
                    "options": [
                        {
                            "value": "under_25",
                            "label": {"nl": "Jonger dan 25 jaar", "en": "Under 25"},
                        },
                        {
                            "value": "25_34",
                            "label": {"nl": "25 tot en met 34 jaar", "en": "25 to 34"},
                        },
                        {
                            "value": "35_44",
                            "label": {"nl": "35 tot en met 44 jaar", "en": "35 to 44"},
                        },
                        {
                            "value": "45_54",
                            "label": {"nl": "45 tot en met 54 jaar", "en": "45 to 54"},
                        },
                        {
                            "value": "55_plus",
                            "label": {"nl": "55 jaar of ouder", "en": "55 or older"},
                        },
                        {
                            "value": "prefer_not_to_say",
                            "label": {"nl": "Zeg ik liever niet", "en": "I'd rather not say"},
                        },
                    ],
                    "theme": None,
                    "background": True,
                    "condition": None,
                },
                {
                    "code": "municipality",
                    "kind": "single",
                    "required": True,
                    "text": {
                        "nl": "In welke gemeente woon je?",
                        "en": "Which municipality do you live in?",
                    },
                    "help": None,
                    "options": MUNICIPALITY_OPTIONS,
                    "theme": None,
                    "background": True,
                    "condition": None,
                },
                {
                    "code": "organisations",
                    "kind": "multiple",
                    "required": True,
                    "text": {
                        "nl": "Met welke organisaties had je contact in het afgelopen jaar?",
                        "en": "Which organisations were you in contact with in the past year?",
                    },
                    "help": {
                        "nl": "Je mag meer dan één antwoord kiezen.",
                        "en": "You may choose more than one answer.",
                    },
                    "options": [
                        {
                            "value": "veilig-thuis",
                            "label": {"nl": "Veilig Thuis", "en": "Veilig Thuis"},
                        },
                        {
                            "value": "save",
                            "label": {
                                "nl": "Jeugdbescherming (SAVE)",
                                "en": "Child protection (SAVE)",
                            },
                        },
                        {
                            "value": "swa",
                            "label": {
                                "nl": "Het wijkteam (Sociale Wijkteams Amersfoort)",
                                "en": "The neighbourhood team (Sociale Wijkteams Amersfoort)",
                            },
                        },
                        {
                            "value": "bsa-jeugdhulp",
                            "label": {
                                "nl": "Een jeugdhulpaanbieder (BSA Jeugdhulp)",
                                "en": "A youth care provider (BSA Jeugdhulp)",
                            },
                        },
                        {
                            "value": "raad-kinderbescherming",
                            "label": {
                                "nl": "Raad voor de Kinderbescherming",
                                "en": "Child Protection Board (Raad voor de Kinderbescherming)",
                            },
                        },
                        {
                            "value": "gemeente",
                            "label": {"nl": "De gemeente", "en": "The municipality"},
                        },
                        {"value": "other", "label": {"nl": "Anders", "en": "Other"}},
                        {
                            "value": "dont_know",
                            "label": {"nl": "Weet ik niet", "en": "I don't know"},
                        },
                    ],
                    "theme": None,
                    "background": True,
                    "condition": None,
                },
                {
                    "code": "measure",
                    "kind": "single",
                    "required": True,
                    "text": {
                        "nl": "Is er een maatregel van de rechter voor je kind?",
                        "en": "Is there a measure by a judge for your child?",
                    },
                    "help": {
                        "nl": "Bijvoorbeeld een ondertoezichtstelling (OTS) of voogdij.",
                        "en": "For example a supervision order (OTS) or guardianship.",
                    },
                    "options": [
                        {
                            "value": "ots",
                            "label": {
                                "nl": "Ja, een ondertoezichtstelling (OTS)",
                                "en": "Yes, a supervision order (OTS)",
                            },
                        },
                        {
                            "value": "guardianship",
                            "label": {"nl": "Ja, voogdij", "en": "Yes, guardianship"},
                        },
                        {"value": "none", "label": {"nl": "Nee", "en": "No"}},
                        {
                            "value": "dont_know",
                            "label": {"nl": "Weet ik niet", "en": "I don't know"},
                        },
                    ],
                    "theme": None,
                    "background": True,
                    "condition": None,
                },
                {
                    "code": "child_placed",
                    "kind": "yesno",
                    "required": True,
                    "text": {
                        "nl": "Woont je kind nu ergens anders dan bij jou?",
                        "en": "Does your child live somewhere other than with you now?",
                    },
                    "help": {
                        "nl": (
                            "Bijvoorbeeld in een pleeggezin, een gezinshuis of een instelling. "
                            "Heb je meer kinderen? Kies dan ja als dit voor één van hen geldt."
                        ),
                        "en": (
                            "For example with a foster family, in a family-style group home or "
                            "in an institution. Do you have more children? Then choose yes if "
                            "this is true for one of them."
                        ),
                    },
                    "options": [],
                    "theme": None,
                    "background": True,
                    "condition": {"code": "role", "values": ["parent"]},
                },
            ],
        },
        {
            "title": {"nl": "Uitleg en duidelijkheid", "en": "Explanation and clarity"},
            "intro": {
                "nl": (
                    "Ben je het eens met deze zinnen? Kies bij elke zin wat past. Heb je meer "
                    "kinderen met hulp? Denk dan aan het kind dat de meeste hulp kreeg."
                ),
                "en": (
                    "Do you agree with these sentences? Choose what fits for each sentence. Do "
                    "you have more children with help? Then think of the child who got the most "
                    "help."
                ),
            },
            "questions": [
                {
                    "code": "knows_responsible",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Ik weet wie verantwoordelijk is voor de hulp aan mijn kind.",
                        "en": "I know who is responsible for the help for my child.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "roles",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "knows_next_step",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Ik weet wie de volgende stap zet.",
                        "en": "I know who takes the next step.",
                    },
                    "help": {
                        "nl": "Bijvoorbeeld: wie een afspraak maakt of wie hulp regelt.",
                        "en": "For example: who makes an appointment or who arranges help.",
                    },
                    "options": [],
                    "theme": "roles",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "measure_explained",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Iemand legde mij goed uit wat de maatregel voor ons gezin betekent.",
                        "en": "Someone explained well to me what the measure means for our family.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "information",
                    "background": False,
                    "condition": {
                        "code": "measure",
                        "values": ["ots", "guardianship", "dont_know"],
                    },
                },
                {
                    "code": "knows_what_to_expect",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Ik weet wat ik van de hulpverleners mag verwachten.",
                        "en": "I know what I may expect from the care workers.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "information",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "knows_rights",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Ik weet wat mijn rechten zijn.",
                        "en": "I know what my rights are.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "information",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "veilig_thuis_explained",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Veilig Thuis legde mij goed uit wat ze gingen doen.",
                        "en": "Veilig Thuis explained well to me what they were going to do.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "information",
                    "background": False,
                    "condition": {"code": "organisations", "values": ["veilig-thuis"]},
                },
            ],
        },
        {
            "title": {"nl": "Contact met hulpverleners", "en": "Contact with care workers"},
            "intro": {
                "nl": (
                    "Met hulpverleners bedoelen we bijvoorbeeld de jeugdbeschermer, het wijkteam "
                    "of de medewerker van Veilig Thuis."
                ),
                "en": (
                    "By care workers we mean for example the child protection worker, the "
                    "neighbourhood team or the Veilig Thuis worker."
                ),
            },
            "questions": [
                {
                    "code": "listened_to",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "De hulpverleners luisterden naar mij.",
                        "en": "The care workers listened to me.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "being_heard",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "opinion_counted",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Mijn mening telde mee bij beslissingen over mijn kind.",
                        "en": "My opinion counted in decisions about my child.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "being_heard",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "knew_our_situation",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "De hulpverleners wisten genoeg om ons gezin goed te helpen.",
                        "en": "The care workers knew enough to help our family well.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "expertise",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "reachable",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Ik kon mijn hulpverlener bereiken als dat nodig was.",
                        "en": "I could reach my care worker when I needed to.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "continuity",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "called_back",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Als ik iets vroeg, kreeg ik snel antwoord.",
                        "en": "When I asked something, I got an answer quickly.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "continuity",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "caseworker_changes",
                    "kind": "single",
                    "required": True,
                    "text": {
                        "nl": "Hoe vaak kreeg je het afgelopen jaar een nieuwe hulpverlener?",
                        "en": "How often did you get a new care worker in the past year?",
                    },
                    "help": {
                        "nl": (
                            "Bijvoorbeeld een nieuwe jeugdbeschermer of een nieuwe medewerker "
                            "van het wijkteam."
                        ),
                        "en": (
                            "For example a new child protection worker or a new neighbourhood "
                            "team worker."
                        ),
                    },
                    "options": [
                        {"value": "none", "label": {"nl": "Geen keer", "en": "Not once"}},
                        {"value": "once", "label": {"nl": "1 keer", "en": "Once"}},
                        {"value": "twice", "label": {"nl": "2 keer", "en": "Twice"}},
                        {
                            "value": "three_or_more",
                            "label": {"nl": "3 keer of vaker", "en": "3 times or more"},
                        },
                        {
                            "value": "dont_know",
                            "label": {"nl": "Weet ik niet", "en": "I don't know"},
                        },
                    ],
                    "theme": "continuity",
                    "background": False,
                    "condition": None,
                },
            ],
        },
        {
            "title": {"nl": "Hulp en samenwerking", "en": "Help and cooperation"},
            "intro": {"nl": "", "en": ""},
            "questions": [
                {
                    "code": "help_in_time",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Mijn kind kreeg op tijd de hulp die nodig was.",
                        "en": "My child got the help they needed in time.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "timely_care",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "help_fits",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "De hulp past bij wat mijn kind nodig heeft.",
                        "en": "The help fits what my child needs.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "timely_care",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "child_contact_enough",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Ik heb genoeg contact met mijn kind dat ergens anders woont.",
                        "en": "I have enough contact with my child who lives somewhere else.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "child_contact",
                    "background": False,
                    "condition": {"code": "child_placed", "values": ["yes"]},
                },
                {
                    "code": "child_contact_agreements",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Er zijn duidelijke afspraken over wanneer ik mijn kind zie.",
                        "en": "There are clear agreements about when I see my child.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "child_contact",
                    "background": False,
                    "condition": {"code": "child_placed", "values": ["yes"]},
                },
                {
                    "code": "organisations_cooperate",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "De organisaties werkten goed met elkaar samen.",
                        "en": "The organisations worked well together.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "cooperation",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "story_told_once",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Ik hoefde mijn verhaal niet steeds opnieuw te vertellen.",
                        "en": "I did not have to tell my story again and again.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "cooperation",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "report_facts_correct",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Wat er in verslagen over ons gezin staat, klopt.",
                        "en": "What reports say about our family is correct.",
                    },
                    "help": {
                        "nl": (
                            "Bijvoorbeeld in een rapport van de Raad voor de Kinderbescherming "
                            "of in een plan van de jeugdbeschermer."
                        ),
                        "en": (
                            "For example in a report of the Child Protection Board or in a plan "
                            "of the child protection worker."
                        ),
                    },
                    "options": [],
                    "theme": "reporting",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "report_response",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Ik mocht op een verslag reageren voordat er een besluit kwam.",
                        "en": "I was allowed to respond to a report before a decision was made.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "reporting",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "knows_client_support",
                    "kind": "yesno",
                    "required": True,
                    "text": {
                        "nl": (
                            "Wist je dat je gratis hulp kunt krijgen van een onafhankelijke "
                            "cliëntondersteuner?"
                        ),
                        "en": (
                            "Did you know that you can get free help from an independent client "
                            "support worker?"
                        ),
                    },
                    "help": {
                        "nl": (
                            "Een cliëntondersteuner staat naast je en helpt je bij gesprekken. "
                            "Die persoon werkt niet voor de jeugdbescherming of het wijkteam."
                        ),
                        "en": (
                            "A client support worker stands beside you and helps you in "
                            "meetings. This person does not work for child protection or the "
                            "neighbourhood team."
                        ),
                    },
                    "options": [],
                    "theme": "client_support",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "knows_legal_help",
                    "kind": "yesno",
                    "required": True,
                    "text": {
                        "nl": "Weet je waar je hulp van een advocaat kunt krijgen?",
                        "en": "Do you know where you can get help from a lawyer?",
                    },
                    "help": {
                        "nl": (
                            "Bijvoorbeeld bij het Juridisch Loket. Die hulp is gratis of kost "
                            "weinig."
                        ),
                        "en": (
                            "For example at the Juridisch Loket (legal advice centre). That help "
                            "is free or costs little."
                        ),
                    },
                    "options": [],
                    "theme": "client_support",
                    "background": False,
                    "condition": None,
                },
            ],
        },
        {
            "title": {"nl": "Tot slot", "en": "Finally"},
            "intro": {
                "nl": "De laatste vragen. De open vragen mag je overslaan.",
                "en": "The last questions. You may skip the open questions.",
            },
            "questions": [
                {
                    "code": "overall_grade",
                    "kind": "grade",
                    "required": True,
                    "text": {
                        "nl": "Welk cijfer geef je de hulp en de jeugdbescherming, alles bij elkaar?",
                        "en": "What mark do you give the help and child protection, all in all?",
                    },
                    "help": {
                        "nl": "1 is heel slecht, 10 is heel goed.",
                        "en": "1 is very bad, 10 is very good.",
                    },
                    "options": [],
                    "theme": None,
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "went_well",
                    "kind": "long_text",
                    "required": False,
                    "text": {"nl": "Wat ging er goed?", "en": "What went well?"},
                    "help": NO_NAMES_HELP,
                    "options": [],
                    "theme": None,
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "should_change",
                    "kind": "long_text",
                    "required": False,
                    "text": {"nl": "Wat moet er anders?", "en": "What should change?"},
                    "help": NO_NAMES_HELP,
                    "options": [],
                    "theme": None,
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "tip_for_professionals",
                    "kind": "long_text",
                    "required": False,
                    "text": {
                        "nl": "Welke tip heb je voor de hulpverleners?",
                        "en": "What tip do you have for the care workers?",
                    },
                    "help": NO_NAMES_HELP,
                    "options": [],
                    "theme": None,
                    "background": False,
                    "condition": None,
                },
            ],
        },
    ],
}

YOUNG_PEOPLE: dict[str, Any] = {
    "slug": "ervaringen-jongeren",
    "audience": "young_people",
    "estimated_minutes": 8,
    "title": {
        "nl": "Jouw ervaringen met jeugdhulp en jeugdbescherming",
        "en": "Your experiences with youth care and child protection",
    },
    "description": {
        "nl": (
            "Wij willen weten hoe jij de hulp van het afgelopen jaar vond. Je antwoorden zijn "
            "anoniem. Niemand kan zien wat jij hebt ingevuld."
        ),
        "en": (
            "We want to know what you thought of the help in the past year. Your answers are "
            "anonymous. Nobody can see what you filled in."
        ),
    },
    "feedback_text": {
        "nl": (
            "Na elke ronde praten de cliëntambassadeurs over de antwoorden met alle organisaties. "
            "Hier lees je wat er daarna is veranderd."
        ),
        "en": (
            "After every round the client ambassadors talk about the answers with all "
            "organisations. Here you can read what changed after that."
        ),
    },
    "sections": [
        {
            "title": {"nl": "Over jou", "en": "About you"},
            "intro": {
                "nl": "Eerst een paar korte vragen over jou. We vragen niet naar je naam.",
                "en": "First a few short questions about you. We do not ask for your name.",
            },
            "questions": [
                {
                    "code": "role",
                    "kind": "single",
                    "required": True,
                    "text": {"nl": "Wat past bij jou?", "en": "What fits you?"},
                    "help": None,
                    "options": [
                        {
                            "value": "gets_help_now",
                            "label": {"nl": "Ik krijg nu hulp", "en": "I get help now"},
                        },
                        {
                            "value": "got_help_before",
                            "label": {
                                "nl": "Ik kreeg eerder hulp, nu niet meer",
                                "en": "I got help before, not anymore",
                            },
                        },
                        {"value": "other", "label": {"nl": "Anders", "en": "Other"}},
                    ],
                    "theme": None,
                    "background": True,
                    "condition": None,
                },
                {
                    "code": "age_band",
                    "kind": "single",
                    "required": True,
                    "text": {"nl": "Hoe oud ben je?", "en": "How old are you?"},
                    "help": None,
                    "options": [
                        {
                            "value": "12_15",
                            "label": {"nl": "12 tot en met 15 jaar", "en": "12 to 15"},
                        },
                        {"value": "16_17", "label": {"nl": "16 of 17 jaar", "en": "16 or 17"}},
                        {
                            "value": "18_23",
                            "label": {"nl": "18 tot en met 23 jaar", "en": "18 to 23"},
                        },
                        {
                            "value": "prefer_not_to_say",
                            "label": {"nl": "Zeg ik liever niet", "en": "I'd rather not say"},
                        },
                    ],
                    "theme": None,
                    "background": True,
                    "condition": None,
                },
                {
                    "code": "municipality",
                    "kind": "single",
                    "required": True,
                    "text": {
                        "nl": "In welke gemeente woon je?",
                        "en": "Which municipality do you live in?",
                    },
                    "help": None,
                    "options": MUNICIPALITY_OPTIONS,
                    "theme": None,
                    "background": True,
                    "condition": None,
                },
                {
                    "code": "organisations",
                    "kind": "multiple",
                    "required": True,
                    "text": {
                        "nl": "Met wie had je contact in het afgelopen jaar?",
                        "en": "Who were you in contact with in the past year?",
                    },
                    "help": {
                        "nl": "Je mag meer dan één antwoord kiezen.",
                        "en": "You may choose more than one answer.",
                    },
                    "options": [
                        {
                            "value": "veilig-thuis",
                            "label": {"nl": "Veilig Thuis", "en": "Veilig Thuis"},
                        },
                        {
                            "value": "save",
                            "label": {
                                "nl": "Een jeugdbeschermer (SAVE)",
                                "en": "A child protection worker (SAVE)",
                            },
                        },
                        {
                            "value": "swa",
                            "label": {"nl": "Het wijkteam", "en": "The neighbourhood team"},
                        },
                        {
                            "value": "bsa-jeugdhulp",
                            "label": {
                                "nl": "Jeugdhulp (BSA Jeugdhulp)",
                                "en": "Youth care (BSA Jeugdhulp)",
                            },
                        },
                        {
                            "value": "raad-kinderbescherming",
                            "label": {
                                "nl": "Raad voor de Kinderbescherming",
                                "en": "Child Protection Board (Raad voor de Kinderbescherming)",
                            },
                        },
                        {
                            "value": "gemeente",
                            "label": {"nl": "De gemeente", "en": "The municipality"},
                        },
                        {"value": "other", "label": {"nl": "Anders", "en": "Other"}},
                        {
                            "value": "dont_know",
                            "label": {"nl": "Weet ik niet", "en": "I don't know"},
                        },
                    ],
                    "theme": None,
                    "background": True,
                    "condition": None,
                },
            ],
        },
        {
            "title": {"nl": "Uitleg en luisteren", "en": "Explaining and listening"},
            "intro": {
                "nl": (
                    "Hoe eens ben je het met deze zinnen? Past een zin niet bij jou? Kies dan "
                    "'Niet van toepassing'."
                ),
                "en": (
                    "How much do you agree with these sentences? Does a sentence not fit you? "
                    "Then choose 'Not applicable'."
                ),
            },
            "questions": [
                {
                    "code": "knows_who_decides",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Ik weet wie er beslist over de hulp voor mij.",
                        "en": "I know who decides about the help for me.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "roles",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "knows_next_step",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Ik weet wie de volgende stap zet.",
                        "en": "I know who takes the next step.",
                    },
                    "help": {
                        "nl": "Bijvoorbeeld: wie een afspraak maakt of wie hulp regelt.",
                        "en": "For example: who makes an appointment or who arranges help.",
                    },
                    "options": [],
                    "theme": "roles",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "explained",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Iemand heeft mij in gewone woorden uitgelegd wat er gaat gebeuren.",
                        "en": "Someone explained to me in plain words what is going to happen.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "information",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "veilig_thuis_explained",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Veilig Thuis heeft mij uitgelegd wat zij gingen doen.",
                        "en": "Veilig Thuis explained to me what they were going to do.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "information",
                    "background": False,
                    "condition": {"code": "organisations", "values": ["veilig-thuis"]},
                },
                {
                    "code": "listened_to",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "De hulpverleners luisterden naar mij.",
                        "en": "The care workers listened to me.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "being_heard",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "opinion_counted",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Wat ik vind, telde mee bij beslissingen over mij.",
                        "en": "What I think counted in decisions about me.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "being_heard",
                    "background": False,
                    "condition": None,
                },
            ],
        },
        {
            "title": {"nl": "De hulp", "en": "The help"},
            "intro": {"nl": "", "en": ""},
            "questions": [
                {
                    "code": "reachable",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Ik kon mijn hulpverlener bereiken als ik dat nodig had.",
                        "en": "I could reach my care worker when I needed to.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "continuity",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "caseworker_changes",
                    "kind": "single",
                    "required": True,
                    "text": {
                        "nl": "Hoe vaak kreeg je het afgelopen jaar een nieuwe hulpverlener?",
                        "en": "How often did you get a new care worker in the past year?",
                    },
                    "help": None,
                    "options": [
                        {"value": "none", "label": {"nl": "Geen keer", "en": "Not once"}},
                        {"value": "once", "label": {"nl": "1 keer", "en": "Once"}},
                        {"value": "twice", "label": {"nl": "2 keer", "en": "Twice"}},
                        {
                            "value": "three_or_more",
                            "label": {"nl": "3 keer of vaker", "en": "3 times or more"},
                        },
                        {
                            "value": "dont_know",
                            "label": {"nl": "Weet ik niet", "en": "I don't know"},
                        },
                    ],
                    "theme": "continuity",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "help_in_time",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Ik kreeg op tijd hulp.",
                        "en": "I got help in time.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "timely_care",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "story_told_once",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Ik hoefde mijn verhaal niet steeds opnieuw te vertellen.",
                        "en": "I did not have to tell my story again and again.",
                    },
                    "help": None,
                    "options": [],
                    "theme": "cooperation",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "report_correct",
                    "kind": "agreement",
                    "required": True,
                    "text": {
                        "nl": "Wat er over mij is opgeschreven, klopt.",
                        "en": "What was written down about me is correct.",
                    },
                    "help": {
                        "nl": (
                            "Bijvoorbeeld in een verslag of een plan. Heb je niets gelezen? "
                            "Kies dan 'Niet van toepassing'."
                        ),
                        "en": (
                            "For example in a report or a plan. Have you not read anything? "
                            "Then choose 'Not applicable'."
                        ),
                    },
                    "options": [],
                    "theme": "reporting",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "knows_client_support",
                    "kind": "yesno",
                    "required": True,
                    "text": {
                        "nl": "Wist je dat je gratis met een vertrouwenspersoon kunt praten?",
                        "en": "Did you know that you can talk to a confidential adviser for free?",
                    },
                    "help": {
                        "nl": (
                            "Een vertrouwenspersoon helpt alleen jou. Die werkt niet voor de "
                            "jeugdbescherming of de jeugdhulp."
                        ),
                        "en": (
                            "A confidential adviser helps only you. They do not work for child "
                            "protection or youth care."
                        ),
                    },
                    "options": [],
                    "theme": "client_support",
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "knows_legal_help",
                    "kind": "yesno",
                    "required": True,
                    "text": {
                        "nl": "Weet je waar je gratis hulp van een advocaat kunt krijgen?",
                        "en": "Do you know where you can get free help from a lawyer?",
                    },
                    "help": {
                        "nl": (
                            "Bijvoorbeeld bij de Kinder- en Jongerenrechtswinkel. Daar helpen ze "
                            "jongeren gratis met vragen over hun rechten."
                        ),
                        "en": (
                            "For example at the Kinder- en Jongerenrechtswinkel (law shop for "
                            "young people). They help young people with questions about their "
                            "rights for free."
                        ),
                    },
                    "options": [],
                    "theme": "client_support",
                    "background": False,
                    "condition": None,
                },
            ],
        },
        {
            "title": {"nl": "Tot slot", "en": "Finally"},
            "intro": {
                "nl": "Bijna klaar. De open vragen mag je overslaan.",
                "en": "Almost done. You may skip the open questions.",
            },
            "questions": [
                {
                    "code": "overall_grade",
                    "kind": "grade",
                    "required": True,
                    "text": {
                        "nl": "Welk cijfer geef je de hulp?",
                        "en": "What mark do you give the help?",
                    },
                    "help": {
                        "nl": "1 is heel slecht, 10 is heel goed.",
                        "en": "1 is very bad, 10 is very good.",
                    },
                    "options": [],
                    "theme": None,
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "went_well",
                    "kind": "long_text",
                    "required": False,
                    "text": {"nl": "Wat ging er goed?", "en": "What went well?"},
                    "help": NO_NAMES_HELP,
                    "options": [],
                    "theme": None,
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "should_change",
                    "kind": "long_text",
                    "required": False,
                    "text": {"nl": "Wat moet er anders?", "en": "What should change?"},
                    "help": NO_NAMES_HELP,
                    "options": [],
                    "theme": None,
                    "background": False,
                    "condition": None,
                },
                {
                    "code": "tip_for_professionals",
                    "kind": "long_text",
                    "required": False,
                    "text": {
                        "nl": "Welke tip heb je voor de hulpverleners?",
                        "en": "What tip do you have for the care workers?",
                    },
                    "help": NO_NAMES_HELP,
                    "options": [],
                    "theme": None,
                    "background": False,
                    "condition": None,
                },
            ],
        },
    ],
}

TEMPLATES = (PARENTS, YOUNG_PEOPLE)
