"""The search index follows the database: publish, update, withdraw, errors, QA, rebuild."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command

from microcred.catalogue import SearchQuery
from microcred_web.catalogue import services
from microcred_web.register import services as register
from microcred_web.register.models import Specification
from tests.web.catalogue import factories as f


def _ids(**query: Any) -> set[str]:
    return {h.id for h in services.search(SearchQuery(per_page=100, **query)).hits}


@pytest.mark.django_db(transaction=True)
def test_publishing_indexes_on_commit_and_withdrawing_removes() -> None:
    # A real commit (transactional test): the register service's on_commit hook does the work.
    owner = f.provider()
    outcome = register.save_specification(
        f.operator(), owner, f.spec_data("DS-1"), status="published"
    )
    spec = outcome.specification
    assert spec is not None
    assert _ids() == {spec.public_id}
    assert _ids(text="stewardship") == {spec.public_id}

    register.set_status(f.operator(), spec, "withdrawn")
    assert _ids() == set()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_never_reaches_the_index() -> None:
    from django.db import transaction

    owner = f.provider()
    with pytest.raises(RuntimeError), transaction.atomic():
        register.save_specification(f.operator(), owner, f.spec_data("DS-1"), status="published")
        raise RuntimeError("roll back")
    assert Specification.objects.count() == 0
    assert services.get_index().count() == 0


@pytest.mark.django_db
def test_drafts_are_not_indexed_until_published() -> None:
    spec = f.save(f.provider(), f.spec_data("DS-1"))
    assert spec.status == "draft"
    assert _ids() == set()
    f.set_status(spec, "published")
    assert _ids() == {spec.public_id}


@pytest.mark.django_db
def test_specifications_with_errors_are_never_indexed() -> None:
    owner = f.provider()
    broken = f.spec_data("BAD-1", learning_outcomes=[])  # a mandatory element missing
    outcome = register.save_specification(f.operator(), owner, broken, status="published")
    assert outcome.outcome == "rejected"
    spec = f.save(owner, broken)  # kept as a draft with its findings
    assert spec.has_errors
    with pytest.raises(ValueError):
        register.set_status(f.operator(), spec, "published")
    assert _ids() == set()

    # A published one that gains an error on update falls back to draft and leaves the index.
    good = f.publish(owner, "DS-2")
    assert _ids() == {good.public_id}
    f.save(owner, broken | {"id": "DS-2"})
    assert _ids() == set()


@pytest.mark.django_db
def test_an_update_replaces_the_entry() -> None:
    owner = f.provider()
    spec = f.publish(owner, "DS-1")
    f.save(owner, f.spec_data("DS-1", title={"en": "Research software engineering"}))
    assert _ids(text="stewardship") == set()
    assert _ids(text="software") == {spec.public_id}
    assert services.get_index().count() == 1


@pytest.mark.django_db
def test_qa_changes_reach_the_qa_facet_through_reindex_provider() -> None:
    owner = f.provider()
    spec = f.publish(owner, "DS-1")
    assert _ids(filters={"qa": ["no"]}) == {spec.public_id}
    f.qa_result(f.agency(), owner)  # calls reindex_provider, as a QA service must
    assert _ids(filters={"qa": ["yes"]}) == {spec.public_id}


@pytest.mark.django_db
def test_rebuild_gives_the_same_answers_as_incremental_updates() -> None:
    nvao = f.agency()
    uni = f.provider()
    f.qa_result(nvao, uni)
    company = f.provider("acme-training", "Acme Training", kind="company", country="DE")
    expired = f.provider("old-college", "Old College", kind="vet-college", country="BE")
    f.qa_result(nvao, expired, valid_until=f.TODAY - timedelta(days=1))
    f.publish(uni, "A", workload={"ects": 2.5})
    f.publish(company, "B", languages=["de", "en"], issuer_countries=["DE"])
    f.publish(expired, "C", participation={"mode": "online"}, level={"eqf": 5})
    withdrawn = f.publish(company, "D")
    f.set_status(withdrawn, "withdrawn")
    f.save(uni, f.spec_data("E"))  # draft

    queries = [
        SearchQuery(per_page=100),
        SearchQuery(text="data", per_page=100),
        SearchQuery(filters={"qa": ["yes"]}),
        SearchQuery(filters={"language": ["de"]}, ects_min=1),
    ]
    incremental = [services.search(q) for q in queries]
    assert incremental[0].total == 3

    assert services.rebuild_index() == 3
    rebuilt = [services.search(q) for q in queries]
    for before, after in zip(incremental, rebuilt, strict=True):
        assert {h.id for h in after.hits} == {h.id for h in before.hits}
        assert after.facets == before.facets


@pytest.mark.django_db
def test_an_empty_index_over_a_full_database_rebuilds_itself(search_index_dir: Any) -> None:
    spec = f.publish(f.provider(), "DS-1")
    services.reset_index()
    import shutil

    shutil.rmtree(search_index_dir)
    assert _ids() == {spec.public_id}


@pytest.mark.django_db
def test_batch_indexes_once_at_the_end() -> None:
    owner = f.provider()
    services.get_index()  # opened while empty (else it would rebuild itself on first use)
    with services.batch():
        a = f.publish(owner, "A")
        b = f.publish(owner, "B")
        assert _ids() == set()  # nothing yet
        f.set_status(b, "withdrawn")
    assert _ids() == {a.public_id}


@pytest.mark.django_db
def test_reindex_command_prints_the_count(capsys: pytest.CaptureFixture[str]) -> None:
    owner = f.provider()
    f.publish(owner, "A")
    f.publish(owner, "B")
    call_command("reindex")
    assert "reindex: 2 specifications indexed" in capsys.readouterr().out


@pytest.mark.django_db
def test_an_index_of_an_older_schema_version_is_rebuilt_not_read(search_index_dir: Any) -> None:
    """After an upgrade that changed the analysis, the old index is neither read nor kept.

    The old index (version 1 kept tantivy's files in the directory itself) would open, but its
    terms were made without stemming: the new version starts from its own empty directory,
    which the web layer rebuilds from the database, and the old files go once it is built.
    """
    import json

    import tantivy

    spec = f.publish(
        f.provider(), "DS-1", title={"de": "Programmierung von Industrierobotern", "en": "Robots"}
    )
    services.reset_index()
    import shutil

    shutil.rmtree(search_index_dir)
    search_index_dir.mkdir()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", tokenizer_name="raw")
    old = tantivy.Index(builder.build(), path=str(search_index_dir))
    writer = old.writer(heap_size=15_000_000, num_threads=1)
    writer.add_document(tantivy.Document(id="stale"))
    writer.commit()
    writer.wait_merging_threads()
    legacy = json.loads((search_index_dir / ".managed.json").read_bytes())

    assert _ids(text="Roboter") == {spec.public_id}
    assert not any((search_index_dir / name).exists() for name in legacy)
    call_command("reindex")
    assert _ids(text="Roboter") == {spec.public_id}
