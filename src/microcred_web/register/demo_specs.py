"""The demo micro-credential specifications, and how each row becomes Annex I JSON.

One row per specification holds what makes it itself (provider, local id, titles, field, level,
ECTS, mode, one specific learning outcome, an optional ESCO skill); the rest (assessment,
supervision, stackability, QA entries, grading, ...) follows from the provider's profile and the
row's position, so it varies across the catalogue but never between runs. No Django here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from microcred_web.register.demo_data import AGENCIES, PROVIDERS, RESULTS, report_url

ESCO_SKILL = "http://data.europa.eu/esco/skill/"
_ESCO_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://microcred.example/demo/esco")


@dataclass(frozen=True)
class SpecRow:
    provider: str
    local_id: str
    title: dict[str, str]
    isced: str
    eqf: int
    ects: float | None
    mode: str  # online | onsite | blended
    outcome: str
    skill: str | None = None  # an ESCO-like skill label; its URI is derived from it
    status: str = "published"  # published | draft | withdrawn
    languages: tuple[str, ...] = ()  # empty: the provider's usual languages
    hours: float | None = None


@dataclass(frozen=True)
class Profile:
    """What a provider's specifications share."""

    languages: tuple[str, ...]
    setting: str  # formal | non-formal
    qa: tuple[tuple[str, str | None], ...]  # (QA type, agency acronym) besides named programmes
    grading: dict[str, str]
    stacks_towards: dict[str, str] | None = None
    higher_education: bool = False
    national_level: str | None = None  # e.g. "NFQ Level {nfq}" for Irish FET awards
    awarded_by: str | None = None  # a faculty's awards are made by its university
    hours: bool = False  # also state the workload in hours


_NL_GRADES = {"en": "Dutch 1-10 scale; 5.5 or more to pass", "nl": "Schaal 1-10; 5,5 is voldoende"}
_PT_GRADES = {"en": "0-20 scale; 10 or more to pass", "pt": "Escala de 0 a 20; aprovação com 10"}
_DE_GRADES = {"en": "German 1.0-5.0 scale; 4.0 or better to pass", "de": "Noten 1,0-5,0"}
_PASS_FAIL = {"en": "Pass / fail"}

PROFILES: dict[str, Profile] = {
    "north-sea-university": Profile(
        ("nl", "en"),
        "formal",
        (("internal", None), ("external-institutional", "NVAO")),
        _NL_GRADES,
        {
            "en": "MSc programmes of North Sea University (elective space, 15 ECTS)",
            "nl": "Masteropleidingen van de Noordzee Universiteit (keuzeruimte, 15 EC)",
        },
        higher_education=True,
    ),
    "nsu-faculty-science-engineering": Profile(
        ("en",),
        "formal",
        (("internal", None), ("external-institutional", "NVAO")),
        _NL_GRADES,
        {"en": "MSc Energy and Environmental Sciences (elective space)"},
        higher_education=True,
        awarded_by="north-sea-university",
    ),
    "delta-uas": Profile(
        ("nl",),
        "formal",
        (("internal", None), ("external-institutional", "NVAO")),
        _NL_GRADES,
        {
            "en": "Associate degree and bachelor programmes of Hogeschool Delta",
            "nl": "Ad- en bacheloropleidingen van Hogeschool Delta",
        },
        higher_education=True,
    ),
    "liffey-college": Profile(
        ("en",),
        "formal",
        (("internal", None),),
        {"en": "Distinction / Merit / Pass / Unsuccessful"},
        {"en": "QQI Level 5 and 6 Major Awards"},
        national_level="NFQ Level {nfq}",
        hours=True,
    ),
    "iidmp": Profile(
        ("en",),
        "non-formal",
        (("internal", None),),
        _PASS_FAIL,
        {"en": "IIDMP Professional Diploma in Digital Marketing"},
        hours=True,
    ),
    "rhineland-south-uas": Profile(
        ("de", "en"),
        "formal",
        (("internal", None), ("external-institutional", "AQAS")),
        _DE_GRADES,
        {
            "en": "Bachelor programmes in engineering (recognised as electives)",
            "de": "Ingenieurwissenschaftliche Bachelorstudiengänge (Wahlpflicht)",
        },
        higher_education=True,
    ),
    "lernwerk": Profile(("de", "en"), "non-formal", (("internal", None),), _PASS_FAIL, hours=True),
    "solaris-academy": Profile(
        ("de",), "non-formal", (("internal", None),), _PASS_FAIL, hours=True
    ),
    "universidade-vale-mondego": Profile(
        ("pt", "en"),
        "formal",
        (("internal", None), ("external-institutional", "A3ES")),
        _PT_GRADES,
        {
            "en": "Master programmes of the University of the Mondego Valley",
            "pt": "Mestrados da Universidade do Vale do Mondego",
        },
        higher_education=True,
    ),
    "politecnico-serra": Profile(
        ("pt",),
        "formal",
        (("internal", None),),
        _PT_GRADES,
        {"en": "CTeSP short-cycle programmes", "pt": "Cursos Técnicos Superiores Profissionais"},
        higher_education=True,
    ),
    "apid": Profile(("pt",), "non-formal", (("internal", None),), _PASS_FAIL, hours=True),
    "lakeland-uas": Profile(
        ("fi", "en"),
        "formal",
        (("internal", None), ("external-institutional", "FINEEC")),
        {"en": "0-5 scale; 1 or more to pass", "fi": "Arviointiasteikko 0-5"},
        {
            "en": "Bachelor and master degrees of Lakeland UAS (open UAS studies)",
            "fi": "Järviseudun AMK:n tutkinnot (avoin AMK)",
        },
        higher_education=True,
    ),
}


