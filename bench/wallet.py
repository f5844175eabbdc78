"""Wallet benchmark: presentation verification, microcred against the JS peer, side by side.

Run:  .venv/bin/python bench/wallet.py [--part presentations] [--seconds 3] [--json]

Issue 10 asks for three figures; ``--part`` picks one:

- ``presentations`` (built): verification of a ``VerifiablePresentation`` holding 1, 10 and
  50 credentials (``--sizes``). microcred's :func:`microcred.verify.presentation.
  verify_presentation` — the holder's ``authentication`` proof (eddsa-rdfc-2022), the
  challenge, the domain, the holder being every credential's subject, then the whole
  credential pipeline (format, proof, issuer, status, validity, QA, Annex I) on every
  credential — against Digital Bazaar's ``vc.verify`` with a presentation (``@digitalbazaar/vc``
  ``verifyPresentation``: the holder's proof with ``AuthenticationProofPurpose`` over the
  challenge and domain, then ``verifyCredential`` on every credential), with its Data
  Integrity ``eddsa-rdfc-2022`` suite and did:key resolution. Both verify the **same**
  microcred-built presentations.
- ``share`` (share-page render with live verification, p50/p95, a wallet of 1,000
  credentials) and ``pdf`` (certificates per second): in ``bench/wallet_pages.py`` (a Django
  instance on a fresh database; ``--db``, ``--wallet``, ``--views``, ``--pdfs``), run from here
  with ``--part share`` / ``--part pdf``. No peer: no other system renders these pages.

Status lists: the credentials carry no ``credentialStatus``, so neither side fetches or
checks a status list (microcred's ``status`` check is then ``skipped``; the peer's
``checkStatus`` is a stub in ``interop/node/peer.mjs`` anyway). There is no QA register (the
``qa`` check is ``skipped``) and no replay guard (the peer has none either).

Method, as ``bench/credentials.py`` (see bench/README.md): this process pinned to ``--cpu``,
the peer (one Node process, ``UV_THREADPOOL_SIZE=1``) to ``--peer-cpu``; never both at once
(the peer times its own loop inside Node while this process waits); interleaved repeats
(microcred, peer, microcred, ...); each figure the median of ``--repeats`` (3) runs after a
warm-up; CPU time and CPU share of each run printed as a contention check; the machine printed.
Before any timing, the peer must verify every microcred-built presentation and microcred a
peer-signed one of each size (and both must refuse a wrong challenge); the bench aborts
otherwise.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from bench.credentials import (  # noqa: E402
    _load,
    _print_table,
    _process_cpu_seconds,
    log,
    machine,
    summarise,
)
from bench.credentials import timed_run as credentials_timed_run  # noqa: E402
from tests.core.interop.peer import NodePeer, PeerError  # noqa: E402
from tests.core.interop.samples import micro_credential  # noqa: E402

from microcred.credentials import did_key  # noqa: E402
from microcred.credentials.data_integrity import add_proof  # noqa: E402
from microcred.credentials.fastpath import document_to_dataset  # noqa: E402
from microcred.credentials.keys import KeyPair  # noqa: E402
from microcred.credentials.loader import default_loader  # noqa: E402
from microcred.credentials.presentation import build_presentation  # noqa: E402
from microcred.verify import StaticDidResolver, VerificationContext  # noqa: E402
from microcred.verify.presentation import verify_presentation  # noqa: E402

PARTS = ("presentations", "share", "pdf")
SIZES = (1, 10, 50)
#: Issue 10's target: microcred at least this many times the peer.
TARGET = 10.0
SUITE = "eddsa-rdfc-2022"
#: The issuer's key (RFC 8032 test 1 secret) and the holder's, fixed so runs are reproducible.
ISSUER_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
HOLDER_SEED = bytes(range(32))
CREATED = "2025-06-30T12:00:05Z"
DOMAIN = "verifier.example.org"
#: Distinct signed credentials (different learners) the presentations are made of.
CREDENTIALS = 64
#: Distinct presentations per size (other credentials, other challenge) that microcred's loop
#: cycles through, so nothing can be remembered from one verification to the next.
PRESENTATIONS = 4
#: Warm-up: at least this many verifications and this many seconds (microcred); the peer's
#: warm-up is WARMUP_OPS verifications. A 50-credential presentation takes a large part of a
#: second in the peer: the fixed 20 of bench/credentials.py would make one run last minutes.
WARMUP_OPS = 3
WARMUP_SECONDS = 0.5


class BenchError(RuntimeError):
    """A sanity check failed: the figures would not compare like with like."""


class Presentations:
    """The keys, the signed credentials and, per size, the presentations and their challenges."""

    def __init__(self, sizes: tuple[int, ...]) -> None:
        self.issuer = KeyPair.from_seed(ISSUER_SEED)
        issuer_did = did_key.did_for(self.issuer.public)
        issuer_method = did_key.verification_method_id(self.issuer.public)
        self.holder = KeyPair.from_seed(HOLDER_SEED)
        self.holder_did = did_key.did_for(self.holder.public)
        self.holder_method = did_key.verification_method_id(self.holder.public)
        self.loader = default_loader()
        self.ctx = VerificationContext(did_resolver=StaticDidResolver(), loader=self.loader)
        self.credentials = []
        for i in range(CREDENTIALS):
            document = micro_credential(issuer_did, i, credentialStatus=None)
            document["credentialSubject"]["id"] = self.holder_did
            self.credentials.append(
                add_proof(
                    document,
                    self.issuer,
                    issuer_method,
                    SUITE,
                    created=CREATED,
                    loader=self.loader,
                )
            )
        #: size -> [(challenge, presentation)]
        self.by_size: dict[int, list[tuple[str, dict[str, Any]]]] = {
            size: [self._build(size, k) for k in range(PRESENTATIONS)] for size in sizes
        }

    def chosen(self, size: int, k: int) -> list[dict[str, Any]]:
        return [self.credentials[(k * size + j) % CREDENTIALS] for j in range(size)]

    def _build(self, size: int, k: int) -> tuple[str, dict[str, Any]]:
        challenge = f"bench-{size}-{k}"
        presentation = build_presentation(
            self.chosen(size, k),
            self.holder_did,
            self.holder,
            self.holder_method,
            challenge=challenge,
            domain=DOMAIN,
            cryptosuite=SUITE,
            created=CREATED,
            loader=self.loader,
        )
        return challenge, presentation

    def verify(self, challenge: str, presentation: dict[str, Any]) -> Any:
        return verify_presentation(presentation, self.ctx, challenge=challenge, domain=DOMAIN)

    def step(self, size: int) -> Callable[[int], object]:
        pool = self.by_size[size]

        def verify_one(i: int) -> object:
            challenge, presentation = pool[i % len(pool)]
            result = self.verify(challenge, presentation)
            if not result.verified:
                raise BenchError(
                    f"microcred did not verify its own {size}-credential presentation: "
                    f"{result.as_dict()['checks']}"
                )
            return result

        return verify_one


# -- timing ----------------------------------------------------------------------------------


def timed_run(step: Callable[[int], object], seconds: float) -> dict[str, float]:
    """bench/credentials.py's timed run with the smaller warm-up of this bench."""
    return credentials_timed_run(step, seconds, WARMUP_OPS, WARMUP_SECONDS)


