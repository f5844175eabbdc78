"""One import file using the same record key on several rows: the first row is imported, the
later ones are rejected with `duplicate-key` naming the first, and a re-run changes nothing."""

from __future__ import annotations

import json

from microcred_web.register.importing import import_bytes
from microcred_web.register.models import Agency, Provider, QAResult, Specification
from tests.web.register.conftest import World, spec

PROVIDERS = (
    "slug,legal_name@en,kind,country,city\n"
    "dup-college,Dup College,vet-college,NL,Delft\n"
    "other-college,Other College,vet-college,NL,\n"
    "dup-college,Dup College,vet-college,NL,Delft\n"
    "dup-college,Dup College Renamed,vet-college,NL,Leiden\n"
)
VALID_TITLE = spec()["title"]["en"]


def test_three_rows_with_one_key_first_wins(world: World) -> None:
    user = world.users["operator"]
    report = import_bytes(PROVIDERS.encode(), kind="providers", user=user, name="p.csv")

    assert [(r.row, r.key, r.outcome) for r in report.rows] == [
        ("p.csv:row 2", "dup-college", "created"),
        ("p.csv:row 3", "other-college", "created"),
        ("p.csv:row 4", "dup-college", "rejected"),
        ("p.csv:row 5", "dup-college", "rejected"),
    ]
    for row in report.rows[2:]:
        (finding,) = row.findings
        assert finding["code"] == "duplicate-key"
        assert "p.csv:row 2" in finding["message"]
    stored = Provider.objects.get(slug="dup-college")
    assert (stored.legal_name, stored.city) == ({"en": "Dup College"}, "Delft")  # the first row

    again = import_bytes(PROVIDERS.encode(), kind="providers", user=user, name="p.csv")
    assert [r.outcome for r in again.rows] == ["unchanged", "unchanged", "rejected", "rejected"]
    assert Provider.objects.filter(slug="dup-college").count() == 1


def test_specifications_json_duplicate_local_id(world: World) -> None:
    items = [spec("S-1"), spec("S-2"), spec("S-1", title={"en": "Changed"})]
    data = json.dumps({"specifications": items}).encode()
    report = import_bytes(
        data,
        kind="specifications",
        user=world.users["operator"],
        provider=world.provider_a,
        name="s.json",
    )
    assert [(r.key, r.outcome) for r in report.rows] == [
        ("S-1", "created"),
        ("S-2", "created"),
        ("S-1", "rejected"),
    ]
    assert report.rows[2].findings[0]["code"] == "duplicate-key"
    assert "s.json#1" in report.rows[2].findings[0]["message"]
    assert Specification.objects.get(local_id="S-1").version == 1
    assert Specification.objects.get(local_id="S-1").title_en == VALID_TITLE


def test_qa_results_keyed_by_agency_and_local_id(world: World) -> None:
    data = (
        "agency,local_id,activity,providers,decision,valid_from\n"
        "nvao,R-1,institutional,codecraft,positive,2024-01-01\n"
        "aqas,R-1,institutional,codecraft,positive,2024-01-01\n"
        "nvao,R-1,institutional,codecraft,negative,2024-01-01\n"
    )
    report = import_bytes(data.encode(), kind="qa-results", user=world.users["operator"])
    assert [(r.key, r.outcome) for r in report.rows] == [
        ("nvao/R-1", "created"),
        ("aqas/R-1", "created"),  # another agency's R-1 is another record
        ("nvao/R-1", "rejected"),
    ]
    assert QAResult.objects.get(agency__slug="nvao", local_id="R-1").decision == "positive"


def test_rows_without_a_key_are_not_duplicates_of_each_other(world: World) -> None:
    data = json.dumps([{"name": {"en": "No slug"}}, {"name": {"en": "No slug either"}}]).encode()
    report = import_bytes(data, kind="agencies", user=world.users["operator"])
    assert [r.outcome for r in report.rows] == ["rejected", "rejected"]
    assert {f["code"] for r in report.rows for f in r.findings} == {"missing-element"}
    assert Agency.objects.count() == 2