#: One block per specification. Head line: local id, provider, ISCED-F code, EQF level, ECTS
#: ("-": hours only), mode, then optional ``status=``, ``languages=`` (comma-separated) and
#: ``hours=``. Indented lines: the title per language (``en: ...``), ``outcome:`` (the
#: specification's own learning outcome) and ``esco:`` (the label its ESCO-like URI comes from).
_TABLE = """
# north-sea-university
nsu-mc-001 north-sea-university 0542 7 5 blended
  en: Data Visualisation for Policy Analysis
  nl: Datavisualisatie voor beleidsanalyse
  outcome: Design clear and honest charts and dashboards that support a policy decision
  esco: create data visualisations
nsu-mc-002 north-sea-university 0713 7 6 onsite
  en: Offshore Wind Energy Systems
  nl: Offshore windenergiesystemen
  outcome: Assess the yield, grid connection and maintenance needs of an offshore wind farm
  esco: wind turbine technology
nsu-mc-003 north-sea-university 0521 6 5 blended
  en: Climate Adaptation in Delta Regions
  nl: Klimaatadaptatie in deltagebieden
  outcome: Compare climate adaptation strategies for low-lying delta cities and their trade-offs
nsu-mc-004 north-sea-university 0231 6 3 onsite languages=nl
  en: Dutch for Academic Purposes (B2)
  nl: Nederlands voor academische doeleinden (B2)
  outcome: Write and present an academic argument in Dutch at CEFR level B2
  esco: Dutch
nsu-mc-005 north-sea-university 0613 6 4 online
  en: Introduction to Machine Learning
  nl: Inleiding machine learning
  outcome: Train, evaluate and explain a supervised machine-learning model on tabular data
  esco: machine learning
nsu-mc-006 north-sea-university 0413 7 7.5 blended status=draft
  en: Sustainable Supply Chain Management
  nl: Duurzaam ketenbeheer
  outcome: Map the environmental and social risks of a supply chain and propose mitigations
# nsu-faculty-science-engineering
fse-mc-101 nsu-faculty-science-engineering 0688 8 2.5 online
  en: Research Data Management for Doctoral Candidates
  nl: Onderzoeksdatamanagement voor promovendi
  outcome: Write a FAIR data management plan for a doctoral research project
  esco: manage research data
fse-mc-102 nsu-faculty-science-engineering 0711 7 5 onsite
  en: Hydrogen Production and Storage
  nl: Waterstofproductie en -opslag
  outcome: Calculate the efficiency and cost of electrolysis and storage options for green hydrogen
fse-mc-103 nsu-faculty-science-engineering 0533 7 6 blended
  en: Quantum Computing Fundamentals
  nl: Grondslagen van quantumcomputing
  outcome: Describe qubits, gates and simple quantum algorithms and run them on a simulator
fse-mc-104 nsu-faculty-science-engineering 0613 6 3 online
  en: Scientific Programming with Python
  nl: Wetenschappelijk programmeren met Python
  outcome: Write tested, documented Python code to analyse experimental data
  esco: Python
fse-mc-105 nsu-faculty-science-engineering 0722 7 4 blended
  en: Life Cycle Assessment of Materials
  nl: Levenscyclusanalyse van materialen
  outcome: Carry out a life cycle assessment of a product following ISO 14040
  esco: perform life cycle assessment
# delta-uas
delta-mc-01 delta-uas 0913 6 5 blended
  en: Healthcare Technology in Home Care
  nl: Zorgtechnologie in de thuiszorg
  outcome: Select and introduce assistive technology that fits a client's care plan at home
delta-mc-02 delta-uas 0732 6 7.5 blended
  en: Circular Construction
  nl: Circulair bouwen
  outcome: Design a building detail for disassembly and reuse of materials
  esco: apply circular economy principles
delta-mc-03 delta-uas 0414 6 3 online languages=nl,en
  en: Digital Marketing Analytics
  nl: Digitale marketinganalyse
  outcome: Measure campaign performance with web analytics and recommend improvements
  esco: use web analytics
delta-mc-04 delta-uas 0114 6 10 blended
  en: Teaching Dutch as a Second Language
  nl: Nederlands als tweede taal onderwijzen
  outcome: Plan and teach a lesson for adult learners of Dutch as a second language
delta-mc-05 delta-uas 0612 5 4 online
  en: Cybersecurity for SMEs
  nl: Cybersecurity voor het mkb
  outcome: Perform a basic cyber risk assessment for a small business and advise on measures
  esco: cyber security risk assessment
delta-mc-06 delta-uas 1041 6 5 onsite status=withdrawn
  en: Logistics Automation
  nl: Automatisering in de logistiek
  outcome: Evaluate the business case for automating a warehouse process
# liffey-college
lcfe-spa-01 liffey-college 0713 4 10 onsite
  en: Solar PV Installation
  ga: Suiteáil Fótavoltach Gréine
  outcome: Install, test and commission a domestic solar photovoltaic system safely
  esco: install photovoltaic systems
lcfe-spa-02 liffey-college 0922 4 7.5 blended
  en: Early Childhood Care: Child Development
  ga: Cúram agus Oideachas Luath-Óige: Forbairt Linbh
  outcome: Observe and record the development of children aged 0-6 using recognised frameworks
lcfe-spa-03 liffey-college 0611 4 5 online
  en: Digital Skills for the Workplace
  ga: Scileanna Digiteacha don Ionad Oibre
  outcome: Use office, collaboration and cloud tools securely in day-to-day work
  esco: use digital tools for collaboration
lcfe-spa-04 liffey-college 0732 5 10 blended
  en: Retrofit Coordination for Homes
  ga: Comhordú Iarfheistithe do Thithe
  outcome: Coordinate a deep energy retrofit of a dwelling from survey to handover
lcfe-spa-05 liffey-college 1013 4 2.5 onsite
  en: Barista and Coffee Service
  ga: Seirbhís Caife agus Barista
  outcome: Prepare espresso-based drinks to a consistent standard while following food hygiene rules
  esco: prepare coffee specialities
lcfe-spa-06 liffey-college 0921 4 7.5 blended
  en: Care of Older People
  ga: Cúram Daoine Scothaosta
  outcome: Support an older person's daily living with dignity and in line with their care plan
# iidmp
iidmp-cpd-01 iidmp 0414 5 3 online
  en: Search Engine Optimisation Practitioner
  outcome: Audit a website for search engine optimisation and prioritise the fixes
  esco: search engine optimisation
iidmp-cpd-02 iidmp 0414 6 5 online
  en: Social Media Strategy
  ga: Straitéis na Meán Sóisialta
  outcome: Build a social media strategy with goals, audiences, content plan and metrics
iidmp-cpd-03 iidmp 0421 5 2 online
  en: Marketing, Data Protection and the GDPR
  outcome: Judge whether a marketing activity has a lawful basis under the GDPR
iidmp-cpd-04 iidmp 0321 5 3 blended
  en: Content Design and Copywriting
  outcome: Write web content that meets user needs and plain-language guidelines
  esco: write copy
iidmp-cpd-05 iidmp 0416 6 - online hours=60
  en: E-commerce Management
  outcome: Run the day-to-day operations of an online shop, from catalogue to returns
# rhineland-south-uas
thrs-mz-01 rhineland-south-uas 0714 6 5 onsite
  en: Industrial Robotics Programming
  de: Programmierung von Industrierobotern
  outcome: Program an industrial robot cell for a pick-and-place task, safely
  esco: program industrial robots
thrs-mz-02 rhineland-south-uas 0732 6 6 blended
  en: Building Information Modelling in Practice
  de: Building Information Modeling (BIM) in der Praxis
  outcome: Model and coordinate a building project in an open BIM workflow (IFC)
  esco: use building information modelling
thrs-mz-03 rhineland-south-uas 0688 7 5 online
  en: Applied Artificial Intelligence for Engineers
  de: Angewandte Künstliche Intelligenz für Ingenieurinnen und Ingenieure
  outcome: Apply machine-learning methods to sensor data from an engineering process
  esco: machine learning
thrs-mz-04 rhineland-south-uas 0713 6 4 blended
  en: Heat Pump Technology
  de: Wärmepumpentechnik
  outcome: Size and select a heat pump system for a residential building
thrs-mz-05 rhineland-south-uas 0788 6 5 online
  en: Quality Management in Production
  de: Qualitätsmanagement in der Produktion
  outcome: Apply statistical process control and root-cause analysis to a production line
  esco: quality management
thrs-mz-06 rhineland-south-uas 0231 5 3 blended languages=de
  en: German for Engineers (B1)
  de: Deutsch für Ingenieure (B1)
  outcome: Communicate about technical work in German at CEFR level B1
  esco: German
# lernwerk
lw-kurs-01 lernwerk 0612 5 2 online
  en: Cloud Fundamentals
  de: Cloud-Grundlagen
  outcome: Explain cloud service models and deploy a simple web application to the cloud
  esco: cloud technologies
lw-kurs-02 lernwerk 0413 5 3 online
  en: Agile Project Management with Scrum
  de: Agiles Projektmanagement mit Scrum
  outcome: Run Scrum events and keep a product backlog for a small team
  esco: agile project management
lw-kurs-03 lernwerk 0688 4 1 online
  en: Data Literacy
  de: Datenkompetenz
  outcome: Read, question and explain everyday statistics and charts correctly
lw-kurs-04 lernwerk 0212 5 2.5 online
  en: UX Design Basics
  de: Grundlagen des UX-Designs
  outcome: Run a usability test and turn its findings into design changes
  esco: user experience design
lw-kurs-05 lernwerk 0613 5 1.5 online status=draft
  en: Accessibility of Digital Services
  de: Barrierefreiheit digitaler Angebote
  outcome: Check a web page against WCAG 2.2 level AA and report the barriers
lw-kurs-06 lernwerk 0417 4 1 online
  en: Generative AI at Work
  de: Generative KI im Arbeitsalltag
  outcome: Use generative AI tools responsibly for everyday writing and research tasks
# solaris-academy
sol-ak-01 solaris-academy 0713 5 3 blended
  en: Photovoltaic System Design
  de: Planung von Photovoltaikanlagen
  outcome: Design a rooftop photovoltaic system and estimate its annual yield
  esco: design photovoltaic systems
sol-ak-02 solaris-academy 1022 4 1.5 onsite
  en: Battery Storage Safety
  de: Sicherheit von Batteriespeichern
  outcome: Install and inspect stationary battery storage in line with safety rules
sol-ak-03 solaris-academy 0713 4 4 onsite
  de: Elektrofachkraft für festgelegte Tätigkeiten (Photovoltaik)
  outcome: Carry out defined electrical work on photovoltaic systems under the applicable rules
sol-ak-04 solaris-academy 0713 5 5 blended
  en: Energy Auditing for Buildings
  de: Energieaudits für Gebäude
  outcome: Conduct an energy audit of a non-residential building and rank saving measures
  esco: perform energy audits
sol-ak-05 solaris-academy 0713 6 3 online
  en: Grid Integration of Renewables
  de: Netzintegration erneuerbarer Energien
  outcome: Explain grid codes and plan the connection of a renewable plant to the grid
# universidade-vale-mondego
uvm-mc-01 universidade-vale-mondego 0988 7 6 blended
  en: Public Health Data Analysis
  pt: Análise de Dados em Saúde Pública
  outcome: Analyse routine health data to describe and compare the health of populations
  esco: analyse health data
uvm-mc-02 universidade-vale-mondego 0811 6 5 onsite
  en: Sustainable Viticulture
  pt: Viticultura Sustentável
  outcome: Plan vineyard management that reduces water and pesticide use
uvm-mc-03 universidade-vale-mondego 0231 5 4 onsite languages=pt
  en: Portuguese as a Foreign Language (A2)
  pt: Português Língua Estrangeira (A2)
  outcome: Take part in everyday conversations in Portuguese at CEFR level A2
  esco: Portuguese
uvm-mc-04 universidade-vale-mondego 0288 7 5 online
  en: Digital Humanities Methods
  pt: Métodos em Humanidades Digitais
  outcome: Apply text mining and mapping methods to a humanities research question
uvm-mc-05 universidade-vale-mondego 0821 7 6 blended
  en: Forest Fire Risk Management
  pt: Gestão do Risco de Incêndio Florestal
  outcome: Assess wildfire risk in a landscape and propose prevention measures
  esco: forest fire prevention
uvm-mc-06 universidade-vale-mondego 0522 6 4 blended
  en: Blue Economy and Marine Resources
  pt: Economia Azul e Recursos Marinhos
  outcome: Evaluate the sustainability of a marine economic activity
uvm-mc-07 universidade-vale-mondego 0916 7 3 online
  en: Clinical Pharmacology Update
  pt: Atualização em Farmacologia Clínica
  outcome: Apply current evidence on drug interactions to prescribing decisions
# politecnico-serra
ips-mc-01 politecnico-serra 1015 5 6 blended
  en: Mountain Tourism Management
  pt: Gestão do Turismo de Montanha
  outcome: Develop a sustainable tourism product for a mountain destination
ips-mc-02 politecnico-serra 0721 5 5 onsite
  en: Agri-food Quality Control
  pt: Controlo de Qualidade Agroalimentar
  outcome: Apply HACCP principles to a food production process
  esco: apply HACCP
ips-mc-03 politecnico-serra 1014 6 4 onsite
  en: Sports Coaching Fundamentals
  pt: Fundamentos de Treino Desportivo
  outcome: Plan and lead a safe training session for a youth sports team
ips-mc-04 politecnico-serra 0411 5 3 online
  en: Accounting for Small Businesses
  pt: Contabilidade para Pequenas Empresas
  outcome: Keep the accounts of a small business and prepare its annual statements
  esco: bookkeeping
# apid
apid-fc-01 apid 0923 4 3 blended
  en: Digital Inclusion Facilitator
  pt: Facilitador/a de Inclusão Digital
  outcome: Support adults with low digital skills to use essential online public services
apid-fc-02 apid 0111 4 2 onsite
  en: Online Safety for Seniors: Trainer Course
  pt: Segurança Online para Seniores: Curso de Formadores
  outcome: Run a workshop that helps older adults recognise and avoid online scams
apid-fc-03 apid 0611 4 1 online status=draft
  en: Accessible Document Design
  pt: Conceção de Documentos Acessíveis
  outcome: Produce accessible documents and PDFs that work with screen readers
apid-fc-04 apid 0413 5 2 blended
  en: Volunteer Management
  pt: Gestão de Voluntariado
  outcome: Recruit, train and retain volunteers for a community project
# lakeland-uas
lamk-mc-01 lakeland-uas 0821 6 5 blended
  en: Bioeconomy and Forest-based Products
  fi: Biotalous ja metsäpohjaiset tuotteet
  sv: Bioekonomi och skogsbaserade produkter
  outcome: Evaluate the value chain of a forest-based product from raw material to market
lamk-mc-02 lakeland-uas 0913 7 10 blended
  en: Nursing Leadership in Elderly Care
  fi: Hoitotyön johtaminen vanhustenhoidossa
  sv: Ledarskap inom äldreomsorgen
  outcome: Lead a nursing team in elderly care using evidence-based management
  esco: lead nursing teams
lamk-mc-03 lakeland-uas 0613 6 5 online
  en: Game Development with Unity
  fi: Pelinkehitys Unitylla
  sv: Spelutveckling med Unity
  outcome: Build and publish a small 3D game with the Unity engine
  esco: develop video games
lamk-mc-04 lakeland-uas 0231 5 3 online languages=fi
  en: Finnish for Working Life (A2)
  fi: Suomea työelämään (A2)
  sv: Finska för arbetslivet (A2)
  outcome: Manage routine conversations at work in Finnish at CEFR level A2
  esco: Finnish
lamk-mc-05 lakeland-uas 0413 6 30 blended
  en: Circular Economy Business Models
  fi: Kiertotalouden liiketoimintamallit
  sv: Affärsmodeller för cirkulär ekonomi
  outcome: Develop and test a circular business model with a partner company
  esco: apply circular economy principles
lamk-mc-06 lakeland-uas 1022 6 2.5 online
  en: Wellbeing at Work
  fi: Työhyvinvointi
  sv: Välbefinnande i arbetet
  outcome: Identify psychosocial risks at work and plan measures to improve wellbeing
"""