def peer_run(
    peer: NodePeer, challenge: str, presentation: dict[str, Any], seconds: float, hint: float
) -> dict[str, float]:
    """One timed run inside Node: about ``seconds`` of verifications after the warm-up."""
    n = max(WARMUP_OPS, math.ceil(hint * seconds))
    pid: int | None = getattr(getattr(peer, "_process", None), "pid", None)
    cpu_before = _process_cpu_seconds(pid) if pid else None
    wall_before = time.perf_counter()
    response = peer.request(
        "bench",
        timeout=max(600.0, seconds * 50),
        kind="verifyPresentation",
        presentation=presentation,
        challenge=challenge,
        domain=DOMAIN,
        n=n,
        warmup=WARMUP_OPS,
    )
    wall = time.perf_counter() - wall_before
    cpu_after = _process_cpu_seconds(pid) if pid else None
    run: dict[str, float] = {
        "n": response["n"],
        "seconds": response["seconds"],
        "per_second": response["per_second"],
    }
    if cpu_before is not None and cpu_after is not None and cpu_after > cpu_before:
        cpu = cpu_after - cpu_before  # the whole request, warm-up and copies included
        run["cpu_seconds"] = cpu
        run["cpu_share"] = cpu / wall
        run["cpu_per_second"] = (n + WARMUP_OPS) / cpu
    return run


# -- sanity ----------------------------------------------------------------------------------


