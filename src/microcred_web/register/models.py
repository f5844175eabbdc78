"""Register records. Rules live in services and in the core; models only hold data.

Every public record has a stable ``public_id`` (never reused, safe to cite) and a ``slug`` for
readable URLs. Multilingual names are stored as language maps (JSON) like the Annex I model.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models


def new_public_id(prefix: str) -> str:
    """Short, unguessable, stable ids such as ``P-7F3K9Q2M``: no magic sequential numbers."""
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32, no I L O U
    return f"{prefix}-" + "".join(secrets.choice(alphabet) for _ in range(8))


class PublicIdMixin:
    """Gives a record its ``public_id`` (prefix from ``public_id_prefix``) on first save."""

    public_id_prefix = ""

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.public_id:  # type: ignore[has-type]
            self.public_id = new_public_id(self.public_id_prefix)
        super().save(*args, **kwargs)  # type: ignore[misc]


class ProviderKind(models.TextChoices):
    UNIVERSITY = "university", "University"
    UNIVERSITY_APPLIED = "university-applied-sciences", "University of applied sciences"
    COLLEGE = "vet-college", "Vocational college"
    COMPANY = "company", "Company"
    NGO = "ngo", "Non-governmental organisation"
    PUBLIC_BODY = "public-body", "Public body"
    PROFESSIONAL_BODY = "professional-body", "Professional body"
    PLATFORM = "platform", "Online learning platform"
    OTHER = "other", "Other provider"


class Provider(PublicIdMixin, models.Model):
    """A provider of micro-credentials; universities and other providers on equal footing."""

    public_id = models.CharField(max_length=16, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    legal_name = models.JSONField(default=dict)
    display_name = models.JSONField(default=dict, blank=True)
    kind = models.CharField(max_length=32, choices=ProviderKind.choices)
    country = models.CharField(max_length=2)
    city = models.CharField(max_length=120, blank=True)
    website = models.URLField(blank=True)
    national_id = models.CharField(max_length=64, blank=True)
    erasmus_code = models.CharField(max_length=32, blank=True)
    schac = models.CharField(max_length=120, blank=True)
    deqar_id = models.CharField(max_length=32, blank=True)
    eidas_id = models.CharField(max_length=64, blank=True, help_text="VAT / eIDAS identifier")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]

    public_id_prefix = "P"

    def name(self, lang: str = "en") -> str:
        names = self.display_name or self.legal_name
        return names.get(lang) or names.get("en") or next(iter(names.values()), self.slug)

    def __str__(self) -> str:
        return self.name()


class ProviderRelation(models.Model):
    class Kind(models.TextChoices):
        FACULTY_OF = "faculty-of", "Faculty or unit of"
        ALLIANCE_PARTNER = "alliance-partner", "Partner in an alliance with"
        OFFERED_ON = "offered-on-platform", "Offers micro-credentials on the platform"

    source = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="relations")
    target = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    label = models.CharField(max_length=200, blank=True, help_text="e.g. the alliance's name")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="unique_relation")
        ]


class EsgActivity(models.TextChoices):
    INSTITUTIONAL = "institutional", "Institutional"
    PROGRAMME = "programme", "Programme"
    JOINT_PROGRAMME = "joint-programme", "Joint programme"
    OTHER = "other", "Other"


class Agency(PublicIdMixin, models.Model):
    public_id = models.CharField(max_length=16, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    name = models.JSONField(default=dict)
    acronym = models.CharField(max_length=32)
    countries = models.JSONField(default=list, help_text="ISO 3166 alpha-2 codes")
    website = models.URLField(blank=True)
    eqar_registered_since = models.DateField(null=True, blank=True)
    eqar_registered_until = models.DateField(null=True, blank=True)
    activities = models.JSONField(default=list, help_text="ESG activity codes")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["acronym"]
        verbose_name_plural = "agencies"

    public_id_prefix = "A"

    def display(self, lang: str = "en") -> str:
        return self.name.get(lang) or self.name.get("en") or self.acronym

    def __str__(self) -> str:
        return self.acronym


class Decision(models.TextChoices):
    POSITIVE = "positive", "Positive"
    CONDITIONAL = "positive-with-conditions", "Positive with conditions"
    NEGATIVE = "negative", "Negative"
    NOT_APPLICABLE = "not-applicable", "Not applicable"


class QAResult(PublicIdMixin, models.Model):
    """An external QA result, as DEQAR records them."""

    class Status(models.TextChoices):
        OBLIGATORY = "obligatory", "Part of obligatory EQA system"
        VOLUNTARY = "voluntary", "Voluntary"

    public_id = models.CharField(max_length=16, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="results")
    activity = models.CharField(max_length=32, choices=EsgActivity.choices)
    providers = models.ManyToManyField(Provider, related_name="qa_results")
    decision = models.CharField(max_length=32, choices=Decision.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OBLIGATORY)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    report_url = models.URLField(blank=True)
    decision_url = models.URLField(blank=True)
    covers_microcredentials = models.BooleanField(
        default=False, help_text="The review covers the provider's micro-credential provision"
    )
    covered_specifications = models.ManyToManyField(
        "Specification", related_name="qa_results", blank=True
    )
    local_id = models.CharField(max_length=64, blank=True, help_text="Agency's own reference")
    #: Withdrawn from the register (recorded in error, or withdrawn by the agency): kept and
    #: shown as such, but it counts for no date (a new decision is a new result instead).
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-valid_from"]

    public_id_prefix = "Q"


class Specification(PublicIdMixin, models.Model):
    """A micro-credential specification owned by a provider, with its life cycle."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    public_id = models.CharField(max_length=16, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="specifications")
    local_id = models.CharField(max_length=120, help_text="The provider's own identifier")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    data = models.JSONField(help_text="The Annex I specification (microcred JSON)")
    title_en = models.CharField(max_length=500, blank=True, help_text="For sorting and admin")
    findings = models.JSONField(default=list)
    has_errors = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title_en"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "local_id"], name="unique_local_id")
        ]
        indexes = [models.Index(fields=["status", "has_errors"])]

    public_id_prefix = "S"

    @property
    def in_catalogue(self) -> bool:
        return self.status == self.Status.PUBLISHED and not self.has_errors


