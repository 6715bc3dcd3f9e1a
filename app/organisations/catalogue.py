"""Legal forms and the areas of public benefit (art. 4 ust. 1 of the Act of 24 April 2003)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LEGAL_FORMS = {
    "association": _l("association (stowarzyszenie)"),
    "foundation": _l("foundation (fundacja)"),
    "ordinary_association": _l("ordinary association (stowarzyszenie zwykłe)"),
    "social_cooperative": _l("social cooperative (spółdzielnia socjalna)"),
    "rural_housewives_circle": _l("rural housewives' circle (koło gospodyń wiejskich)"),
    "student_sports_club": _l("student sports club (uczniowski klub sportowy)"),
    "church_legal_person": _l("church legal person (kościelna osoba prawna)"),
    "other": _l("other entity of art. 3 sec. 3"),
}

# The numbered list of art. 4 ust. 1 — codes as the Act numbers them.
PUBLIC_BENEFIT_AREAS = {
    "1": _l("social assistance"),
    "1a": _l("support for families and foster care"),
    "1b": _l("free legal aid and legal awareness"),
    "2": _l("social and vocational integration of people at risk of exclusion"),
    "3": _l("charity"),
    "4": _l("national tradition, civic and cultural awareness"),
    "5": _l("national and ethnic minorities, regional language"),
    "6": _l("health protection and promotion"),
    "7": _l("people with disabilities"),
    "8": _l("employment and vocational activation"),
    "9": _l("equal rights of women and men"),
    "10": _l("people of retirement age"),
    "11": _l("economic development and entrepreneurship"),
    "12": _l("technology, invention and innovation"),
    "13": _l("development of local communities"),
    "14": _l("science, higher education, education and upbringing"),
    "15": _l("children and youth, recreation"),
    "16": _l("culture, art, cultural goods and heritage"),
    "17": _l("physical culture"),
    "18": _l("ecology, animal protection and natural heritage"),
    "19": _l("tourism and sightseeing"),
    "20": _l("public order and safety"),
    "21": _l("national defence"),
    "22": _l("freedoms and human rights, development of democracy"),
    "23": _l("rescue and civil protection"),
    "24": _l("help for victims of disasters, calamities and conflicts"),
    "25": _l("consumer rights"),
    "26": _l("European integration and cooperation between societies"),
    "27": _l("volunteering"),
    "28": _l("help for the Polish diaspora and Poles abroad"),
    "29": _l("veterans and persons subjected to repression"),
    "30": _l("promotion of the Republic of Poland abroad"),
    "31": _l("family, motherhood, parenthood and children's rights"),
    "32": _l("prevention of addictions and social pathologies"),
    "32a": _l("revitalisation"),
    "33": _l("support for non-governmental organisations (within points 1–32a)"),
}


def area_label(code: str) -> str:
    label = PUBLIC_BENEFIT_AREAS.get(code)
    return f"{code}. {label}" if label else code


def legal_form_label(form: str) -> str:
    return str(LEGAL_FORMS.get(form, form))


MEMBER_ROLES = {
    "representative": _l("representative"),
    "editor": _l("editor"),
}


def member_role_label(role: str) -> str:
    return str(MEMBER_ROLES.get(role, role))


STATUS_LABELS = {
    "requested": _l("asked to be registered"),
    "invited": _l("invited by the office"),
    "active": _l("active"),
    "archived": _l("archived"),
    "declined": _l("declined"),
}

# A request to act for an organisation (OrganisationClaim, a city's ClaimReview).
CLAIM_STATUS_LABELS = {
    "pending": _l("awaiting a decision"),
    "accepted": _l("accepted"),
    "refused": _l("refused"),
}