def sanity(peer: NodePeer, work: Presentations, size: int) -> dict[str, Any]:
    """Both sides agree on this size's presentations before anything is timed."""
    for challenge, presentation in work.by_size[size]:
        verified, problem = peer.verify_presentation(
            presentation, challenge=challenge, domain=DOMAIN
        )
        if not verified:
            raise BenchError(
                f"the peer rejects microcred's {size}-credential presentation: {problem}"
            )
        wrong, _ = peer.verify_presentation(presentation, challenge="other", domain=DOMAIN)
        if wrong:
            raise BenchError("the peer accepts a presentation under the wrong challenge")
    challenge = f"peer-{size}"
    unsigned = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": work.holder_did,
        "verifiableCredential": work.chosen(size, 0),
    }
    theirs = peer.sign_presentation(
        unsigned, SUITE, seed=HOLDER_SEED, challenge=challenge, domain=DOMAIN, created=CREATED
    )
    result = work.verify(challenge, theirs)
    if not result.verified or len(result.credentials) != size:
        raise BenchError(
            f"microcred rejects the peer's {size}-credential presentation: "
            f"{result.as_dict()['checks']}"
        )
    if work.verify("other", theirs).verified:
        raise BenchError("microcred accepts a presentation under the wrong challenge")
    checks = {check.code: check.status.value for check in result.credentials[0].checks}
    first = work.by_size[size][0][1]
    # microcred's presentation of the same credentials under the same challenge and created
    mine = build_presentation(
        work.chosen(size, 0),
        work.holder_did,
        work.holder,
        work.holder_method,
        challenge=challenge,
        domain=DOMAIN,
        cryptosuite=SUITE,
        created=CREATED,
        loader=work.loader,
    )
    return {
        "peer_verified_microcred": len(work.by_size[size]),
        "microcred_verified_peer": 1,
        "same_proof_value_as_peer": theirs["proof"]["proofValue"] == mine["proof"]["proofValue"],
        "presentation_bytes": len(json.dumps(first).encode("utf-8")),
        "credential_checks": checks,
        "presentation_on_fast_path": document_to_dataset(
            {k: v for k, v in first.items() if k != "proof"}, work.loader
        )
        is not None,
    }


# -- parts -----------------------------------------------------------------------------------


def run_presentations(args: argparse.Namespace, peer: NodePeer) -> dict[str, Any]:
    sizes = tuple(args.sizes)
    log(f"signing {CREDENTIALS} credentials and {PRESENTATIONS} presentations per size {sizes}")
    work = Presentations(sizes)
    sanity_results: dict[str, Any] = {}
    measurements: list[dict[str, Any]] = []
    for size in sizes:
        log(f"{size} credential(s): checking the presentations against the peer")
        sanity_results[str(size)] = sanity(peer, work, size)
        step = work.step(size)
        challenge, presentation = work.by_size[size][0]
        # a first short peer run warms Node up and gives the rate that sizes its runs
        hint = peer_run(peer, challenge, presentation, 0.0, 0.0)["per_second"]
        runs: dict[str, list[dict[str, float]]] = {"microcred": [], "peer": []}
        for repeat in range(args.repeats):
            runs["microcred"].append(timed_run(step, args.seconds))
            run = peer_run(peer, challenge, presentation, args.seconds, hint)
            hint = run["per_second"]
            runs["peer"].append(run)
            log(
                f"  {size} #{repeat + 1}: "
                + ", ".join(f"{m} {r[-1]['per_second']:.2f}/s" for m, r in runs.items())
            )
        entry: dict[str, Any] = {"size": size}
        for side, side_runs in runs.items():
            entry[side] = summarise(side_runs)
        entry["ratio"] = entry["microcred"]["per_second"] / entry["peer"]["per_second"]
        entry["ratio_runs"] = [
            mine["per_second"] / theirs["per_second"]
            for mine, theirs in zip(runs["microcred"], runs["peer"], strict=True)
        ]
        if "cpu_per_second" in entry["microcred"] and "cpu_per_second" in entry["peer"]:
            entry["ratio_cpu"] = (
                entry["microcred"]["cpu_per_second"] / entry["peer"]["cpu_per_second"]
            )
        entry["target"] = TARGET
        entry["target_met"] = entry["ratio"] >= TARGET
        measurements.append(entry)
    return {"sanity": sanity_results, "measurements": measurements}


# -- report ----------------------------------------------------------------------------------


def _fmt_rate(summary: dict[str, Any]) -> str:
    return f"{summary['per_second']:,.2f} ({summary['ms_per_op']:.1f} ms)"


