"""``microcred import`` / ``microcred export`` reach the single ``microcred`` command through
the ``microcred.commands`` entry-point group (patched here; pyproject declares the real one)."""

from __future__ import annotations

import io
import json
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest

import microcred.cli
from microcred_web import cli_plugin
from microcred_web.register import exporting, importing
from microcred_web.register.models import Specification
from tests.web.register.conftest import World, spec

PLUGIN = EntryPoint(name="web", value="microcred_web.cli_plugin", group="microcred.commands")


@pytest.fixture
def with_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(microcred.cli, "entry_points", lambda group: [PLUGIN])


@pytest.fixture
def specs_file(tmp_path: Path) -> Path:
    path = tmp_path / "specs.json"
    path.write_text(json.dumps({"specifications": [spec("A"), spec("B"), {"id": 5}]}))
    return path


def test_import_then_rerun(
    with_plugin: None, world: World, specs_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "import",
        str(specs_file),
        "--provider",
        "north-sea-university",
        "--status",
        "published",
    ]

    assert microcred.cli.main(args) == 1  # one rejected row
    first = capsys.readouterr().out
    assert "specs.json#1 A: created" in first
    assert "specs.json#3" in first and "rejected" in first
    assert "3 rows: 2 created, 0 updated, 0 unchanged, 1 rejected" in first

    assert microcred.cli.main([*args, "--report", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["counts"] == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 1}
    assert Specification.objects.filter(status="published").count() == 2


def test_import_as_an_account_checks_its_role(
    with_plugin: None, world: World, specs_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = microcred.cli.main(
        ["import", str(specs_file), "--provider", "north-sea-university", "--as", "staff_b", "-q"]
    )

    assert code == 1
    assert "forbidden" in capsys.readouterr().out
    assert not Specification.objects.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--as", "ghost"], "no active account"),
        (["--provider", "nope"], "no provider"),
        ([], "--provider SLUG is needed"),
    ],
)
def test_command_line_problems_exit_2(
    with_plugin: None,
    world: World,
    specs_file: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    args = ["import", str(specs_file)]
    if extra and extra[0] == "--as":
        args += ["--provider", "north-sea-university"]
    assert microcred.cli.main([*args, *extra]) == 2
    assert message in capsys.readouterr().err


def test_unreadable_file_exits_2(
    with_plugin: None, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    assert microcred.cli.main(["import", str(bad), "--kind", "providers"]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert microcred.cli.main(["import", str(tmp_path / "missing.csv"), "--kind", "agencies"]) == 2


def test_progress_line_on_request(
    with_plugin: None, world: World, specs_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    microcred.cli.main(
        ["import", str(specs_file), "--provider", "north-sea-university", "--progress"]
    )
    err = capsys.readouterr().err
    assert "\r" in err and "3/3" in err and "rows/s" in err


def test_progress_line_is_throttled_and_silent_when_off() -> None:
    out = io.StringIO()
    line = cli_plugin.ProgressLine(out, enabled=True)
    for done in range(1, 1001):
        line(done, 1000)
    line.finish()
    assert out.getvalue().count("\r") <= 3  # first draw, the end, maybe one more
    assert "1,000/1,000" in out.getvalue()

    quiet = io.StringIO()
    cli_plugin.ProgressLine(quiet, enabled=False)(5, 10)
    assert quiet.getvalue() == ""


def test_export_every_kind(
    with_plugin: None, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from microcred_web.register.services import save_specification

    save_specification(world.users["operator"], world.provider_a, spec(), status="published")
    cases: list[tuple[list[str], Any]] = [
        (["--what", "register", "--format", "json", "--out", str(tmp_path / "r.json")], None),
        (["--what", "register", "--format", "csv", "--out", str(tmp_path / "r")], None),
        (["--what", "catalogue", "--format", "json", "--out", str(tmp_path / "c.json")], None),
        (
            [
                "--what",
                "achievements",
                "--format",
                "jsonld",
                "--out",
                str(tmp_path / "a.jsonld"),
                "--base-url",
                "https://register.example",
            ],
            None,
        ),
    ]
    for args, _ in cases:
        assert microcred.cli.main(["export", *args]) == 0, args
    printed = capsys.readouterr().out
    assert str(tmp_path / "r" / "providers.csv") in printed
    achievements = json.loads((tmp_path / "a.jsonld").read_text())
    assert achievements[0]["id"].startswith("https://register.example/")

    assert (
        microcred.cli.main(
            ["export", "--what", "achievements", "--format", "csv", "--out", str(tmp_path / "x")]
        )
        == 2
    )


def test_without_the_plugin_the_core_commands_still_work(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(microcred.cli, "entry_points", lambda group: [])
    with pytest.raises(SystemExit):
        microcred.cli.main(["import", "x"])

    broken = EntryPoint(name="broken", value="no_such_module_xyz", group="microcred.commands")
    monkeypatch.setattr(microcred.cli, "entry_points", lambda group: [broken])
    with pytest.raises(SystemExit) as exit_info:
        microcred.cli.main(["--version"])
    assert exit_info.value.code == 0
    assert "plugin 'broken' not loaded" in capsys.readouterr().err


def test_plugin_constants_match_the_services() -> None:
    assert cli_plugin.KINDS == importing.KINDS
    assert cli_plugin.WHATS == exporting.WHATS