def _parse_table(text: str) -> list[SpecRow]:
    rows: list[SpecRow] = []
    head: list[str] | None = None
    lines: dict[str, str] = {}

    def flush() -> None:
        if head is None:
            return
        local_id, provider, isced, eqf, ects, mode, *options = head
        opts = dict(option.split("=", 1) for option in options)
        titles = {k: v for k, v in lines.items() if k not in ("outcome", "esco")}
        rows.append(
            SpecRow(
                provider=provider,
                local_id=local_id,
                title=titles,
                isced=isced,
                eqf=int(eqf),
                ects=None if ects == "-" else float(ects),
                mode=mode,
                outcome=lines["outcome"],
                skill=lines.get("esco"),
                status=opts.get("status", "published"),
                languages=tuple(opts["languages"].split(",")) if "languages" in opts else (),
                hours=float(opts["hours"]) if "hours" in opts else None,
            )
        )

    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith(" "):
            key, _, value = line.strip().partition(": ")
            lines[key] = value
            continue
        flush()
        head, lines = line.split(), {}
    flush()
    return rows


SPECS: list[SpecRow] = _parse_table(_TABLE)

#: Joint awards: (provider, local id) -> the co-awarding provider.
JOINT_AWARDS = {("north-sea-university", "nsu-mc-003"): "universidade-vale-mondego"}

