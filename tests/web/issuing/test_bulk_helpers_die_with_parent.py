"""``kill -9`` of a bulk run: its signing and writing processes die with it; a re-run finishes.

Before, the helpers were re-parented to PID 1 and lived on (the signer holding the provider's
private key). Now each asks the kernel to be killed with its parent and watches its parent
(:mod:`microcred_web.issuing.processes`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from microcred_web.issuing import processes

from .instance import Instance
from .test_bulk import learners_csv

pytestmark = pytest.mark.django_db(transaction=True)

LEARNERS = 3000


def children(pid: int) -> set[int]:
    """Every live descendant of ``pid``, read from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rpartition(")")[2].split()[1])
    found: set[int] = set()
    todo = [pid]
    while todo:
        current = todo.pop()
        for child, parent in parents.items():
            if parent == current and child not in found:
                found.add(child)
                todo.append(child)
    return found


def helpers(pid: int) -> set[int]:
    """The spawned descendants (signer, writer, multiprocessing's resource tracker)."""
    found = set()
    for child in children(pid):
        try:
            if b"multiprocessing" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.add(child)
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for PID 1 to reap it counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def test_helpers_die_with_a_killed_run_and_the_rerun_has_no_duplicates_or_gaps(
    tmp_path: Path,
) -> None:
    instance = Instance.create(tmp_path)
    learners = learners_csv(tmp_path, LEARNERS)
    out = tmp_path / "out"
    started: set[int] = set()
    run = subprocess.Popen(
        instance.issue_command(instance.spec, learners, out),
        env=instance.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # Both helpers are up once a batch was signed (signer) and its files written (writer).
        def working() -> bool:
            return run.poll() is not None or (
                len(helpers(run.pid)) >= 2 and any(out.glob("*.json"))
            )

        wait_for(working, 120, "the helpers")
        assert run.poll() is None, "the run ended before it could be killed: use more learners"
        started.update(children(run.pid))
        assert len(helpers(run.pid)) >= 2, started
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
        wait_for(lambda: not any(alive(pid) for pid in started), 5, "the helpers to die")
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        for pid in started:  # a failed test leaves no orphan behind
            if alive(pid):
                os.kill(pid, signal.SIGKILL)

    killed = instance.script("report", instance.spec)
    assert 0 < killed["records"] < LEARNERS  # killed half way

    rerun = instance.microcred(
        "issue", "--spec", instance.spec, "--learners", str(learners), "--out", str(out),
        "--no-progress",
    )  # fmt: skip
    assert f"{LEARNERS - killed['records']} issued, {killed['records']} already" in rerun.stdout
    done = instance.script("report", instance.spec)
    assert done["records"] == done["learners"] == done["revocations"] == LEARNERS
    assert done["allocations"] == LEARNERS  # no index of the killed batch left behind
    assert sorted(path.stem for path in out.glob("*.json")) == done["ids"]


def test_a_helper_whose_parent_is_already_gone_exits_at_once(tmp_path: Path) -> None:
    """The race before ``prctl``: the parent died first, so no signal will ever come."""
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; from microcred_web.issuing import processes; "
            "processes.die_with_parent(os.getppid() + 100000); print('survived')",
        ],
        env={**os.environ, "PYTHONPATH": str(Path(processes.__file__).parents[2])},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert child.returncode == processes.ORPHAN_EXIT
    assert "survived" not in child.stdout


def test_the_watchdog_ends_an_orphan_where_the_kernel_does_not(tmp_path: Path) -> None:
    """Without PR_SET_PDEATHSIG (not Linux), the watchdog thread sees the re-parenting."""
    marker = tmp_path / "orphan.pid"
    code = (
        "import os, sys, time\n"
        "from microcred_web.issuing import processes\n"
        "processes._ask_kernel_for_sigkill = lambda: None\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    processes.die_with_parent(os.getppid())\n"
        f"    open({str(marker)!r}, 'w').write(str(os.getpid()))\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "time.sleep(0.5)\n"
        "os._exit(0)\n"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(Path(processes.__file__).parents[2])},
        timeout=30,
        check=True,
    )
    wait_for(marker.exists, 5, "the child to start")
    orphan = int(marker.read_text())
    wait_for(lambda: not alive(orphan), 5, "the watchdog to end the orphan")
