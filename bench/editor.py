"""The specification editor's validation round trip: what a provider waits for while typing.

Run:  .venv/bin/python bench/editor.py [--requests 500] [--db sqlite|postgres]

What it does: the request the editor's script sends as the provider types, ``POST
/api/v1/specifications/validate`` with the JSON of a realistic specification (every Annex I
element, three languages, six learning outcomes with ESCO skills, two QA types, and three
errors the live check must name), through Django's test client: the whole middleware stack,
CSP, the strict JSON parser, the rate limit's code path (limits off, as in bench/load.py, so
the counter does not refuse the run), the core's parse and validation, the Problem-shaped
answer. The answer is checked (its three error codes at their paths) every time. The first 20
requests are warm-up and not counted. p50/p95/max in milliseconds, and the machine.

Target (issue 11): p95 well under the editor's 350 ms typing pause, so a finding appears
as soon as the provider stops typing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _django

WARM_UP = 20

#: What a provider has typed half way: complete but for three mistakes.
SPEC: dict[str, Any] = {
    "id": "DS-101",
    "title": {
        "en": "Data stewardship for researchers",
        "nl": "Datastewardship voor onderzoekers",
        "fr": "Gestion des données pour chercheurs",
    },
    "description": {
        "en": "Plan, document, store and share research data following the FAIR principles. " * 4,
        "nl": "Onderzoeksdata plannen, documenteren, opslaan en delen volgens FAIR. " * 4,
    },
    "issuer_countries": ["NL", "BE"],
    "issuer_regions": ["Groningen"],
    "awarding_bodies": [
        {
            "name": {"en": "North Sea University", "nl": "Noordzee Universiteit"},
            "country": "NL",
            "id": "did:web:issuer.example:providers:north-sea-university",
            "homepage": "https://nsu.example",
        },
        {"name": {"en": "Flanders Data School"}, "country": "BE"},
    ],
    "learning_outcomes": [
        {
            "text": {"en": f"Outcome {i}: apply a data management step", "nl": f"Resultaat {i}"},
            "esco_skill": f"http://data.europa.eu/esco/skill/{i:04d}",
            "related_skills": ["https://digcomp.example/1.3"],
        }
        for i in range(1, 7)
    ],
    "workload": {"ects": "five", "hours": 140},  # error: not a number
    "level": {"eqf": 7, "qf_ehea": "second"},
    "assessment": {
        "types": ["project", "online-test"],
        "title": {"en": "Data management plan and quiz"},
    },
    "participation": {"mode": "blended", "scheduled": True},
    "supervision": "supervised-online-id",
    "grade_scheme": {"en": "Pass / fail"},
    "quality_assurance": [
        {"type": "external-institutional", "agency": "NVAO", "report_url": "https://r.example"},
        {"type": "internal"},
    ],
    "stackability": {"option": "stackable", "towards": {"en": "MSc Data Science"}},
    "prerequisites": {"en": "A bachelor's degree in any field."},
    "further_information": {"en": "Runs twice a year."},
    "fields_of_study": ["0688", "0542", "0613X"],  # error: unknown code
    "languages": ["en", "nl"],
    "duration": "P10W",
    "learning_setting": "non-formal",
    "url": "nsu.example/ds-101",  # error: not an absolute URI
}
EXPECTED = {
    ("invalid-value", "workload.ects"),
    ("unknown-code", "fields_of_study[2]"),
    ("invalid-uri", "url"),
}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(requests: int) -> dict[str, Any]:
    from django.test import Client

    client = Client(HTTP_HOST="issuer.example")
    body = json.dumps(SPEC)
    millis = []
    for i in range(requests + WARM_UP):
        t0 = time.perf_counter()
        response = client.post(
            "/api/v1/specifications/validate",
            body,
            content_type="application/json",
            secure=True,
        )
        elapsed = (time.perf_counter() - t0) * 1000
        if response.status_code != 200:
            raise SystemExit(f"error: validate answered {response.status_code}")
        found = {(f["code"], f["path"]) for f in response.json()["findings"]}
        if not EXPECTED.issubset(found):
            raise SystemExit(f"error: the answer misses {EXPECTED - found}")
        if i >= WARM_UP:
            millis.append(elapsed)
    return {
        "requests": len(millis),
        "body_bytes": len(body.encode()),
        "p50_ms": round(statistics.median(millis), 2),
        "p95_ms": round(_percentile(millis, 0.95), 2),
        "max_ms": round(max(millis), 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500, help="timed requests")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args(argv)
    os.environ["MICROCRED_RATE_LIMITS_ENABLED"] = "0"
    os.environ.setdefault("MICROCRED_IDENTIFIER_KEY", "bench-identifier-key-" + "y" * 20)
    import credentials

    print("machine:", json.dumps(credentials.machine({}), sort_keys=True))
    with (
        tempfile.TemporaryDirectory(prefix="mc-bench-editor-") as tmp,
        _django.django_for(args.db, Path(tmp)) as described,
    ):
        print(f"database: {described}; {_django.load()}", flush=True)
        row = run(args.requests)
    print(
        f"validation round trip ({row['body_bytes']:,}-byte specification, "
        f"{row['requests']} requests): p50 {row['p50_ms']:.2f} ms  p95 {row['p95_ms']:.2f} ms"
        f"  max {row['max_ms']:.2f} ms"
    )
    print("  target: p95 well under the editor's 350 ms typing pause")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