class SpecificationVersion(models.Model):
    """Every saved state of a specification, kept so that history is never lost."""

    specification = models.ForeignKey(
        Specification, on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=16)
    data = models.JSONField()
    findings = models.JSONField(default=list)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["specification", "version"]
        constraints = [
            models.UniqueConstraint(fields=["specification", "version"], name="unique_version")
        ]


class Role(models.TextChoices):
    OPERATOR = "operator", "Register operator"
    AGENCY = "agency", "Agency staff"
    PROVIDER = "provider", "Provider staff"


class ProviderLevel(models.TextChoices):
    """What a provider's staff member may do (``docs/workspace-team.md``)."""

    EDITOR = "editor", "Editor (specifications)"
    ISSUER = "issuer", "Issuer (credentials)"
    ADMIN = "admin", "Admin (specifications, credentials and the team)"


class Membership(models.Model):
    """What a user may do: one role, tied to an agency or a provider where the role needs it.

    ``level`` only means something for a provider membership (agency staff and operators
    have one kind of membership each); it defaults to admin so that a membership made by
    the operator (admin site, demo data) keeps what provider staff could always do.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE)
    provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.CASCADE)
    level = models.CharField(
        max_length=8, choices=ProviderLevel.choices, default=ProviderLevel.ADMIN
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role="operator", agency__isnull=True, provider__isnull=True)
                    | models.Q(role="agency", agency__isnull=False, provider__isnull=True)
                    | models.Q(role="provider", agency__isnull=True, provider__isnull=False)
                ),
                name="membership_role_target",
            )
        ]


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=120)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