# Assessment, by mode, cycled by position so the catalogue shows variety.
_ASSESSMENTS = {
    "online": [
        ["online-test", "project"],
        ["essay"],
        ["online-test"],
        ["portfolio", "peer-assessment"],
    ],
    "onsite": [
        ["practical-demonstration"],
        ["written-exam", "practical-demonstration"],
        ["oral-exam"],
        ["work-based-assessment"],
    ],
    "blended": [
        ["project", "presentation"],
        ["portfolio"],
        ["essay", "continuous-assessment"],
        ["project"],
    ],
}
_SECOND_OUTCOME = {
    "online-test": "Answer questions on the core concepts and terminology of the subject unaided",
    "project": "Plan and complete a small applied project and document its results",
    "essay": "Write a well-argued report that uses and cites relevant sources",
    "portfolio": "Compile a portfolio of work that shows progress against the outcomes",
    "practical-demonstration": "Carry out the main procedures correctly and safely in practice",
    "written-exam": "Explain the underlying principles and solve typical problems in writing",
    "oral-exam": "Explain and defend choices made in a professional conversation",
    "work-based-assessment": "Apply what was learned to a real task in the workplace",
}
_MODE_PHRASE = {"online": "fully online", "onsite": "on site", "blended": "in blended form"}
_QF_EHEA = {5: "short", 6: "first", 7: "second", 8: "third"}


