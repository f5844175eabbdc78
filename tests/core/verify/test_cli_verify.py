"""``microcred verify``: exit 0/1/2, text and JSON output, offline documents from files."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from microcred import cli
from microcred.commands import verify
from microcred.credentials.status_list import status_entry
from microcred.net import https
from tests.core.net.conftest import NAME
from tests.core.verify.conftest import Foreign, Issuer, credential, did_web_issuer
from tests.https_servers import Authority, resolver_for


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the sub-command in-process, through the same ``register`` the CLI uses."""
    parser = argparse.ArgumentParser(prog="microcred")
    verify.register(parser.add_subparsers())
    args = parser.parse_args(["verify", *argv])
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, document: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


@pytest.fixture
def good(tmp_path: Path, signed: dict[str, Any]) -> str:
    return write(tmp_path, "good.json", signed)


@pytest.fixture
def tampered(tmp_path: Path, signed: dict[str, Any]) -> str:
    signed["name"] = "Something else"
    return write(tmp_path, "tampered.json", signed)


def test_verified_exits_0_with_one_line_per_check(
    good: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run([good], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"{good}: verified"
    assert [line.split()[1] for line in lines[1:]] == [
        "format",
        "proof",
        "issuer",
        "status",
        "validity",
        "qa",
        "annex1",
    ]
    assert lines[2].split()[0] == "ok"


def test_failure_exits_1_and_names_the_reason(
    good: str, tampered: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run([good, tampered], capsys)
    assert code == 1
    assert f"{tampered}: NOT VERIFIED" in out
    assert "[bad-signature]" in out


def test_not_a_credential_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "junk.json"
    path.write_bytes(b"{not json")
    code, out, _ = run([str(path)], capsys)
    assert code == 1
    assert "[not-json]" in out


def test_unreadable_file_exits_2(
    good: str, tampered: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "nope.json")
    code, out, err = run([tampered, missing, good], capsys)
    assert code == 2  # 2 wins over 1, and the other files are still verified
    assert f"{missing}: cannot read: no such file" in err
    assert f"{good}: verified" in out


def test_json_output(good: str, tampered: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--format", "json", good, tampered], capsys)
    assert code == 1
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["file"] == good and first["verified"] is True
    assert [c["code"] for c in first["checks"]][:3] == ["format", "proof", "issuer"]
    assert second["verified"] is False
    proof = second["checks"][1]
    assert proof["status"] == "error" and proof["details"]["reason"] == "bad-signature"


def test_json_output_for_an_unreadable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["--format", "json", str(tmp_path / "nope.json")], capsys)
    assert code == 2
    assert json.loads(out)["error"].startswith("no such file")


def test_did_web_and_status_list_from_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issuer: Issuer = did_web_issuer()
    url = issuer.status_url("revocation")
    issuer.publish_list("revocation", [9])
    fine = issuer.sign(credential(issuer.did, credentialStatus=status_entry(url, 8, "revocation")))
    revoked = issuer.sign(
        credential(issuer.did, credentialStatus=status_entry(url, 9, "revocation"))
    )
    did_doc = write(tmp_path, "did.json", issuer.document)
    status = write(tmp_path, "status.json", issuer.lists[url])
    files = [write(tmp_path, "fine.json", fine), write(tmp_path, "revoked.json", revoked)]
    options = ["--did-document", did_doc, "--status-list", f"{url}={status}"]

    code, out, _ = run([*options, files[0]], capsys)
    assert code == 0, out
    assert "not revoked" in out
    code, out, _ = run([*options, files[1]], capsys)
    assert code == 1 and "[revoked]" in out
    # without the DID document the did:web issuer cannot be resolved offline
    code, out, _ = run([files[0]], capsys)
    assert code == 1 and "[did-resolution-failed]" in out


def test_a_revoked_credential_whose_list_is_missing_could_not_be_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 9: never "verified" for a status that could not be checked — nor "revoked"."""
    issuer: Issuer = did_web_issuer()
    url = issuer.status_url("revocation")
    issuer.publish_list("revocation", [9])
    revoked = issuer.sign(
        credential(issuer.did, credentialStatus=status_entry(url, 9, "revocation"))
    )
    options = ["--did-document", write(tmp_path, "did.json", issuer.document)]
    path = write(tmp_path, "revoked.json", revoked)  # and no --status-list for it

    code, out, _ = run([*options, path], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"{path}: NOT VERIFIED (could not be checked)"
    status_line = next(line for line in lines if line.split()[1] == "status")
    assert status_line.split()[0] == "UNCHECKED"
    assert "could not be checked" in status_line and "[status-list-unavailable]" in status_line
    assert "[revoked]" not in out

    code, out, _ = run(["--format", "json", *options, path], capsys)
    report = json.loads(out)
    assert code == 1
    assert (report["verified"], report["outcome"]) == (False, "could-not-check")


def test_online_options_are_checked(good: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["--online", "--allow-network", "not-a-network", good], capsys)
    assert code == 2 and "not an IP network" in err
    code, _, err = run(["--online", "--ca-file", "/does/not/exist.pem", good], capsys)
    assert code == 2 and "no such file" in err


@pytest.mark.parametrize(
    "options",
    [
        ["--status-list", "no-equals-sign"],
        ["--status-list", "https://x/status=/does/not/exist"],
        ["--did-document", "/does/not/exist"],
    ],
)
def test_unusable_options_exit_2(
    good: str, options: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run([*options, good], capsys)
    assert code == 2
    assert err.startswith("microcred verify:")


def test_did_document_without_id_exits_2(
    good: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["--did-document", write(tmp_path, "d.json", {"a": 1}), good], capsys)
    assert code == 2 and "'id'" in err


REGISTERED = verify in cli.COMMANDS
MICROCRED = shutil.which("microcred", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(not REGISTERED, reason="verify is not in microcred.cli.COMMANDS yet")
@pytest.mark.skipif(MICROCRED is None, reason="the microcred script is not installed")
def test_installed_command_exit_codes(good: str, tampered: str, tmp_path: Path) -> None:
    def status(*argv: str) -> subprocess.CompletedProcess[str]:
        assert MICROCRED is not None
        return subprocess.run(
            [MICROCRED, "verify", *argv], capture_output=True, text=True, timeout=120
        )

    assert status(good).returncode == 0
    assert status(good, tampered).returncode == 1
    assert status(good, str(tmp_path / "missing.json")).returncode == 2
    out = status("--format", "json", good)
    assert json.loads(out.stdout)["verified"] is True


def test_online_resolves_a_foreign_did_web_issuer(
    foreign: Foreign,
    authority: Authority,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(verify, "instance_context", lambda: None)
    monkeypatch.setattr(https, "system_resolver", resolver_for({NAME: ["127.0.0.1"]}))
    fine, revoked = (write(tmp_path, f"{n}.json", foreign.signed(n)) for n in (8, 9))

    code, out, _ = run([fine], capsys)  # offline by default: nothing fetched
    assert code == 1 and "[did-resolution-failed]" in out
    assert foreign.server.hits == []

    online = ["--online", "--ca-file", authority.ca_file, "--allow-network", "127.0.0.0/8"]
    code, out, _ = run([*online, fine], capsys)
    assert code == 0, out
    assert "not revoked" in out
    code, out, _ = run([*online, revoked], capsys)
    assert code == 1 and "[revoked]" in out

    code, out, _ = run(["--online", "--ca-file", authority.ca_file, fine], capsys)
    assert code == 1 and "[fetch-address-blocked]" in out  # 127.0.0.1 not allowed by default
