"""``seed_demo`` (run by ``make run``) loads deterministic, realistic demo data, idempotently."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from microcred.register.standing import Grade
from microcred.standard.validation import parse_spec
from microcred_web.register import demo, demo_data, demo_specs
from microcred_web.register.models import (
    Agency,
    Membership,
    Provider,
    ProviderRelation,
    QAResult,
    Role,
    Specification,
    SpecificationVersion,
)
from microcred_web.register.services import provider_standing

pytestmark = pytest.mark.django_db

ESCO_URI = re.compile(
    r"^http://data\.europa\.eu/esco/skill/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
    r"[0-9a-f]{12}$"
)
UNIVERSITIES = {"university", "university-applied-sciences"}


@pytest.fixture(autouse=True)
def _private_search_index(settings: Any, tmp_path: Path) -> Iterator[None]:
    """The command rebuilds the catalogue index when there is one: keep it in tmp_path."""
    settings.SEARCH_INDEX_DIR = str(tmp_path / "index")
    yield
    try:
        services = importlib.import_module("microcred_web.catalogue.services")
    except ModuleNotFoundError:
        return
    reset = getattr(services, "reset_index", None)
    if reset is not None:
        reset()


@pytest.fixture
def seeded() -> demo.SeedReport:
    return demo.seed()


def snapshot() -> dict[str, Any]:
    """Every demo record with its natural key and last-change time."""
    return {
        "agencies": sorted(Agency.objects.values_list("slug", "public_id", "updated")),
        "providers": sorted(Provider.objects.values_list("slug", "public_id", "updated")),
        "relations": sorted(
            ProviderRelation.objects.values_list("source__slug", "target__slug", "kind")
        ),
        "results": sorted(QAResult.objects.values_list("local_id", "public_id", "updated")),
        "specs": sorted(
            Specification.objects.values_list("local_id", "public_id", "version", "updated")
        ),
        "versions": SpecificationVersion.objects.count(),
        "users": sorted(get_user_model().objects.values_list("username", "password")),
        "memberships": Membership.objects.count(),
    }


def test_seeding_twice_changes_nothing_and_creates_no_duplicates() -> None:
    out = StringIO()

    call_command("seed_demo", stdout=out)
    first = snapshot()
    call_command("seed_demo", stdout=out)
    second = snapshot()

    assert first == second
    text = out.getvalue()
    assert re.search(r"seed_demo: [1-9]\d* created, 0 already present", text)
    assert re.search(r"seed_demo: 0 created, [1-9]\d* already present", text)
    assert "specifications  " in text and "in the catalogue" in text
    assert Provider.objects.count() == len(demo_data.PROVIDERS)
    assert Agency.objects.count() == len(demo_data.AGENCIES)
    assert QAResult.objects.count() == len(demo_data.RESULTS)
    assert Specification.objects.count() == len(demo_specs.SPECS) + 2


def test_the_second_run_reports_everything_as_present(seeded: demo.SeedReport) -> None:
    again = demo.seed()

    assert seeded.created > 0 and seeded.existing == 0
    assert again.created == 0 and again.existing == seeded.created


def test_public_ids_of_register_records_are_the_same_on_every_install(
    seeded: demo.SeedReport,
) -> None:
    nsu = Provider.objects.get(slug="north-sea-university")
    nvao = Agency.objects.get(slug="nvao")

    assert nsu.public_id == demo.demo_public_id("P", "north-sea-university")
    assert nvao.public_id == demo.demo_public_id("A", "nvao")
    assert re.fullmatch(r"P-[0-9A-HJKMNP-TV-Z]{8}", nsu.public_id)


def test_register_meets_the_demo_requirements(seeded: demo.SeedReport) -> None:
    providers = Provider.objects.all()
    countries = set(providers.values_list("country", flat=True))
    kinds = set(providers.values_list("kind", flat=True))

    assert len(countries) >= 4
    assert Agency.objects.count() >= 3
    assert Agency.objects.filter(eqar_registered_since__isnull=True).exists()
    assert providers.count() >= 8
    assert len(kinds - UNIVERSITIES) >= 3
    assert any(len(p.legal_name) >= 2 for p in providers)  # multilingual names
    assert providers.exclude(erasmus_code="").exists() and providers.exclude(schac="").exists()
    relation_kinds = set(ProviderRelation.objects.values_list("kind", flat=True))
    assert relation_kinds == {"faculty-of", "alliance-partner", "offered-on-platform"}


def test_qa_results_cover_every_decision_and_scope(seeded: demo.SeedReport) -> None:
    results = QAResult.objects.all()

    assert set(results.values_list("decision", flat=True)) == {
        "positive",
        "positive-with-conditions",
        "negative",
        "not-applicable",
    }
    assert {"institutional", "programme"} <= set(results.values_list("activity", flat=True))
    assert results.filter(valid_until__lt=demo_data.DEMO_DAY).exists()  # an expired one
    assert results.filter(covers_microcredentials=True).exists()
    assert results.filter(activity="institutional", covers_microcredentials=False).exists()
    programme = results.filter(activity="programme", covered_specifications__isnull=False)
    assert programme.distinct().count() >= 2
    for result in results:
        assert result.providers.exists()
        named = {s.provider_id for s in result.covered_specifications.all()}
        assert named <= set(result.providers.values_list("pk", flat=True))


def test_specifications_meet_the_demo_requirements(seeded: demo.SeedReport) -> None:
    specs = list(Specification.objects.all())
    in_catalogue = [s for s in specs if s.in_catalogue]
    data = [s.data for s in in_catalogue]

    assert len(specs) >= 60
    assert len(in_catalogue) >= 55
    assert {s.status for s in specs} == {"draft", "published", "withdrawn"}
    assert sum(s.status == "withdrawn" for s in specs) == 1
    assert {d["level"]["eqf"] for d in data} >= {4, 5, 6, 7, 8}
    ects = [d["workload"]["ects"] for d in data if "ects" in d["workload"]]
    assert min(ects) >= 1 and max(ects) <= 30 and any(e != int(e) for e in ects)
    assert {d["participation"]["mode"] for d in data} == {"online", "onsite", "blended"}
    assert len({f for d in data for f in d["fields_of_study"]}) >= 15
    assert len({lang for d in data for lang in d["languages"]}) >= 5
    assert sum(len(d["title"]) >= 2 for d in data) >= 40  # English plus a national language
    assert {s["option"] for s in (d["stackability"] for d in data)} == {"standalone", "stackable"}
    assert len({d["supervision"] for d in data}) >= 3
    assert len({t for d in data for t in d["assessment"]["types"]}) >= 6
    qa_types = {q["type"] for d in data for q in d["quality_assurance"]}
    assert qa_types == {
        "internal",
        "external-institutional",
        "external-programme",
        "external-other",
    }
    skills = [o["esco_skill"] for d in data for o in d["learning_outcomes"] if "esco_skill" in o]
    assert len(skills) >= 20 and all(ESCO_URI.match(uri) for uri in skills)


def test_every_catalogue_specification_validates_without_errors(seeded: demo.SeedReport) -> None:
    for spec in Specification.objects.filter(status="published"):
        parsed, report = parse_spec(spec.data)

        assert parsed is not None and report.ok, (spec.local_id, report.errors)
        assert not spec.has_errors


def test_specifications_with_errors_stay_drafts_with_their_findings(
    seeded: demo.SeedReport,
) -> None:
    broken = Specification.objects.filter(has_errors=True)

    assert broken.count() >= 1
    for spec in broken:
        assert spec.status == "draft" and not spec.in_catalogue
        assert any(f["severity"] == "error" for f in spec.findings)
    codes = {f["code"] for s in broken for f in s.findings}
    assert {"level-cycle-mismatch", "unknown-code", "missing-element"} <= codes


def test_warnings_are_stored_on_published_specifications(seeded: demo.SeedReport) -> None:
    german_only = Specification.objects.get(local_id="sol-ak-03")

    assert german_only.in_catalogue
    assert [f["code"] for f in german_only.findings] == ["no-english"]


def test_withdrawn_specification_keeps_its_history(seeded: demo.SeedReport) -> None:
    spec = Specification.objects.get(local_id="delta-mc-06")

    assert spec.status == "withdrawn" and not spec.in_catalogue
    assert list(spec.versions.values_list("status", flat=True)) == ["published", "withdrawn"]
    assert spec.versions.last().author.username == demo.OPERATOR  # type: ignore[union-attr]


def test_qa_standing_of_demo_providers(seeded: demo.SeedReport) -> None:
    day = demo_data.DEMO_DAY

    assured = provider_standing(Provider.objects.get(slug="north-sea-university"), day)
    expired = provider_standing(Provider.objects.get(slug="lakeland-uas"), day)
    negative = provider_standing(Provider.objects.get(slug="politecnico-serra"), day)
    none = provider_standing(Provider.objects.get(slug="apid"), day)

    assert assured.grade is Grade.ASSURED and assured.quality_assured
    assert assured.reason.startswith("Institutional review by NVAO, positive")
    assert expired.grade is Grade.EXPIRED and not expired.quality_assured
    assert "FINEEC" in expired.reason and "expired on 2026-05-14" in expired.reason
    assert negative.grade is Grade.NEGATIVE and negative.status == "error"
    assert "A3ES, negative" in negative.reason
    assert none.grade is Grade.NONE


def test_programme_review_assures_only_the_specifications_it_names(
    seeded: demo.SeedReport,
) -> None:
    provider = Provider.objects.get(slug="rhineland-south-uas")
    named = provider.specifications.get(local_id="thrs-mz-01")
    other = provider.specifications.get(local_id="thrs-mz-02")
    day = demo_data.DEMO_DAY

    assert provider_standing(provider, day, named).grade is Grade.ASSURED
    assert provider_standing(provider, day, other).grade is Grade.NOT_COVERING


def test_demo_accounts_have_memberships_and_no_usable_password(
    seeded: demo.SeedReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = get_user_model().objects

    operator = users.get(username=demo.OPERATOR)
    assert not operator.has_usable_password()
    assert Membership.objects.filter(user=operator, role=Role.OPERATOR).exists()
    assert Membership.objects.get(user__username="demo-provider").provider.slug == (
        "north-sea-university"
    )
    assert Membership.objects.get(user__username="demo-agency").agency.slug == "nvao"

    monkeypatch.setenv(demo.PASSWORD_ENV, "demo-secret-123")
    demo.seed()
    assert users.get(username=demo.OPERATOR).check_password("demo-secret-123")
    password = users.get(username="demo-agency").password
    demo.seed()  # the same password again: nothing is rewritten
    assert users.get(username="demo-agency").password == password


def test_demo_providers_get_signing_keys_when_a_kek_is_configured(
    monkeypatch: pytest.MonkeyPatch, client: Any
) -> None:
    from microcred.credentials.keystore import generate_kek

    monkeypatch.delenv("MICROCRED_KEK", raising=False)
    monkeypatch.delenv("MICROCRED_KEK_FILE", raising=False)
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "no MICROCRED_KEK" in out.getvalue()
    assert not any(p.keys.exists() for p in Provider.objects.all())

    monkeypatch.setenv("MICROCRED_KEK", generate_kek())
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert f"{len(demo_data.PROVIDERS)} demo signing keys created" in out.getvalue()
    slug = demo_data.PROVIDERS[0].slug
    did_document = client.get(f"/providers/{slug}/did.json")
    assert did_document.status_code == 200
    assert did_document.json()["verificationMethod"]
    again = StringIO()
    call_command("seed_demo", stdout=again)  # idempotent: no second key
    assert "signing keys created" not in again.getvalue()
