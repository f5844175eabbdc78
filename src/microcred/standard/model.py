"""Typed model of a micro-credential specification and of an issued credential.

The elements follow Annex I of the Council Recommendation of 16 June 2022 on a European
approach to micro-credentials for lifelong learning and employability (2022/C 243/02).
The specification (what a provider publishes in the catalogue) is kept apart from the
credential-side elements (learner, date of issuing, grade achieved), which only exist once a
credential is issued.

The model is deliberately permissive about *values*: codes are plain strings and every element
may be absent. Whether a value is acceptable is the job of :mod:`microcred.standard.validation`,
which reports each problem as a finding with a stable code and the element's path, instead of
refusing the whole record at the first wrong value.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

#: Human-readable text in several languages: BCP 47 language tag -> text.
LangMap = dict[str, str]


class _Element(BaseModel):
    """Common configuration: unknown keys are an error, so that typos are not silently lost."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class AwardingBody(_Element):
    """An organisation that awards the micro-credential (Annex I: awarding body(ies))."""

    name: LangMap = Field(default_factory=dict, description="Legal or display name.")
    id: str | None = Field(default=None, description="URI, DID or register id of the body.")
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 code.")
    homepage: str | None = None


class LearningOutcome(_Element):
    """One learning outcome: a statement, optionally tied to an ESCO skill."""

    text: LangMap = Field(default_factory=dict)
    esco_skill: str | None = Field(default=None, description="ESCO skill or competence URI.")
    related_skills: list[str] = Field(
        default_factory=list, description="Further skill URIs (e.g. DigComp) carried along."
    )


class Workload(_Element):
    """Notional workload: ECTS wherever possible (fractions allowed), and/or hours."""

    # Infinity and NaN are refused when read (invalid-value): pydantic would otherwise turn
    # the string "1e999" into a float that no JSON document or database can hold.
    ects: float | None = Field(default=None, allow_inf_nan=False)
    hours: float | None = Field(default=None, allow_inf_nan=False)


class Level(_Element):
    """Level (and cycle) of the learning experience, where applicable."""

    eqf: int | None = Field(default=None, description="EQF level 1-8.")
    qf_ehea: str | None = Field(default=None, description="QF-EHEA cycle code.")
    national: LangMap | None = Field(default=None, description="National framework level.")
    national_uri: str | None = None


class Participation(_Element):
    """Form of participation in the learning activity."""

    mode: str | None = Field(default=None, description="Code: online, onsite or blended.")
    scheduled: bool | None = Field(
        default=None, description="True: fixed schedule; False: self-paced; None: not said."
    )


class Assessment(_Element):
    """Type of assessment, with optional free text and the grading scheme used."""

    types: list[str] = Field(default_factory=list, description="Assessment type codes.")
    title: LangMap | None = None
    description: LangMap | None = None


class QualityAssurance(_Element):
    """Type of quality assurance used to underpin the micro-credential."""

    type: str | None = Field(default=None, description="QA type code.")
    agency: str | None = Field(default=None, description="Name or id of the QA agency.")
    description: LangMap | None = None
    report_url: str | None = None


class Stackability(_Element):
    """Integration / stackability options."""

    option: str | None = Field(default=None, description="Stackability code.")
    towards: LangMap | None = Field(
        default=None, description="The credential(s) it stacks or integrates into."
    )


class MicroCredentialSpec(_Element):
    """A micro-credential as published by a provider: every Annex I element, plus catalogue data.

    Mandatory Annex I elements (validation reports them when absent): title, issuer
    country(ies), awarding body(ies), learning outcomes, notional workload, type of assessment,
    form of participation, type of quality assurance. Level is mandatory only "if applicable",
    so its absence is a warning.
    """

    id: str | None = Field(default=None, description="Provider's local identifier.")
    title: LangMap = Field(default_factory=dict)
    description: LangMap | None = None
    issuer_countries: list[str] = Field(default_factory=list, description="ISO 3166 codes.")
    issuer_regions: list[str] = Field(default_factory=list, description="Region names or codes.")
    awarding_bodies: list[AwardingBody] = Field(default_factory=list)
    learning_outcomes: list[LearningOutcome] = Field(default_factory=list)
    workload: Workload | None = None
    level: Level | None = None
    assessment: Assessment | None = None
    participation: Participation | None = None
    quality_assurance: list[QualityAssurance] = Field(default_factory=list)
    # Optional Annex I elements.
    prerequisites: LangMap | None = None
    supervision: str | None = Field(default=None, description="Supervision / ID check code.")
    grade_scheme: LangMap | None = None
    stackability: Stackability | None = None
    further_information: LangMap | None = None
    # Catalogue data beyond Annex I.
    fields_of_study: list[str] = Field(default_factory=list, description="ISCED-F 2013 codes.")
    languages: list[str] = Field(default_factory=list, description="Languages of instruction.")
    duration: str | None = Field(default=None, description="ISO 8601 duration, e.g. P1M.")
    learning_setting: str | None = Field(default=None, description="formal / non-formal.")
    url: str | None = None


class LearnerIdentification(_Element):
    """Identification of the learner (Annex I), kept minimal for privacy."""

    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    identifier: str | None = Field(default=None, description="Learner id, DID or e-mail.")
    identifier_scheme: str | None = None
    date_of_birth: date | None = None


class IssuedCredential(_Element):
    """The credential-side Annex I elements, bound to the specification they attest."""

    learner: LearnerIdentification = Field(default_factory=LearnerIdentification)
    issued_on: datetime | None = Field(default=None, description="Date of issuing.")
    grade: LangMap | None = Field(default=None, description="Grade achieved.")
    achieved_on: datetime | None = Field(
        default=None, description="Date of achievement, when it is not the date of issuing."
    )
    specification: MicroCredentialSpec = Field(default_factory=MicroCredentialSpec)
