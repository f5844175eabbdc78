"""Catalogue search benchmark: index N synthetic specifications, time a mix of searches.

Run:  .venv/bin/python bench/catalogue.py [--n 100000] [--queries 800] [--index-dir DIR]

Titles are in 8 languages (English, German, French, Spanish, Italian, Portuguese, Dutch,
Polish), with German compounds and inflected forms, and the text queries mix the titles' words
with other forms of them ("Roboter", "energii", "reseaux"), so the per-language stemming and
the n-gram field are exercised (decision 0021).

Why synthetic data: the target (1,000,000 specifications, p95 < 50 ms with 11 facet counts)
is far beyond any real catalogue today, so the data is generated, deterministically (same
--seed, same data, same queries), with the spread a real catalogue has: multilingual titles,
1-6 learning outcomes, real ISCED-F detailed fields, EQF levels, fractional ECTS, several
countries and languages, thousands of providers of every kind.

It measures the core search service (``microcred.catalogue.SearchIndex``) that the web layer
and the API call; the database side (import into SQLite / PostgreSQL) is measured by the web
layer's own bench. See bench/README.md for what the output means.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import tantivy

from microcred.catalogue import CatalogueEntry, SearchIndex, SearchQuery
from microcred.standard.vocab import vocabulary

# -- synthetic data ------------------------------------------------------------------------


def _w(text: str) -> list[str]:
    return text.split()


_TOPICS = {
    "en": _w(
        "data science energy solar wind battery farming soil water health nursing care "
        "software cloud security network robotics welding logistics tourism marketing finance "
        "accounting law ethics teaching language design sustainability climate circular economy "
        "management leadership entrepreneurship chemistry physics biology statistics python "
        "analytics blockchain hydrogen mobility construction heritage journalism"
    ),
    "de": _w(
        "Daten Energie Pflege Landwirtschaft Sicherheit Netzwerk Logistik Tourismus Recht "
        "Nachhaltigkeit Klima Führung Chemie Physik Statistik Bauwesen Wasserstoff Mobilität "
        "Industrieroboter Energiewende Datenbanken Pflegekräfte Netzwerksicherheit "
        "Solarenergie Gebäudetechnik Energieeffizienz Kreislaufwirtschaft Betriebswirtschaft"
    ),
    "fr": _w(
        "données énergie santé soins agriculture sécurité réseau logistique tourisme droit "
        "durabilité climat gestion chimie physique statistique construction mobilité "
        "réseaux énergies énergétique robotique"
    ),
    "es": _w(
        "datos energía salud cuidados agricultura seguridad redes logística turismo derecho "
        "sostenibilidad clima gestión química física estadística construcción movilidad "
        "energías robótica"
    ),
    "it": _w(
        "dati energia salute cura agricoltura sicurezza reti logistica turismo diritto "
        "sostenibilità clima gestione chimica fisica statistica edilizia mobilità energie"
    ),
    "pt": _w(
        "dados energia saúde cuidados agricultura segurança redes logística turismo direito "
        "sustentabilidade clima gestão química física estatística construção mobilidade "
        "energias formação"
    ),
    "nl": _w(
        "gegevens energie zorg landbouw veiligheid netwerk logistiek toerisme recht "
        "duurzaamheid klimaat leiderschap scheikunde natuurkunde statistiek bouw mobiliteit "
        "energietransitie zorgopleidingen netwerken"
    ),
    "pl": _w(
        "dane energia zdrowie rolnictwo bezpieczeństwo sieci logistyka turystyka prawo "
        "zrównoważony klimat zarządzanie chemia fizyka statystyka budownictwo mobilność "
        "energii danych zarządzania bezpieczeństwa"
    ),
}
_PATTERNS = {
    "en": ["Introduction to {a}", "{a} and {b}", "Applied {a}", "{a} for professionals",
           "Advanced {a}", "{a} in practice", "Foundations of {a} and {b}"],
    "de": ["Einführung in {a}", "{a} und {b}", "Angewandte {a}", "{a} für die Praxis"],
    "fr": ["Introduction à {a}", "{a} et {b}", "{a} appliquée", "{a} pour professionnels"],
    "es": ["Introducción a {a}", "{a} y {b}", "{a} aplicada", "{a} para profesionales"],
    "it": ["Introduzione a {a}", "{a} e {b}", "{a} applicata", "{a} per professionisti"],
    "pt": ["Introdução a {a}", "{a} e {b}", "{a} aplicada", "{a} para profissionais"],
    "nl": ["Inleiding {a}", "{a} en {b}", "Toegepaste {a}", "{a} in de praktijk"],
    "pl": ["Wprowadzenie do {a}", "{a} i {b}", "Stosowana {a}", "{a} w praktyce"],
}  # fmt: skip
#: Searched words in other forms than the titles': compound parts, inflections, no accents,
#: so the timed mix pays for what the multilingual analysis adds (stems, n-grams).
_QUERY_FORMS = _w(
    "Roboter energie Energien Netzwerke Pflegekraft Sicherheit Datenbank Effizienz "
    "reseaux donnee energias gestion energii zarzadzanie bezpieczenstwo opleiding managing "
    "robots networks"
)
_VERBS = "apply analyse design evaluate build explain plan manage assess implement compare "
_VERBS += "document monitor communicate model test audit present"
_OUTCOME_VERBS = _VERBS.split()
_OBJECTS = "a plan a model a report a system a process a dataset a prototype a strategy "
_OBJECTS += "a budget a policy a risk assessment a campaign a workflow an experiment"
_OUTCOME_OBJECTS = [" ".join(p) for p in zip(*[iter(_OBJECTS.split())] * 2, strict=False)]
_COUNTRIES = _w(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE NO IS CH"
)
_LANGS = ["en", "de", "fr", "es", "nl", "pl", "it", "pt", "sv", "fi"]
_KINDS = ["university"] * 5 + ["company"] * 3 + ["ngo", "public-body", "other"]
_MODES = ["online", "online", "blended", "onsite", None]
_ECTS = [1, 1.5, 2, 2.5, 3, 4, 5, 5, 5, 6, 7.5, 10, 10, 12, 15, 20, 30, 45, 60, None]
_STACK = ["standalone", "stackable", None]


@dataclass(frozen=True)
class _Provider:
    id: str
    name: str
    kind: str
    country: str
    qa: bool


def _providers(rng: random.Random, n: int) -> list[_Provider]:
    count = max(10, n // 200)
    return [
        _Provider(
            id=f"prov-{i:05d}",
            name=f"{rng.choice(['Institute', 'Academy', 'University', 'Centre', 'College'])} "
            f"of {rng.choice(_TOPICS['en']).title()} {i}",
            kind=rng.choice(_KINDS),
            country=rng.choice(_COUNTRIES),
            qa=rng.random() < 0.6,
        )
        for i in range(count)
    ]


def generate(n: int, seed: int) -> Iterator[CatalogueEntry]:
    """N deterministic synthetic catalogue entries."""
    rng = random.Random(seed)
    providers = _providers(rng, n)
    fields = [t.code for t in vocabulary("isced-f") if len(t.code) == 4]
    assessments = [t.code for t in vocabulary("assessment-types")]
    # Zipf-like: a few big providers (a few per cent of the catalogue each), a long tail.
    cum_weights = list(
        itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(providers)))
    )
    start = date(2020, 1, 1)
    for i in range(n):
        prov = rng.choices(providers, cum_weights=cum_weights)[0]
        title: dict[str, str] = {}
        for lang in {"en", rng.choice(list(_TOPICS))} if rng.random() < 0.5 else {"en"}:
            words = _TOPICS[lang]
            title[lang] = rng.choice(_PATTERNS[lang]).format(
                a=rng.choice(words), b=rng.choice(words)
            )
        outcomes = [
            f"{rng.choice(_OUTCOME_VERBS).capitalize()} {rng.choice(_OUTCOME_OBJECTS)} for "
            f"{rng.choice(_TOPICS['en'])} {rng.choice(_TOPICS['en'])}"
            for _ in range(rng.randint(1, 6))
        ]
        first_language = "en" if rng.random() < 0.6 else rng.choice(_LANGS)
        extra_languages = rng.choice([0, 0, 1])
        countries = [prov.country, *rng.sample(_COUNTRIES, rng.choice([0, 0, 0, 1, 2]))]
        yield CatalogueEntry(
            id=f"mc-{i:07d}",
            title=title,
            description={"en": f"A course on {title['en'].lower()} by {prov.name}."},
            outcomes=outcomes,
            provider_id=prov.id,
            provider_name=prov.name,
            provider_kind=prov.kind,
            countries=list(dict.fromkeys(countries)),
            fields=rng.sample(fields, rng.choice([1, 1, 1, 2])),
            eqf=rng.choice([3, 4, 5, 5, 6, 6, 6, 7, 7, 8, None]),
            ects=rng.choice(_ECTS),
            participation_mode=rng.choice(_MODES),
            languages=list(dict.fromkeys([first_language, *rng.sample(_LANGS, extra_languages)])),
            quality_assured=prov.qa,
            stackability=rng.choice(_STACK),
            assessment_types=rng.sample(assessments, rng.randint(1, 3)),
            updated=(start + timedelta(days=rng.randrange(2000))).isoformat(),
        )  # fmt: skip


def queries(count: int, seed: int) -> list[tuple[str, SearchQuery]]:
    """A mix: a third facet-only, a third text-only, a third text plus facets."""
    rng = random.Random(seed + 1)
    broad = sorted({t.code for t in vocabulary("isced-f") if len(t.code) == 2})
    detailed = [t.code for t in vocabulary("isced-f") if len(t.code) == 4]
    choices: dict[str, list[str]] = {
        "field": broad + detailed[:20],
        "eqf": [str(x) for x in range(3, 9)],
        "ects": ["<3", "3-5", "5-10", "10-15", "15-30"],
        "mode": ["online", "onsite", "blended"],
        "language": _LANGS[:6],
        "country": _COUNTRIES[:12],
        "provider_kind": ["university", "company", "ngo", "public-body"],
        "qa": ["yes", "no"],
        "stackability": ["standalone", "stackable"],
        "assessment": [t.code for t in vocabulary("assessment-types")][:8],
        "provider": [f"prov-{i:05d}" for i in range(20)],
    }
    all_words = [w for words in _TOPICS.values() for w in words] + _QUERY_FORMS * 3

    def filters() -> dict[str, list[str]]:
        picked = rng.sample(list(choices), rng.randint(1, 3))
        return {f: rng.sample(choices[f], rng.choice([1, 1, 2])) for f in picked}

    def text() -> str:
        return " ".join(rng.sample(all_words, rng.choice([1, 1, 2])))

    out: list[tuple[str, SearchQuery]] = []
    for i in range(count):
        kind = ("facets", "text", "text+facets")[i % 3]
        sort = rng.choice(["relevance"] * 3 + ["newest", "title", "ects"])
        ects = {"ects_min": 3.0, "ects_max": 15.0} if rng.random() < 0.1 else {}
        if kind == "facets":
            q = SearchQuery(filters=filters(), sort=sort, **ects)  # type: ignore[arg-type]
        elif kind == "text":
            q = SearchQuery(text=text(), sort=sort)  # type: ignore[arg-type]
        else:
            q = SearchQuery(text=text(), filters=filters(), sort=sort)  # type: ignore[arg-type]
        out.append((kind, q))
    return out


# -- measuring -----------------------------------------------------------------------------


def _status(key: str) -> str:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return line.split(":", 1)[1].strip()
    return "?"


def machine() -> str:
    cpu = "?"
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            cpu = next(
                (ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), "?"
            )
        with open("/proc/meminfo", encoding="ascii") as fh:
            ram_kb = int(fh.readline().split()[1])
        ram = f"{ram_kb / 1024 / 1024:.1f} GiB"
    except OSError:
        ram = "?"
    return (
        f"machine: {cpu}; {os.cpu_count()} cores; RAM {ram}; {platform.system()} "
        f"{platform.release()}\nPython {platform.python_version()}; tantivy-py "
        f"{getattr(tantivy, '__version__', '?')}"
    )


def load() -> str:
    """The load average: on a shared machine, other work inflates every latency figure."""
    try:
        with open("/proc/loadavg", encoding="ascii") as fh:
            return "load average " + " ".join(fh.read().split()[:3])
    except OSError:
        return "load average ?"


def percentiles(ms: list[float]) -> str:
    qs = statistics.quantiles(ms, n=100, method="inclusive")
    return f"p50 {qs[49]:7.1f} ms  p95 {qs[94]:7.1f} ms  p99 {qs[98]:7.1f} ms  max {max(ms):7.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=100_000, help="specifications to index")
    parser.add_argument("--queries", type=int, default=800, help="searches to time")
    parser.add_argument("--index-dir", type=Path, help="index directory (default: a temp dir)")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--threads", type=int, help="search threads (default: up to 4 cores)")
    parser.add_argument("--reuse", action="store_true", help="search an existing --index-dir")
    parser.add_argument(
        "--churn",
        type=int,
        default=0,
        help="before timing, replace this many entries in 20 commits, as a day of edits would "
        "(leaves extra segments; the index is not rebuilt afterwards)",
    )
    args = parser.parse_args(argv)

    print(machine())
    print(f"before: {load()}")
    with tempfile.TemporaryDirectory(prefix="mc-bench-") as tmp:
        path = args.index_dir or Path(tmp) / "index"
        index = SearchIndex(path, threads=args.threads)
        if not (args.reuse and index.count() == args.n):
            started = time.perf_counter()
            sample = sum(1 for _ in generate(min(args.n, 20_000), args.seed))
            gen_rate = sample / (time.perf_counter() - started)
            started = time.perf_counter()
            indexed = index.rebuild(generate(args.n, args.seed))
            elapsed = time.perf_counter() - started
            print(
                f"indexed {indexed:,} entries in {elapsed:.1f} s: {indexed / elapsed:,.0f}/s "
                f"(generating alone runs at {gen_rate:,.0f}/s; includes the final merge)"
            )
        if args.churn:
            started = time.perf_counter()
            edits = list(itertools.islice(generate(args.n, args.seed + 7), args.churn))
            step = max(1, len(edits) // 20)
            for i in range(0, len(edits), step):
                index.upsert(edits[i : i + step])
                index.commit()
            index.close()
            print(
                f"churn: replaced {len(edits):,} entries in {-(-len(edits) // step)} commits "
                f"in {time.perf_counter() - started:.1f} s"
            )
        size = sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())
        print(
            f"index: {index.count():,} docs in {index.segment_count()} segment(s), "
            f"{size / 1e6:.0f} MB on disk at {path}"
        )

        mix = queries(args.queries, args.seed)
        for _, q in mix[:30]:  # warm the page cache and the reader, not timed
            index.search(q)
        times: dict[str, list[float]] = {}
        totals: list[int] = []
        for kind, q in mix:
            t0 = time.perf_counter()
            result = index.search(q)
            times.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
            totals.append(result.total)
            assert len(result.facets) == 11
        every = [t for ts in times.values() for t in ts]
        print(f"{len(every)} searches, each with 11 facet counts (after 30 untimed warm-ups):")
        print(f"  all          {percentiles(every)}")
        for kind, ts in times.items():
            print(f"  {kind:<12} {percentiles(ts)}")
        print(f"  hits per search: median {statistics.median(totals):,.0f}, max {max(totals):,}")
        print(f"memory: RSS {_status('VmRSS')}, peak {_status('VmHWM')}")
        print(f"after: {load()} (on {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
