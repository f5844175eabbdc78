"""The daily QA standing refresh, on a fixed clock: a QA result recorded today to take effect
in ten days changes the catalogue's "quality assured" on that day, with nothing written then;
workers queue the day's refresh once however many of them ask; ``enqueue refresh-standing``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from microcred.catalogue import SearchQuery
from microcred_web.catalogue import services as catalogue
from microcred_web.tasks import services
from microcred_web.tasks.models import Job
from microcred_web.tasks.worker import Worker, make_worker, run_pending
from tests.web.catalogue import factories as f

DAY = date(2027, 3, 1)


@pytest.fixture(autouse=True)
def index_dir(tmp_path: Path, settings: Any) -> Iterator[None]:
    settings.SEARCH_INDEX_DIR = tmp_path / "search-index"
    catalogue.reset_index()
    yield
    catalogue.reset_index()


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.today = DAY
        monkeypatch.setattr(catalogue, "today", lambda: self.today)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def _assured() -> set[str]:
    hits = catalogue.search(SearchQuery(per_page=100, filters={"qa": ["yes"]})).hits
    return {hit.id for hit in hits}


def _refresh(day: date) -> Job:
    job = services.schedule_daily(day)
    assert job is not None
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.state == "succeeded", job.message
    return job


@pytest.mark.django_db
def test_a_future_decision_changes_the_index_on_its_day(clock: Clock) -> None:
    nvao = f.agency()
    starts, ends = f.provider(), f.provider("codecraft", "CodeCraft")
    later = f.publish(starts, "DS-1")
    ending = f.publish(ends, "PY-1")
    f.qa_result(
        nvao, starts, valid_from=DAY + timedelta(days=10), valid_until=DAY + timedelta(days=999)
    )
    f.qa_result(
        nvao, ends, valid_from=DAY - timedelta(days=99), valid_until=DAY + timedelta(days=4)
    )
    assert _assured() == {ending.public_id}
    first = _refresh(DAY)  # the first refresh: today's changes only, none
    assert (first.total, first.params["since"]) == (0, (DAY - timedelta(days=1)).isoformat())

    clock.today = DAY + timedelta(days=5)  # the day after the last valid day
    assert _refresh(clock.today).total == 1
    assert _assured() == set()

    clock.today = DAY + timedelta(days=9)
    assert _refresh(clock.today).total == 0
    assert _assured() == set()  # not yet: the result takes effect tomorrow

    clock.today = DAY + timedelta(days=12)  # two days with no refresh (workers down)
    job = _refresh(clock.today)
    assert job.total == 1 and job.params["since"] == (DAY + timedelta(days=9)).isoformat()
    assert _assured() == {later.public_id}


@pytest.mark.django_db
def test_an_eqar_registration_ending_is_picked_up(clock: Clock) -> None:
    nvao = f.agency()
    nvao.eqar_registered_until = DAY + timedelta(days=2)
    nvao.save()
    owner = f.provider()
    spec = f.publish(owner, "DS-1")
    f.qa_result(
        nvao, owner, valid_from=DAY - timedelta(days=10), valid_until=DAY + timedelta(days=900)
    )
    _refresh(DAY)
    clock.today = DAY + timedelta(days=3)
    assert _refresh(clock.today).total == 1
    # Still quality assured (a non-EQAR agency gives a warning-level standing) but reindexed:
    assert spec.public_id in _assured()


@pytest.mark.django_db
def test_two_workers_queue_the_day_once(clock: Clock) -> None:
    assert services.schedule_daily(DAY) is not None
    assert services.schedule_daily(DAY) is None
    assert Job.objects.filter(kind="refresh-standing").count() == 1
    # A worker checks as it polls (the library reads ``running`` before each poll).
    worker = make_worker(batch=True, interval=0)
    assert isinstance(worker, Worker)
    worker._next_schedule = 0.0
    assert worker.running
    assert Job.objects.filter(kind="refresh-standing").count() == 1  # DAY's is there
    clock.today = DAY + timedelta(days=1)
    assert worker.running  # checked at most once a minute
    assert Job.objects.filter(kind="refresh-standing").count() == 1
    worker._next_schedule = 0.0
    assert worker.running
    assert Job.objects.filter(kind="refresh-standing").count() == 2
    other = make_worker(batch=True, interval=0)
    assert other.running
    assert Job.objects.filter(kind="refresh-standing").count() == 2


@pytest.mark.django_db
def test_a_unique_slot_refuses_a_second_insert() -> None:
    from django.db import IntegrityError, transaction

    Job.objects.create(kind="refresh-standing", schedule_key="refresh-standing:2027-03-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="refresh-standing", schedule_key="refresh-standing:2027-03-01")


@pytest.mark.django_db
def test_enqueue_refresh_standing_is_the_operators(capsys: Any) -> None:
    call_command("enqueue", "refresh-standing")
    assert "queued job" in capsys.readouterr().out
    assert Job.objects.filter(kind="refresh-standing").count() == 1
    from django.contrib.auth import get_user_model
    from django.core.management.base import CommandError

    get_user_model().objects.create(username="someone")
    with pytest.raises(CommandError):
        call_command("enqueue", "refresh-standing", "--user", "someone")
