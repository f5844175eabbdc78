"""Reading micro-credentials out of European Learning Model v3 / EDC credentials.

Europass Digital Credentials (EDC) are the EU's own carrier for Annex I, so a learner or provider
holding one should be able to bring it into microcred without retyping it. This package reads the
compact JSON-LD *as published* (context ``http://data.europa.eu/snb/model/context/edc-ap``): no
JSON-LD processing, no network, because an EDC credential always uses the same compact terms and
a verifier must give the same answer offline. It also opens the sealed (JAdES, ``b64: false``)
envelope ``{"payload": "...", "signatures": [...]}`` that EDC produces; the seal itself is not
checked here (that belongs to verification).

ELM gives a single object where a list is allowed, plain strings where objects are expected, and
leaves out almost anything; every read in this package accepts all of these, so a missing part
gives an absent element (reported later by validation), never a crash. Only structural faults raise
:class:`ElmError`: not an EDC credential, no ``credentialSubject``, no ``hasClaim``, no
LearningAchievement, a date that is not ISO 8601.

Mapping (``claim`` is each ``credentialSubject.hasClaim`` of type LearningAchievement, ``spec``
its ``specifiedBy`` — a Qualification or LearningAchievementSpecification)::

    spec.identifier.notation | spec.id          -> id
    spec.title | claim.title                     -> title
    spec.description | claim.description         -> description
    awardingBody.location.address.countryCode    -> issuer_countries (alpha-2 via the vocab's
                                                    alpha3 URIs; issuer's when bodies give none)
    awardingBody.location.spatialCode            -> issuer_regions (the ATU URI, a code)
    claim.awardedBy.awardingBody                 -> awarding_bodies (legalName, id,
                                                    location country | registration.spatial,
                                                    homepage.contentURL)
    spec.learningOutcome                         -> learning_outcomes (title; first
                                                    relatedESCOSkill -> esco_skill; further
                                                    ESCO + relatedSkill -> related_skills)
    spec.creditPoint (ECTS framework).point      -> workload.ects
    spec.volumeOfLearning (ISO 8601)             -> workload.hours
    spec.eqfLevel / nqfLevel                     -> level.eqf / level.national(+_uri)
    nqfLevel | educationLevel in QF-EHEA vocab   -> level.qf_ehea
    claim.provenBy[.specifiedBy] (+ spec.provenBy)
        dcType                                   -> assessment.types
        title / description                      -> assessment.title / .description
        idVerification                           -> supervision
        gradingScheme title: description         -> grade_scheme
        grade.noteLiteral                        -> IssuedCredential.grade
    spec.mode (else influencedBy activity mode)  -> participation.mode
    Accreditation (evidence, spec, awarding body)-> quality_assurance
    spec.entryRequirement                        -> prerequisites
    spec.isPartialQualification / isPartOf       -> stackability (standalone / stackable)
    spec.additionalNote, supplementaryDocument   -> further_information
    spec.thematicArea (+ ISCED-F educationSubject)-> fields_of_study
    spec.language                                -> languages (ISO 639-1)
    spec.maximumDuration                         -> duration
    spec.learningSetting label "x learning"      -> learning_setting "x"
    spec.homepage (first)                        -> url
    credentialSubject fullName/givenName/familyName ('en' or first), nationalID.notation
        (scheme "national-id:<ALPHA3>"), dateOfBirth -> learner
    issued | issuanceDate | validFrom | awardedBy.awardingDate -> issued_on

Choices where ELM and the model do not meet, so that nothing the credential says is lost:

- An assessment ``dcType`` the assessment-types vocabulary cannot map keeps its label in
  ``assessment.title`` (joined with "; " after the assessment's own title).
- Anything else the vocabularies cannot map (participation mode, supervision, EQF level, field,
  language, country, non-ECTS credit points, a ``volumeOfLearning`` in years or months, further
  national levels, the learning-outcome summary next to an outcome list, extra homepages) goes
  into ``further_information`` as a line "Element: label", one line per item.
- ELM has one "Supervised with ID Verification" concept for two Annex I levels; the assessment's
  own mode (online / onsite) picks between them, else the vocabulary's first (online).
- Several participation modes: online + onsite, or any blended, give ``blended``.
- Accreditation type: the qa-types vocabulary by label; else ``external-programme`` when it names
  a qualification (``limitQualification``) or sits on the Qualification, ``external-institutional``
  when it sits on an organisation; else no type (validation reports it). Its type label, title,
  description and decision are kept in ``description``. The official sample has no Accreditation.
- Country and region of the issuer come from the awarding bodies, and from ``issuer`` only when
  they give none: in EDC ``issuer`` is the organisation that seals the credential, and sealing
  rewrites it (the signed official sample gains the seal's Spanish address), whereas Annex I
  means the provider, which ELM names as awarding body. Signed and unsigned thus read the same.
- Dates of birth are taken as written (``1999-10-01T22:00:00Z`` gives 1999-10-01) rather than
  guessing the time zone the issuer meant.
- Text without a language tag is kept under ``und`` (BCP 47 "undetermined").

Left out: display parameters and images, contact points, the learner's e-mail and other personal
data beyond Annex I, sub-achievements (``hasPart``), entitlements, activity dates, evidence other
than accreditations, credential profiles, ids of outcomes, educationLevel labels outside QF-EHEA.

Modules: :mod:`.reader` (entry points, the sealed envelope, the learner and issue date),
:mod:`.specification` (one claim into a specification), :mod:`.organisations` (awarding bodies,
places, accreditations), :mod:`.elements` (the other Annex I elements), :mod:`.concepts`
(concepts into vocabulary codes) and :mod:`.nodes` (lenient reads of JSON-LD nodes and values).
"""

from microcred.standard.elm.elements import ECTS_FRAMEWORK as ECTS_FRAMEWORK
from microcred.standard.elm.nodes import ElmError
from microcred.standard.elm.reader import EDC_CONTEXT, is_elm, read_elm, read_elm_specs

# ECTS_FRAMEWORK is importable from here (redundant alias) but, as before the split, not in __all__.
__all__ = ["EDC_CONTEXT", "ElmError", "is_elm", "read_elm", "read_elm_specs"]