def _supervision(types: list[str], mode: str) -> str:
    if "online-test" in types:
        return "supervised-online-id"
    if "written-exam" in types or "oral-exam" in types:
        return "supervised-onsite-id" if mode != "online" else "supervised-online-id"
    if "practical-demonstration" in types or "work-based-assessment" in types:
        return "supervised-no-id"
    return "unsupervised-no-id"


def esco_uri(label: str) -> str:
    return ESCO_SKILL + str(uuid.uuid5(_ESCO_NAMESPACE, label))


def _programme_reviews() -> dict[tuple[str, str], tuple[str, str, str]]:
    """(provider, spec local id) -> (QA type, agency acronym, report URL) for named specs."""
    acronyms = {a.slug: a.acronym for a in AGENCIES}
    named: dict[tuple[str, str], tuple[str, str, str]] = {}
    for result in RESULTS:
        qa_type = "external-programme" if result.activity == "programme" else "external-other"
        for local_id in result.specifications:
            for provider in result.providers:
                named[(provider, local_id)] = (
                    qa_type,
                    acronyms[result.agency],
                    report_url(result.agency, result.local_id),
                )
    return named


def _institutional_report(provider: str, acronym: str) -> str | None:
    slugs = {a.acronym: a.slug for a in AGENCIES}
    for result in RESULTS:
        if (
            result.activity == "institutional"
            and provider in result.providers
            and slugs[acronym] == result.agency
            and result.covers_microcredentials
        ):
            return report_url(result.agency, result.local_id)
    return None


