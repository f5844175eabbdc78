"""Wallet pages under load: the public share page (verified live at every view) and the
printable certificate, on a fresh database holding a wallet of 1,000 credentials.

Run:  .venv/bin/python bench/wallet.py --part share|pdf [--db sqlite|postgres] [--views 300]
      (or this file directly with the same options)

What it does: one provider (with a positive QA result, as the share page shows it), one
published specification, ``--wallet`` credentials issued to distinct e-mail addresses and all
kept in one learner's wallet (issuing is idempotent per specification and learner, so a wallet
of 1,000 credentials of one provider needs 1,000 identifiers), then:

- ``share``: a share link of one entry and one of a 10-credential collection; ``--views``
  GETs of each through Django's test client (the full middleware stack, CSP and rate-limit
  code included; rate limits off, as in bench/load.py, so the counter does not refuse the
  run), each view verifying the credential live (proof, DID document, status list, QA
  standing). p50/p95/max in milliseconds; the first 10 views are warm-up and not counted.
- ``pdf``: ``--pdfs`` downloads of the certificate of one entry by the signed-in learner
  (share link made, PDF/UA rendered with WeasyPrint, QR, attachment): PDFs per second.

Targets (issue 10): share page p95 under 30 ms here; PDFs per second reported.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _django
import catalogue as core_bench
from bulk_issue import SPEC


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _summary(name: str, millis: list[float]) -> dict[str, Any]:
    return {
        "page": name,
        "views": len(millis),
        "p50_ms": round(statistics.median(millis), 2),
        "p95_ms": round(_percentile(millis, 0.95), 2),
        "max_ms": round(max(millis), 2),
    }


def _wallet(size: int) -> tuple[Any, list[Any]]:
    """A learner account holding ``size`` credentials issued here; returns (account, entries)."""
    from datetime import date

    from django.contrib.auth import get_user_model

    from microcred_web.issuing import issue
    from microcred_web.issuing.keys import ensure_key
    from microcred_web.register.models import Agency, QAResult
    from microcred_web.register.services import save_specification
    from microcred_web.wallet.models import EntrySource, LearnerAccount, WalletEntry

    user = _django.operator()
    provider = _django.create_provider("north-sea-university", name="North Sea University")
    agency = Agency.objects.create(
        slug="nvao",
        name={"en": "NVAO"},
        acronym="NVAO",
        countries=["NL", "BE"],
        eqar_registered_since=date(2008, 5, 1),
    )
    qa = QAResult.objects.create(
        agency=agency,
        activity="institutional",
        decision="positive",
        valid_from=date(2020, 1, 1),
        valid_until=date(2031, 12, 31),
        covers_microcredentials=True,
    )
    qa.providers.add(provider)
    saved = save_specification(user, provider, SPEC, status="published")
    assert saved.specification is not None, saved.findings
    ensure_key(provider)
    run = issue.prepare(user, saved.specification)
    learner_user = get_user_model().objects.create(username="learner-bench")
    learner_user.set_unusable_password()
    learner_user.save()
    account = LearnerAccount.objects.create(user=learner_user)
    started = time.perf_counter()
    entries = []
    for i in range(size):
        outcome = issue.issue_credential(
            user,
            saved.specification,
            issue.Learner(f"learner{i}@example.org", f"Learner {i}"),
            run=run,
        )
        entries.append(
            WalletEntry(account=account, source=EntrySource.ISSUED_HERE, issued=outcome.record)
        )
    WalletEntry.objects.bulk_create(entries, batch_size=500)
    print(
        f"wallet: {size:,} credentials issued in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return account, list(WalletEntry.objects.filter(account=account).order_by("pk"))


def _time_gets(client: Any, path: str, views: int, **extra: Any) -> list[float]:
    millis = []
    for i in range(views + 10):
        t0 = time.perf_counter()
        response = client.get(path, secure=True, **extra)
        elapsed = (time.perf_counter() - t0) * 1000
        if response.status_code != 200:
            raise SystemExit(f"error: GET {path} answered {response.status_code}")
        if i >= 10:
            millis.append(elapsed)
    return millis


def run_share(account: Any, entries: list[Any], views: int) -> list[dict[str, Any]]:
    from django.test import Client

    from microcred_web.wallet.models import Collection
    from microcred_web.wallet.sharing import create_share

    client = Client(HTTP_HOST="issuer.example")
    _, token = create_share(account, entry=entries[len(entries) // 2], label="bench")
    one = client.get(f"/s/{token}/", secure=True)
    body = one.content.decode()
    if "Result: verified" not in body:
        print(one.status_code, dict(one.headers), body[:300])
        raise SystemExit("error: the share page does not show a verified credential")
    collection = Collection.objects.create(account=account, name="Ten")
    collection.entries.add(*entries[:10])
    _, many = create_share(account, collection=collection, label="bench collection")
    return [
        _summary("share page, one credential", _time_gets(client, f"/s/{token}/", views)),
        _summary(
            "share page, collection of 10", _time_gets(client, f"/s/{many}/", max(30, views // 5))
        ),
    ]


def run_pdf(account: Any, entries: list[Any], pdfs: int) -> dict[str, Any]:
    from django.test import Client

    client = Client(HTTP_HOST="issuer.example")
    client.force_login(account.user)
    path = f"/wallet/credentials/{entries[0].public_id}/certificate.pdf"
    first = client.get(path, secure=True)
    if first.status_code != 200 or not first.content.startswith(b"%PDF"):
        raise SystemExit(f"error: {path} answered {first.status_code}, not a PDF")
    started = time.perf_counter()
    cpu = time.process_time()
    for _ in range(pdfs):
        if client.get(path, secure=True).status_code != 200:
            raise SystemExit(f"error: {path} failed")
    wall = time.perf_counter() - started
    return {
        "pdfs": pdfs,
        "seconds": round(wall, 2),
        "pdfs_per_second": round(pdfs / wall, 2),
        "cpu_share": round((time.process_time() - cpu) / wall, 2),
        "bytes": len(first.content),
    }


def main(argv: list[str] | None = None, part: str = "share") -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["share", "pdf"], default=part)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--wallet", type=int, default=1000, help="credentials in the wallet")
    parser.add_argument("--views", type=int, default=300, help="timed views per share page")
    parser.add_argument("--pdfs", type=int, default=20, help="certificates to render")
    args, _ = parser.parse_known_args(argv)
    if args.wallet < 10:
        parser.error("--wallet: at least 10 (the collection holds 10)")
    os.environ["MICROCRED_RATE_LIMITS_ENABLED"] = "0"
    os.environ.setdefault("MICROCRED_IDENTIFIER_KEY", "bench-identifier-key-" + "y" * 20)
    print(core_bench.machine())
    with (
        tempfile.TemporaryDirectory(prefix="mc-bench-wallet-") as tmp,
        _django.django_for(args.db, Path(tmp)) as described,
    ):
        print(f"database: {described}; {_django.load()}", flush=True)
        from django.conf import settings

        # Claim messages go nowhere: the mail server is not what is measured.
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        # Static file names without the collectstatic manifest (`make serve` builds it): the
        # page's work is the same, only the stylesheet's name differs.
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        account, entries = _wallet(args.wallet)
        if args.part == "share":
            rows = run_share(account, entries, args.views)
            print(f"share page with live verification, wallet of {args.wallet:,} credentials:")
            for row in rows:
                print(
                    f"  {row['page']:<32} {row['views']:>4} views  p50 {row['p50_ms']:7.2f} ms"
                    f"  p95 {row['p95_ms']:7.2f} ms  max {row['max_ms']:7.2f} ms"
                )
            print("  target: p95 under 30 ms (one credential)")
        else:
            pdf = run_pdf(account, entries, args.pdfs)
            print(
                f"certificate PDF: {pdf['pdfs']} in {pdf['seconds']} s = "
                f"{pdf['pdfs_per_second']} PDFs/s (cpu share {pdf['cpu_share']}, "
                f"{pdf['bytes']:,} bytes each)"
            )
        print(f"after: {_django.load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
