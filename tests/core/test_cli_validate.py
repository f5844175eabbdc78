"""`microcred validate`, run as a user runs it: the installed command in a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.core.samples import ELM_SAMPLE, valid_spec

MICROCRED = shutil.which("microcred", path=str(Path(sys.executable).parent)) or "microcred"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [MICROCRED, *args],
        input=stdin.decode("utf-8", "replace") if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def write(tmp_path: Path, name: str, content: Any) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return path


def test_help_lists_subcommands() -> None:
    proc = run("--help")
    assert proc.returncode == 0
    for command in ("validate", "schema", "vocab"):
        assert command in proc.stdout


def test_valid_file_exits_0(tmp_path: Path) -> None:
    proc = run("validate", str(write(tmp_path, "ok.json", valid_spec())))
    assert proc.returncode == 0, proc.stdout
    assert "1 record checked, 0 with errors" in proc.stdout


def test_invalid_record_exits_1_and_names_element(tmp_path: Path) -> None:
    data = valid_spec()
    del data["quality_assurance"]
    proc = run("validate", str(write(tmp_path, "bad.json", [valid_spec(), data])))
    assert proc.returncode == 1
    assert "missing-element" in proc.stdout and "quality_assurance" in proc.stdout
    assert "2 records checked, 1 with errors" in proc.stdout


def test_json_output_is_machine_readable(tmp_path: Path) -> None:
    data = valid_spec()
    data["workload"] = {"ects": 75}
    proc = run("validate", "--format", "json", str(write(tmp_path, "w.json", data)))
    assert proc.returncode == 0
    out = json.loads(proc.stdout)
    (record,) = out["files"][0]["records"]
    assert record["ok"] is True
    assert record["findings"] == [
        {
            "code": "workload-not-micro",
            "severity": "warning",
            "path": "workload.ects",
            "message": record["findings"][0]["message"],
        }
    ]
    assert out["summary"] == {"files": 1, "unreadable": 0, "records": 1, "records_with_errors": 0}


def test_stdin(tmp_path: Path) -> None:
    proc = run("validate", "-", stdin=json.dumps(valid_spec()).encode())
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_unreadable_file_exits_2_but_others_still_checked(tmp_path: Path) -> None:
    good = write(tmp_path, "good.json", valid_spec())
    proc = run("validate", str(tmp_path / "missing.json"), str(good))
    assert proc.returncode == 2
    assert "no such file" in proc.stderr
    assert "1 record checked" in proc.stdout


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("not.json", '{"title": ', "not valid JSON"),
        ("latin1.json", '{"title": {"fr": "Données"}}'.encode("latin-1"), "not UTF-8"),
        ("empty.json", "", "is empty"),
        ("scalar.json", "42", "expected a JSON object or array"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("deep2.json", '{"a":' * 70 + "1" + "}" * 70, "nested 70 levels deep"),
    ],
)
def test_bad_files_get_a_reason(tmp_path: Path, name: str, content: Any, reason: str) -> None:
    proc = run("validate", str(write(tmp_path, name, content)))
    assert proc.returncode == 2
    assert reason in proc.stderr


def test_fifty_megabytes_of_nesting(tmp_path: Path) -> None:
    half = 25 * 1024 * 1024
    path = tmp_path / "nest.json"
    with path.open("wb") as f:
        f.write(b"[" * half)
        f.write(b"]" * half)
    proc = run("validate", "--format", "json", str(path))
    assert proc.returncode == 2
    out = json.loads(proc.stdout)
    assert "nested too deeply" in out["files"][0]["error"]


def test_oversized_file_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with path.open("wb") as f:
        f.truncate(65 * 1024 * 1024)
    proc = run("validate", str(path))
    assert proc.returncode == 2 and "the limit is" in proc.stderr


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    proc = run("validate", str(tmp_path))
    assert proc.returncode == 2 and "is a folder" in proc.stderr


def test_elm_sample_has_exactly_the_qa_error() -> None:
    proc = run("validate", "--format", "json", str(ELM_SAMPLE))
    assert proc.returncode == 1
    (record,) = json.loads(proc.stdout)["files"][0]["records"]
    errors = [f for f in record["findings"] if f["severity"] == "error"]
    assert [(e["code"], e["path"]) for e in errors] == [
        ("missing-element", "specification.quality_assurance")
    ]


def test_csv_file(tmp_path: Path) -> None:
    csv_text = (
        "id,title@en,issuer_countries,awarding_body_names,learning_outcomes@en,ects,"
        "assessment_types,participation_mode,qa_types,eqf_level\n"
        "A1,Intro to GIS,IE,University of Zed,Map things;Read maps,3,project,online,"
        "internal,5\n"
        "A2,,IE,University of Zed,Map things,abc,project,online,internal,5\n"
    )
    proc = run("validate", "--format", "json", str(write(tmp_path, "specs.csv", csv_text)))
    assert proc.returncode == 1
    records = json.loads(proc.stdout)["files"][0]["records"]
    assert records[0]["ok"] is True, records[0]
    bad = {(f["code"], f["path"]) for f in records[1]["findings"]}
    assert ("missing-element", "title") in bad
    assert ("invalid-value", "workload.ects") in bad


def test_schema_command_prints_json_schema() -> None:
    proc = run("schema")
    assert proc.returncode == 0
    schema = json.loads(proc.stdout)
    assert schema["title"] == "MicroCredentialSpec"
    assert "learning_outcomes" in schema["properties"]


def test_vocab_command() -> None:
    proc = run("vocab", "eqf")
    assert proc.returncode == 0 and "Level 8" in proc.stdout
    proc = run("vocab", "nope")
    assert proc.returncode == 2 and "known:" in proc.stderr