def spec_data(row: SpecRow, position: int) -> dict[str, Any]:
    """The Annex I JSON for one row (``position`` only varies assessment and options)."""
    providers = {p.slug: p for p in PROVIDERS}
    provider = providers[row.provider]
    profile = PROFILES[row.provider]
    awarder = providers[profile.awarded_by or row.provider]
    bodies = [awarder]
    if (row.provider, row.local_id) in JOINT_AWARDS:
        bodies.append(providers[JOINT_AWARDS[(row.provider, row.local_id)]])
    types = _ASSESSMENTS[row.mode][position % len(_ASSESSMENTS[row.mode])]
    outcomes: list[dict[str, Any]] = [{"text": {"en": row.outcome}}]
    if row.skill:
        outcomes[0]["esco_skill"] = esco_uri(row.skill)
    outcomes.append({"text": {"en": _SECOND_OUTCOME.get(types[0], _SECOND_OUTCOME["project"])}})
    if (row.ects or 0) >= 10:
        outcomes.append(
            {
                "text": {
                    "en": "Reflect on their own professional practice in the field "
                    "and plan further development"
                }
            }
        )
    title_en = row.title.get("en") or next(iter(row.title.values()))
    workload: dict[str, float] = {}
    if row.ects is not None:
        workload["ects"] = row.ects
    hours = row.hours or (row.ects * 28 if profile.hours and row.ects else None)
    if hours:
        workload["hours"] = hours
    level: dict[str, Any] = {"eqf": row.eqf}
    if profile.higher_education and row.eqf in _QF_EHEA:
        level["qf_ehea"] = _QF_EHEA[row.eqf]
    if profile.national_level:
        level["national"] = {"en": profile.national_level.format(nfq=row.eqf + 1)}
    qa: list[dict[str, Any]] = []
    for qa_type, acronym in profile.qa:
        entry: dict[str, Any] = {"type": qa_type}
        if acronym:
            entry["agency"] = acronym
            url = _institutional_report(
                row.provider if not profile.awarded_by else profile.awarded_by, acronym
            )
            if url:
                entry["report_url"] = url
        qa.append(entry)
    named = _programme_reviews().get((row.provider, row.local_id))
    if named:
        qa.append({"type": named[0], "agency": named[1], "report_url": named[2]})
    ects_text = f"{row.ects:g} ECTS" if row.ects is not None else f"{hours:g} hours"
    data: dict[str, Any] = {
        "id": row.local_id,
        "title": row.title,
        "description": {
            "en": f"{title_en}: a micro-credential of {ects_text} at EQF level {row.eqf}, "
            f"offered {_MODE_PHRASE[row.mode]} by {provider.legal_name.get('en')}."
        },
        "issuer_countries": sorted({b.country for b in bodies}),
        "awarding_bodies": [_body(b) for b in bodies],
        "learning_outcomes": outcomes,
        "workload": workload,
        "level": level,
        "assessment": {"types": types},
        "participation": {
            "mode": row.mode,
            "scheduled": profile.setting == "formal" or row.mode != "online",
        },
        "quality_assurance": qa,
        "supervision": _supervision(types, row.mode),
        "grade_scheme": profile.grading,
        "fields_of_study": [row.isced],
        "languages": list(row.languages or profile.languages),
        "duration": f"P{max(2, round((row.ects or (hours or 28) / 28) * 1.5))}W",
        "learning_setting": profile.setting,
        "url": f"{provider.website}/micro-credentials/{row.local_id}",
    }
    if profile.stacks_towards and position % 3 != 2:
        data["stackability"] = {"option": "stackable", "towards": profile.stacks_towards}
    else:
        data["stackability"] = {"option": "standalone"}
    if row.eqf >= 8:
        data["prerequisites"] = {"en": "Enrolment as a doctoral candidate"}
    elif row.eqf == 7:
        data["prerequisites"] = {
            "en": "A bachelor's degree in a related field, or equivalent professional experience"
        }
    return data


