"""The cyclic collector is off while a presentation is verified, and as it was afterwards."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from microcred.verify import presentation as presentation_module
from microcred.verify.collection import deferred_collection


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_off_inside_on_after() -> None:
    gc.enable()
    with deferred_collection():
        assert not gc.isenabled()
        with deferred_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block still runs
    assert gc.isenabled()


def test_on_again_after_an_exception() -> None:
    gc.enable()
    with pytest.raises(ValueError), deferred_collection():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_switched_off_by_someone_else_stays_off() -> None:
    gc.disable()
    with deferred_collection():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_threads_share_the_switch_until_the_last_one_is_done() -> None:
    gc.enable()
    first_inside, release_first, second_done = (
        threading.Event(),
        threading.Event(),
        threading.Event(),
    )
    seen: dict[str, bool] = {}

    def first() -> None:
        with deferred_collection():
            first_inside.set()
            release_first.wait(5)

    def second() -> None:
        first_inside.wait(5)
        with deferred_collection():
            pass
        seen["after second"] = gc.isenabled()
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    second_done.wait(5)
    release_first.set()
    for thread in threads:
        thread.join(5)
    assert seen == {"after second": False}  # the first thread was still verifying
    assert gc.isenabled()


def test_verify_presentation_runs_with_the_collector_off(monkeypatch: pytest.MonkeyPatch) -> None:
    gc.enable()
    states: list[bool] = []
    real = presentation_module._verify_presentation

    def spy(*args: object) -> object:
        states.append(gc.isenabled())
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(presentation_module, "_verify_presentation", spy)
    result = presentation_module.verify_presentation(b"not json")
    assert not result.verified
    assert states == [False]
    assert gc.isenabled()
