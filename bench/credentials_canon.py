"""Canonicalisation micro-benchmark: general (pyld) path against the compiled fast path.

Run:  .venv/bin/python bench/credentials_canon.py [--seconds 0.3] [--repeats 3] [--json]

For each document, milliseconds per credential, general path then fast path:

- ``canon``: the eddsa-rdfc-2022 transformation work for one credential, i.e. canonical
  N-Quads of the document *and* of its proof configuration (what signing and verifying each
  do once);
- ``dataset`` / ``rdfc``: the fast path's two halves for the document alone (compact JSON to
  quads over compiled contexts; RDFC-1.0 over those quads);
- ``sign`` / ``verify``: ``data_integrity.add_proof`` / ``verify_proof`` end to end
  (eddsa-rdfc-2022, Ed25519, did:key resolution), switching
  ``microcred.credentials.rdfc.USE_FAST_PATH``.

Documents: the W3C vc-di-eddsa vector credential (with the W3C examples context, as the
tests allow it), the 1EdTech OBv3 vector, and a realistic 4-5 KB OBv3 micro-credential
(``tests/core/interop/samples.py``, the one ``bench/credentials.py`` uses). Before timing,
each document's canonical form must be byte-identical on both paths and the fast path must
have handled it (no fallback); the bench aborts otherwise.

Timing: a warm-up, then each measurement is a loop of ``--seconds``; the figure is the
median of ``--repeats`` loops. One process, one thread.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from tests.core.interop.samples import micro_credential  # noqa: E402

from microcred.credentials import did_key, rdfc  # noqa: E402
from microcred.credentials.data_integrity import add_proof, verify_proof  # noqa: E402
from microcred.credentials.fastpath import document_to_dataset  # noqa: E402
from microcred.credentials.keys import KeyPair  # noqa: E402
from microcred.credentials.loader import ContextLoader, default_loader, loader_with  # noqa: E402

FIXTURES = PROJECT_ROOT / ".." / "shared" / "fixtures"
EXAMPLES_CONTEXT_URL = "https://www.w3.org/ns/credentials/examples/v2"
SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
CREATED = "2025-06-30T12:00:05Z"


class BenchError(RuntimeError):
    """The two paths disagree, or the fast path fell back: the figures would mean nothing."""


def _fixture(*parts: str) -> Any:
    return json.loads(FIXTURES.joinpath(*parts).read_text(encoding="utf-8"))


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, Any]:
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "load_1_5_15": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "pyld": importlib.metadata.version("pyld"),
        "cryptography": importlib.metadata.version("cryptography"),
    }


@contextmanager
def fast_path(enabled: bool) -> Iterator[None]:
    saved = rdfc.USE_FAST_PATH
    rdfc.USE_FAST_PATH = enabled
    try:
        yield
    finally:
        rdfc.USE_FAST_PATH = saved


def ms_per_op(step: Callable[[], object], seconds: float, repeats: int) -> float:
    """Median over ``repeats`` loops of ``seconds`` each, in milliseconds per call."""
    for _ in range(5):
        step()
    results = []
    for _ in range(repeats):
        count = 0
        start = time.perf_counter()
        deadline = start + seconds
        while True:
            step()
            count += 1
            now = time.perf_counter()
            if now >= deadline:
                break
        results.append((now - start) / count * 1000)
    return statistics.median(results)


def proof_config(document: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": document["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": CREATED,
        "verificationMethod": "did:key:z6Mk#z6Mk",
        "proofPurpose": "assertionMethod",
    }


def documents() -> list[tuple[str, dict[str, Any], ContextLoader]]:
    examples = loader_with(
        {EXAMPLES_CONTEXT_URL: _fixture("contexts", "credentials-examples-v2.jsonld")}
    )
    obv3 = _fixture("obv3", "test-vectors", "signed-obv3-eddsa-rdfc-2022.json")
    del obv3["proof"]
    key = KeyPair.from_seed(SEED)
    return [
        ("W3C vc-di-eddsa vector", _fixture("w3c-eddsa-vectors", "unsigned.json"), examples),
        ("1EdTech OBv3 vector", obv3, default_loader()),
        ("micro-credential", micro_credential(did_key.did_for(key.public), 7), default_loader()),
    ]


def check(name: str, document: dict[str, Any], loader: ContextLoader) -> None:
    for doc in (document, proof_config(document)):
        if document_to_dataset(doc, loader) is None:
            raise BenchError(f"{name}: the fast path fell back")
        fast = rdfc.canonical_nquads(doc, loader)
        with fast_path(False):
            general = rdfc.canonical_nquads(doc, loader)
        if fast != general:
            raise BenchError(f"{name}: the two paths give different canonical N-Quads")


def measure_document(
    name: str,
    document: dict[str, Any],
    loader: ContextLoader,
    key: KeyPair,
    args: argparse.Namespace,
) -> dict[str, Any]:
    check(name, document, loader)
    method = did_key.verification_method_id(key.public)
    config = proof_config(document)
    signed = add_proof(document, key, method, created=CREATED, loader=loader)

    def canon() -> object:
        rdfc.canonical_nquads(document, loader)
        return rdfc.canonical_nquads(config, loader)

    def sign() -> object:
        return add_proof(document, key, method, created=CREATED, loader=loader)

    def verify() -> object:
        result = verify_proof(signed, did_key.resolve_verification_key, loader)
        if not result.verified:
            raise BenchError(f"{name}: {result.message}")
        return result

    quads = document_to_dataset(document, loader)
    assert quads is not None
    row: dict[str, Any] = {
        "document": name,
        "bytes": len(json.dumps(document, ensure_ascii=False).encode()),
        "quads": len(quads),
    }
    for label, step in (("canon", canon), ("sign", sign), ("verify", verify)):
        with fast_path(False):
            general = ms_per_op(step, args.seconds, args.repeats)
        with fast_path(True):
            fast = ms_per_op(step, args.seconds, args.repeats)
        row[label] = {"general_ms": general, "fast_ms": fast, "speedup": general / fast}
    row["fast_dataset_ms"] = ms_per_op(
        lambda: document_to_dataset(document, loader), args.seconds, args.repeats
    )
    row["rdfc_ms"] = ms_per_op(lambda: rdfc.canonicalize(quads), args.seconds, args.repeats)
    return row


def measure(args: argparse.Namespace) -> dict[str, Any]:
    key = KeyPair.from_seed(SEED)
    rows = [
        measure_document(name, document, loader, key, args)
        for name, document, loader in documents()
    ]
    return {"machine": machine(), "seconds": args.seconds, "repeats": args.repeats, "rows": rows}


def print_report(report: dict[str, Any]) -> None:
    info = report["machine"]
    print(f"machine: {info['cpu']}, {info['cores']} cores, {info['os']}")
    print(
        f"python {info['python']}, pyld {info['pyld']}, cryptography {info['cryptography']}, "
        f"load {info['load_1_5_15']}"
    )
    print(f"median of {report['repeats']} loops of {report['seconds']} s; ms per credential\n")
    header = f"{'document':<24} {'bytes':>6} {'quads':>5}  {'step':<7} {'general':>8} {'fast':>8} "
    print(header + f"{'x':>6}")
    for row in report["rows"]:
        for index, label in enumerate(("canon", "sign", "verify")):
            figures = row[label]
            lead = (
                f"{row['document']:<24} {row['bytes']:>6} {row['quads']:>5}"
                if index == 0
                else " " * 37
            )
            print(
                f"{lead}  {label:<7} {figures['general_ms']:>8.3f} {figures['fast_ms']:>8.3f} "
                f"{figures['speedup']:>5.1f}x"
            )
        print(
            f"{'':<37}  fast document alone: dataset {row['fast_dataset_ms']:.3f} ms"
            f" + RDFC-1.0 {row['rdfc_ms']:.3f} ms"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=0.3, help="length of one timed loop")
    parser.add_argument("--repeats", type=int, default=3, help="loops per figure (median)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args()
    try:
        report = measure(args)
    except BenchError as error:
        print(f"bench aborted: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