def _body(provider: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": provider.legal_name,
        "country": provider.country,
        "homepage": provider.website,
    }
    if provider.schac:
        body["id"] = f"urn:schac:homeOrganization:{provider.schac}"
    return body


def invalid_specs() -> list[tuple[str, dict[str, Any]]]:
    """Two drafts with errors, kept to show stored findings; never in the catalogue."""
    robotics = spec_data(
        SpecRow(
            "delta-uas",
            "delta-mc-90",
            {"en": "Advanced Robotics Lab", "nl": "Geavanceerd robotica-lab"},
            "0714",
            6,
            5,
            "onsite",
            "Program a collaborative robot for an assembly task",
        ),
        0,
    )
    robotics["level"] = {"eqf": 6, "qf_ehea": "second"}  # level-cycle-mismatch
    robotics["fields_of_study"] = ["0799"]  # unknown-code
    python = spec_data(
        SpecRow(
            "lernwerk",
            "lw-kurs-90",
            {"en": "Python Crash Course", "de": "Python-Crashkurs"},
            "0613",
            4,
            1,
            "online",
            "Write small Python scripts",
        ),
        0,
    )
    python["learning_outcomes"] = []  # missing-element
    python["workload"] = {"ects": 0}  # workload-not-positive
    return [("delta-uas", robotics), ("lernwerk", python)]
