"""``microcred verify FILE...``: verify signed credentials offline, check by check.

The command is a thin shell over :func:`microcred.verify.verify_credential`, the same
pipeline as the API and the web page. By default nothing is fetched from the network:
``did:key`` issuers resolve from the DID itself; on a machine where a microcred instance is
installed and configured, that instance's providers, status lists and register come from its
database, with the instance's own settings (``instance_context``); documents of other issuers
and status lists are given as files with ``--did-document`` and ``--status-list URL=FILE``.
``--online`` fetches the DID documents and status lists of other ``did:web`` issuers over
HTTPS, through the guarded client of :mod:`microcred.net` — an explicit choice, because
following the URLs a credential names tells their owner that someone checks it.

Exit status (the rule of :mod:`microcred.cli`): 0 when every credential verifies, 1 when
any does not (including input that is not a credential at all: the ``format`` check says
why, and a credential whose status could not be checked: the header says "could not be
checked"), 2 when a file cannot be read or an option is unusable.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, TextIO

from microcred.net.addresses import AddressPolicy, parse_networks
from microcred.net.https import FetchConfig
from microcred.standard.readers import ReadError, load_json
from microcred.verify import (
    DidResolver,
    Outcome,
    StaticDidResolver,
    StaticStatusLists,
    StatusListFetcher,
    VerificationContext,
    VerificationResult,
    verify_credential,
)
from microcred.verify.context import MAX_CREDENTIAL_BYTES
from microcred.verify.foreign import DidWebResolver, RemoteDocuments, RemoteStatusLists
from microcred.verify.resolvers import FirstDidResolver, FirstStatusLists

_MARKS = {"ok": "ok", "warning": "warning", "error": "ERROR", "skipped": "skipped"}
_HEADERS = {
    Outcome.VERIFIED: "verified",
    Outcome.NOT_VERIFIED: "NOT VERIFIED",
    Outcome.COULD_NOT_CHECK: "NOT VERIFIED (could not be checked)",
}


class UsageError(Exception):
    """An option or file that makes the command unusable (exit 2)."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="verify signed credentials: signature, issuer, status, validity, QA, Annex I",
        description=(
            "Verify W3C VC 2.0 / Open Badges 3.0 credentials, offline. Exit 0: every "
            "credential verifies; 1: some does not; 2: a file could not be read."
        ),
    )
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="a credential file, or - for stdin"
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--did-document",
        action="append",
        default=[],
        metavar="FILE",
        help="a DID document to resolve its DID with (repeatable), e.g. a provider's did.json",
    )
    parser.add_argument(
        "--status-list",
        action="append",
        default=[],
        metavar="URL=FILE",
        help="the status list credential served at URL, read from FILE (repeatable)",
    )
    parser.add_argument(
        "--online",
        action="store_true",
        help="fetch DID documents and status lists of other did:web issuers over HTTPS "
        "(public addresses only; off by default)",
    )
    parser.add_argument(
        "--ca-file",
        metavar="FILE",
        help="with --online: trust the CA certificates in FILE (PEM) instead of the system's",
    )
    parser.add_argument(
        "--allow-network",
        action="append",
        default=[],
        metavar="CIDR",
        help="with --online: also contact addresses in this network, e.g. 10.0.0.0/8 "
        "(repeatable; for a private federation or tests)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        remote = _remote(args) if args.online else None
        ctx = _context(args.did_document, args.status_list, remote)
    except UsageError as exc:
        print(f"microcred verify: {exc}", file=sys.stderr)
        return 2
    status = 0
    for name in args.files:
        try:
            data = _read(name)
        except UsageError as exc:
            _report_unreadable(name, str(exc), args.format)
            status = 2
            continue
        result = verify_credential(data, ctx)
        if not result.verified and status == 0:
            status = 1
        if args.format == "json":
            _print_json(name, result, sys.stdout)
        else:
            _print_text(name, result, sys.stdout)
    return status


def _read(name: str) -> bytes:
    """At most one byte over the limit, so an oversized file fails ``format``, cheaply."""
    if name == "-":
        return sys.stdin.buffer.read(MAX_CREDENTIAL_BYTES + 1)
    path = Path(name)
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_CREDENTIAL_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder, not a file") from None
    except PermissionError:
        raise UsageError(f"not allowed to read {path}") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None


def _read_json_object(name: str, what: str) -> dict[str, Any]:
    try:
        value = load_json(_read(name), name)
    except ReadError as exc:
        raise UsageError(f"{what} {name}: {exc}") from None
    if not isinstance(value, dict):
        raise UsageError(f"{what} {name} is not a JSON object")
    return value


def _remote(args: argparse.Namespace) -> RemoteDocuments:
    if args.ca_file is not None and not Path(args.ca_file).is_file():
        raise UsageError(f"--ca-file {args.ca_file}: no such file")
    try:
        networks = parse_networks(args.allow_network)
    except ValueError as exc:
        raise UsageError(f"--allow-network: {exc}") from None
    return RemoteDocuments(FetchConfig(ca_file=args.ca_file, policy=AddressPolicy(networks)))


def _context(
    did_documents: list[str], status_lists: list[str], remote: RemoteDocuments | None = None
) -> VerificationContext:
    # What the command line gives comes first; then this instance's providers, status lists
    # and register, when there is one (see ``instance_context``); then, with --online, the
    # network.
    instance = instance_context()
    did_fallbacks: list[DidResolver] = [instance.did_resolver] if instance else []
    list_fallbacks: list[StatusListFetcher] = [instance.status_lists] if instance else []
    if remote is not None:
        did_fallbacks.append(DidWebResolver(remote))
        list_fallbacks.append(RemoteStatusLists(remote))
    resolver = StaticDidResolver(
        fallback=FirstDidResolver(*did_fallbacks) if did_fallbacks else None
    )
    for name in did_documents:
        document = _read_json_object(name, "DID document")
        try:
            resolver.add(document)
        except ValueError as exc:
            raise UsageError(f"DID document {name}: {exc}") from None
    lists: dict[str, dict[str, Any]] = {}
    for option in status_lists:
        url, equals, name = option.partition("=")
        if not equals or not url or not name:
            raise UsageError(f"--status-list takes URL=FILE, got {option!r}")
        lists[url] = _read_json_object(name, "status list")
    return VerificationContext(
        did_resolver=resolver,
        status_lists=StaticStatusLists(
            lists, fallback=FirstStatusLists(*list_fallbacks) if list_fallbacks else None
        ),
        qa_register=instance.qa_register if instance else None,
    )


#: Entry-point group of the installed instance, if any: a callable returning the
#: VerificationContext of the instance this command runs on (its database), or None.
CONTEXT_GROUP = "microcred.verification"


def instance_context() -> VerificationContext | None:
    """This instance's resolvers, when ``microcred`` runs next to a configured instance.

    Why a plugin: the core never touches a database, yet ``microcred verify`` on the server
    must check credentials of the instance's own providers offline (their did:web
    documents, status lists and QA standing live in its database). A plugin that fails is
    reported and skipped: verification then works as on any machine.
    """
    for entry in entry_points(group=CONTEXT_GROUP):
        try:
            context = entry.load()()
        except Exception as exc:  # a plugin's failure must not stop verification
            print(f"microcred verify: instance resolvers not used: {exc}", file=sys.stderr)
            continue
        if context is not None:
            return context  # type: ignore[no-any-return]
    return None


def _report_unreadable(name: str, message: str, fmt: str) -> None:
    if fmt == "json":
        print(json.dumps({"file": name, "error": message}, ensure_ascii=False))
    print(f"{name}: cannot read: {message}", file=sys.stderr)


def _print_json(name: str, result: VerificationResult, out: TextIO) -> None:
    """One JSON object per file and line: ``{"file", "verified", "outcome", "checks"}``."""
    out.write(json.dumps({"file": name, **result.as_dict()}, ensure_ascii=False) + "\n")


def _print_text(name: str, result: VerificationResult, out: TextIO) -> None:
    print(f"{name}: {_HEADERS[result.outcome]}", file=out)
    for check in result.checks:
        reason = f" [{check.reason}]" if check.reason and check.status.value != "ok" else ""
        mark = "UNCHECKED" if check.unchecked else _MARKS[check.status.value]
        print(f"  {mark:<9} {check.code:<9} {check.message}{reason}", file=out)