def print_report(report: dict[str, Any]) -> None:
    m = report["machine"]
    c = report["config"]
    print("Machine")
    print(f"  CPU      {m['cpu_model']}, {m['cores']} cores, {m['ram_gib']} GiB RAM")
    print(f"  OS       {m['os']}")
    print(
        f"  Python   {m['python']}  "
        + "  ".join(f"{k} {v}" for k, v in m["python_packages"].items())
    )
    print(f"  Node     {m['node']}")
    print("  npm      " + ", ".join(f"{k}@{v}" for k, v in m["npm_packages_pinned"].items()))
    mismatched = {
        k: v for k, v in m["npm_packages_installed"].items() if v != m["npm_packages_pinned"].get(k)
    }
    if mismatched:
        print(f"  WARNING: installed npm versions differ from package.json: {mismatched}")
    print(f"  load     {c['load_before']} before, {c['load_after']} after (1/5/15 min)")
    print()
    print(
        f"Presentation verification ({SUITE} holder proof, challenge + domain, credentials "
        f"{SUITE}). microcred on CPU {c['cpu']}, peer on CPU {c['peer_cpu']}, one at a time; "
        f"{c['seconds']} s per run, median of {c['repeats']} runs, after a warm-up."
    )
    print(f"  microcred: {c['microcred']}")
    print(f"  peer:      {c['peer']}")
    print(f"  status:    {c['status']}")
    for size, s in report["sanity"].items():
        print(
            f"  {size} credential(s): {s['presentation_bytes']:,} B presentation; "
            f"{s['peer_verified_microcred']} microcred-built verified by the peer, the peer's "
            f"verified by microcred, a wrong challenge refused by both; same proofValue as "
            f"the peer: {'yes' if s['same_proof_value_as_peer'] else 'no'}; presentation on "
            f"microcred's fast path: {'yes' if s['presentation_on_fast_path'] else 'no'}"
        )
    first = next(iter(report["sanity"].values()))
    print(
        "  microcred's checks of each credential: "
        + ", ".join(f"{k} {v}" for k, v in first["credential_checks"].items())
    )
    print()
    header = ["credentials", "microcred/s (ms/op)", "peer/s (ms/op)", "ratio", "per run"]
    header += ["target", "met"]
    rows = [
        [
            str(e["size"]),
            _fmt_rate(e["microcred"]),
            _fmt_rate(e["peer"]),
            f"{e['ratio']:.1f}x",
            f"{min(e['ratio_runs']):.1f}-{max(e['ratio_runs']):.1f}x",
            f">= {e['target']:g}x",
            "yes" if e["target_met"] else "NO",
        ]
        for e in report["measurements"]
    ]
    _print_table(header, rows)
    print(
        "\nratio = median microcred/s / median peer/s; per run = the range of the ratios of "
        "the interleaved runs."
    )
    cpu_rows = [
        [
            str(e["size"]),
            f"{e['microcred']['cpu_per_second']:,.2f}",
            f"{e['microcred']['cpu_share']:.2f}",
            f"{e['peer']['cpu_per_second']:,.2f}",
            f"{e['peer']['cpu_share']:.2f}",
            f"{e['ratio_cpu']:.1f}x",
        ]
        for e in report["measurements"]
        if "ratio_cpu" in e
    ]
    if cpu_rows:
        print(
            "\nPer CPU second (a CPU share well under 1.00 means other work took the core; "
            "the peer's CPU time includes its warm-up)"
        )
        _print_table(
            ["credentials", "microcred/cpu-s", "cpu share", "peer/cpu-s", "cpu share", "ratio"],
            cpu_rows,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=PARTS, default="presentations")
    if argv is None:
        argv = sys.argv[1:]
    chosen, _ = parser.parse_known_args(argv)
    if chosen.part in ("share", "pdf"):
        import wallet_pages

        return wallet_pages.main(argv, chosen.part)
    parser.add_argument("--seconds", type=float, default=3.0, help="timed seconds per run")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure (median)")
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=list(SIZES),
        help="credentials per presentation (1 10 50)",
    )
    parser.add_argument("--json", action="store_true", help="print machine-readable results")
    parser.add_argument("--cpu", type=int, default=0, help="CPU for this process (0)")
    parser.add_argument(
        "--peer-cpu", type=int, default=None, help="CPU for the peer (the other core if any)"
    )
    args = parser.parse_args(argv)
    if any(size < 1 for size in args.sizes):
        parser.error("--sizes: each size must be at least 1")

    available = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {args.cpu})  # one core for this process, before any other thread
    if args.peer_cpu is None:
        others = [cpu for cpu in available if cpu != args.cpu]
        args.peer_cpu = others[0] if others else args.cpu

    load_before = _load()
    try:
        peer = NodePeer.start(cpu=args.peer_cpu)
        versions = peer.versions()["versions"]
    except PeerError as error:
        log(f"error: the interop peer did not start: {error}")
        return 2
    try:
        results = run_presentations(args, peer)
    except (BenchError, PeerError) as error:
        log(f"error: {error}")
        return 1
    finally:
        peer.close()
    report: dict[str, Any] = {
        "part": args.part,
        "machine": machine(versions),
        "config": {
            "seconds": args.seconds,
            "repeats": args.repeats,
            "cpu": args.cpu,
            "peer_cpu": args.peer_cpu,
            "microcred": (
                "microcred.verify.presentation.verify_presentation (proof, challenge, domain, "
                "holder, then verify_credential on every credential); no replay guard"
            ),
            "peer": (
                "@digitalbazaar/vc verify with a presentation (verifyPresentation: holder proof, "
                "challenge, domain, then verifyCredential on every credential)"
            ),
            "status": (
                "the credentials carry no credentialStatus: no status list is fetched or "
                "checked on either side (microcred: status skipped; peer: checkStatus stub)"
            ),
            "load_before": load_before,
            "load_after": _load(),
        },
        **results,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
