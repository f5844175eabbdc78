"""The demonstration data that ``seed_demo`` loads: plain, fixed Python data, no Django.

Everything here is fixed (no randomness, no "today"), so every install shows the same register.
The QA agencies are real bodies with their real names, but every provider is fictional (their
web addresses use the reserved ``.example`` domain) and so is every QA result recorded here: no
real institution is shown with a decision it never received. ESCO skill URIs have the real form
(``http://data.europa.eu/esco/skill/<uuid>``) with uuids derived from the skill label, so they are
stable but do not resolve.

Dates are fixed too. :data:`DEMO_DAY` is the day the data describe: on it (and for years after)
North Sea University is quality assured, Lakeland UAS's audit has expired and Serra Polytechnic
holds a negative institutional decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

#: The day the demo data describe; tests compute QA standings on it so they never age.
DEMO_DAY = date(2026, 11, 1)

#: Where the fictional QA reports live (reserved domain: nothing real is linked).
REPORTS = "https://reports.microcred-demo.example"


@dataclass(frozen=True)
class AgencyRow:
    slug: str
    acronym: str
    name: dict[str, str]
    countries: list[str]
    website: str
    activities: list[str]
    eqar_since: date | None = None


@dataclass(frozen=True)
class ProviderRow:
    slug: str
    kind: str
    legal_name: dict[str, str]
    country: str
    city: str
    website: str
    display_name: dict[str, str] = field(default_factory=dict)
    national_id: str = ""
    erasmus_code: str = ""
    schac: str = ""
    deqar_id: str = ""
    eidas_id: str = ""


@dataclass(frozen=True)
class RelationRow:
    source: str
    target: str
    kind: str
    label: str = ""


@dataclass(frozen=True)
class ResultRow:
    agency: str  # agency slug
    local_id: str
    activity: str
    providers: list[str]
    decision: str
    valid_from: date
    valid_until: date | None
    covers_microcredentials: bool = False
    specifications: list[str] = field(default_factory=list)  # local ids of the providers' specs
    status: str = "obligatory"


AGENCIES: list[AgencyRow] = [
    AgencyRow(
        "nvao",
        "NVAO",
        {
            "en": "Accreditation Organisation of the Netherlands and Flanders",
            "nl": "Accreditatieorganisatie van Nederland en Vlaanderen",
        },
        ["NL", "BE"],
        "https://www.nvao.net",
        ["institutional", "programme", "joint-programme"],
        date(2008, 5, 7),
    ),
    AgencyRow(
        "qqi",
        "QQI",
        {
            "en": "Quality and Qualifications Ireland",
            "ga": "Dearbhú Cáilíochta agus Cáilíochtaí Éireann",
        },
        ["IE"],
        "https://www.qqi.ie",
        ["institutional", "programme", "other"],
        date(2014, 6, 4),
    ),
    AgencyRow(
        "aqas",
        "AQAS",
        {
            "en": "Agency for Quality Assurance through Accreditation of Study Programmes",
            "de": "Agentur für Qualitätssicherung durch Akkreditierung von Studiengängen",
        },
        ["DE"],
        "https://www.aqas.eu",
        ["institutional", "programme", "joint-programme"],
        date(2009, 12, 1),
    ),
    AgencyRow(
        "a3es",
        "A3ES",
        {
            "en": "Agency for Assessment and Accreditation of Higher Education",
            "pt": "Agência de Avaliação e Acreditação do Ensino Superior",
        },
        ["PT"],
        "https://www.a3es.pt",
        ["institutional", "programme"],
        date(2012, 4, 16),
    ),
    AgencyRow(
        "fineec",
        "FINEEC",
        {
            "en": "Finnish Education Evaluation Centre",
            "fi": "Kansallinen koulutuksen arviointikeskus (Karvi)",
            "sv": "Nationella centret för utbildningsutvärdering (NCU)",
        },
        ["FI"],
        "https://www.karvi.fi",
        ["institutional", "programme", "other"],
        date(2010, 3, 1),
    ),
    # Fictional, and deliberately outside EQAR: a quality label for non-formal training.
    AgencyRow(
        "dsql",
        "DSQL",
        {
            "en": "Digital Skills Quality Label Foundation",
            "nl": "Stichting Kwaliteitslabel Digitale Vaardigheden",
        },
        ["NL", "DE", "IE"],
        "https://www.dsql.example",
        ["other"],
        None,
    ),
]


PROVIDERS: list[ProviderRow] = [
    ProviderRow(
        "north-sea-university",
        "university",
        {"nl": "Noordzee Universiteit", "en": "North Sea University"},
        "NL",
        "Groningen",
        "https://www.noordzee-universiteit.example",
        national_id="BRIN 29ZX",
        erasmus_code="NL GRONING09",
        schac="noordzee-universiteit.example",
        deqar_id="DEQARINST9001",
    ),
    ProviderRow(
        "nsu-faculty-science-engineering",
        "university",
        {
            "nl": "Faculteit Natuurwetenschappen en Techniek, Noordzee Universiteit",
            "en": "Faculty of Science and Engineering, North Sea University",
        },
        "NL",
        "Groningen",
        "https://fse.noordzee-universiteit.example",
        display_name={
            "nl": "NZU Natuurwetenschappen en Techniek",
            "en": "NSU Science and Engineering",
        },
        schac="fse.noordzee-universiteit.example",
    ),
    ProviderRow(
        "delta-uas",
        "university-applied-sciences",
        {"nl": "Stichting Hogeschool Delta", "en": "Delta University of Applied Sciences"},
        "NL",
        "Utrecht",
        "https://www.hogeschool-delta.example",
        display_name={"nl": "Hogeschool Delta", "en": "Delta University of Applied Sciences"},
        national_id="BRIN 31QD",
        erasmus_code="NL UTRECHT98",
        schac="hogeschool-delta.example",
        deqar_id="DEQARINST9002",
    ),
    ProviderRow(
        "liffey-college",
        "vet-college",
        {"en": "Liffey College of Further Education", "ga": "Coláiste Breisoideachais na Life"},
        "IE",
        "Dublin",
        "https://www.liffeycollege.example",
        national_id="QQI-PRV-90417",
    ),
    ProviderRow(
        "iidmp",
        "professional-body",
        {
            "en": "Irish Institute of Digital Marketing Practitioners",
            "ga": "Institiúid Chleachtóirí Margaíochta Digití na hÉireann",
        },
        "IE",
        "Cork",
        "https://www.iidmp.example",
        display_name={"en": "IIDMP"},
        national_id="CRO 612345",
        eidas_id="IE9876543W",
    ),
    ProviderRow(
        "rhineland-south-uas",
        "university-applied-sciences",
        {
            "de": "Technische Hochschule Rheinland-Süd",
            "en": "Rhineland-South University of Applied Sciences",
        },
        "DE",
        "Koblenz",
        "https://www.th-rheinland-sued.example",
        display_name={"de": "TH Rheinland-Süd", "en": "TH Rhineland-South"},
        erasmus_code="D  KOBLENZ09",
        schac="th-rheinland-sued.example",
        deqar_id="DEQARINST9003",
    ),
    ProviderRow(
        "lernwerk",
        "platform",
        {"de": "LernWerk Digitale Bildung GmbH", "en": "LernWerk Digital Learning GmbH"},
        "DE",
        "Berlin",
        "https://www.lernwerk.example",
        display_name={"de": "LernWerk", "en": "LernWerk"},
        national_id="HRB 201234 B",
        eidas_id="DE312345678",
    ),
    ProviderRow(
        "solaris-academy",
        "company",
        {"de": "Solaris Energietechnik AG", "en": "Solaris Energietechnik AG"},
        "DE",
        "Freiburg im Breisgau",
        "https://akademie.solaris-energietechnik.example",
        display_name={"de": "Solaris Akademie", "en": "Solaris Academy"},
        national_id="HRB 709876",
        eidas_id="DE298765432",
    ),
    ProviderRow(
        "universidade-vale-mondego",
        "university",
        {"pt": "Universidade do Vale do Mondego", "en": "University of the Mondego Valley"},
        "PT",
        "Coimbra",
        "https://www.uvm.example",
        national_id="NIPC 600099999",
        erasmus_code="P  COIMBRA09",
        schac="uvm.example",
        deqar_id="DEQARINST9004",
    ),
    ProviderRow(
        "politecnico-serra",
        "university-applied-sciences",
        {"pt": "Instituto Politécnico da Serra", "en": "Serra Polytechnic Institute"},
        "PT",
        "Guarda",
        "https://www.ipserra.example",
        national_id="NIPC 600088888",
        erasmus_code="P  GUARDA09",
        schac="ipserra.example",
        deqar_id="DEQARINST9005",
    ),
    ProviderRow(
        "apid",
        "ngo",
        {
            "pt": "Associação Portuguesa para a Inclusão Digital",
            "en": "Portuguese Association for Digital Inclusion",
        },
        "PT",
        "Lisboa",
        "https://www.apid.example",
        display_name={"pt": "APID", "en": "APID"},
        national_id="NIPC 509876543",
        eidas_id="PT509876543",
    ),
    ProviderRow(
        "lakeland-uas",
        "university-applied-sciences",
        {
            "fi": "Järviseudun ammattikorkeakoulu",
            "sv": "Yrkeshögskolan Insjöregionen",
            "en": "Lakeland University of Applied Sciences",
        },
        "FI",
        "Tampere",
        "https://www.jamk-lakeland.example",
        national_id="Y-tunnus 1234567-8",
        erasmus_code="SF TAMPERE09",
        schac="jamk-lakeland.example",
        deqar_id="DEQARINST9006",
    ),
]


RELATIONS: list[RelationRow] = [
    RelationRow("nsu-faculty-science-engineering", "north-sea-university", "faculty-of"),
    RelationRow(
        "north-sea-university",
        "rhineland-south-uas",
        "alliance-partner",
        "CoastRiver European University Alliance",
    ),
    RelationRow(
        "north-sea-university",
        "universidade-vale-mondego",
        "alliance-partner",
        "CoastRiver European University Alliance",
    ),
    RelationRow("rhineland-south-uas", "lernwerk", "offered-on-platform"),
    RelationRow("apid", "lernwerk", "offered-on-platform"),
]


RESULTS: list[ResultRow] = [
    ResultRow(
        "nvao",
        "NVAO-ITK-2022-017",
        "institutional",
        ["north-sea-university", "nsu-faculty-science-engineering"],
        "positive",
        date(2022, 4, 1),
        date(2028, 3, 31),
        covers_microcredentials=True,
    ),
    ResultRow(
        "nvao",
        "NVAO-ITK-2023-044",
        "institutional",
        ["delta-uas"],
        "positive-with-conditions",
        date(2023, 9, 1),
        date(2029, 8, 31),
        covers_microcredentials=True,
    ),
    ResultRow(
        "qqi",
        "QQI-CINNTE-2021-05",
        "institutional",
        ["liffey-college"],
        "positive",
        date(2021, 6, 1),
        date(2028, 5, 31),
        covers_microcredentials=False,
    ),
    ResultRow(
        "qqi",
        "QQI-PV-2024-0311",
        "programme",
        ["liffey-college"],
        "positive",
        date(2024, 2, 1),
        date(2029, 1, 31),
        specifications=["lcfe-spa-01", "lcfe-spa-03", "lcfe-spa-04"],
    ),
    ResultRow(
        "qqi",
        "QQI-PV-2024-0412",
        "programme",
        ["liffey-college"],
        "positive-with-conditions",
        date(2024, 9, 1),
        date(2029, 8, 31),
        specifications=["lcfe-spa-06"],
    ),
    ResultRow(
        "qqi",
        "QQI-OTH-2023-009",
        "other",
        ["iidmp"],
        "not-applicable",
        date(2023, 10, 1),
        date(2027, 9, 30),
        status="voluntary",
    ),
    ResultRow(
        "aqas",
        "AQAS-SA-2020-031",
        "institutional",
        ["rhineland-south-uas"],
        "positive",
        date(2020, 10, 1),
        date(2028, 9, 30),
        covers_microcredentials=False,
    ),
    ResultRow(
        "aqas",
        "AQAS-PA-2024-207",
        "programme",
        ["rhineland-south-uas"],
        "positive",
        date(2024, 3, 1),
        date(2030, 9, 30),
        specifications=["thrs-mz-01", "thrs-mz-03", "thrs-mz-04"],
    ),
    ResultRow(
        "a3es",
        "A3ES-AINST-2022-0042",
        "institutional",
        ["universidade-vale-mondego"],
        "positive-with-conditions",
        date(2022, 7, 1),
        date(2028, 6, 30),
        covers_microcredentials=True,
    ),
    ResultRow(
        "a3es",
        "A3ES-ACEF-2024-0137",
        "programme",
        ["universidade-vale-mondego"],
        "positive",
        date(2024, 5, 1),
        date(2030, 4, 30),
        specifications=["uvm-mc-01", "uvm-mc-05"],
    ),
    ResultRow(
        "a3es",
        "A3ES-AINST-2017-0019",
        "institutional",
        ["politecnico-serra"],
        "positive",
        date(2017, 3, 1),
        date(2023, 2, 28),
        covers_microcredentials=True,
    ),
    ResultRow(
        "a3es",
        "A3ES-AINST-2023-0088",
        "institutional",
        ["politecnico-serra"],
        "negative",
        date(2023, 11, 15),
        None,
    ),
    ResultRow(
        "fineec",
        "FINEEC-AUD-2020-07",
        "institutional",
        ["lakeland-uas"],
        "positive",
        date(2020, 5, 15),
        date(2026, 5, 14),
        covers_microcredentials=True,
    ),
    ResultRow(
        "dsql",
        "DSQL-2024-0023",
        "other",
        ["solaris-academy"],
        "positive",
        date(2024, 1, 10),
        date(2028, 1, 9),
        specifications=["sol-ak-01", "sol-ak-04"],
        status="voluntary",
    ),
    ResultRow(
        "dsql",
        "DSQL-2025-0007",
        "other",
        ["lernwerk"],
        "positive",
        date(2025, 3, 1),
        date(2028, 2, 29),
        specifications=["lw-kurs-01", "lw-kurs-02", "lw-kurs-04"],
        status="voluntary",
    ),
]


def report_url(agency_slug: str, local_id: str) -> str:
    return f"{REPORTS}/{agency_slug}/{local_id}.pdf"
