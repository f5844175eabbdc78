"""Background-job tests reuse the issuing fixtures (two providers with staff, an operator, a
user with no membership, a published specification of each) and add a CSV maker."""

from __future__ import annotations

from tests.web.issuing.conftest import (  # noqa: F401 (fixtures)
    HOST,
    IssuingWorld,
    issuing_settings,
    world,
)


def learners_csv(count: int, extra: str = "", start: int = 0) -> bytes:
    """A learners file of ``count`` rows (and ``extra`` lines at the end), as uploaded."""
    rows = [f"learner-{n}@example.org,Learner {n}" for n in range(start, start + count)]
    return ("identifier,name\n" + "\n".join(rows) + "\n" + extra).encode("utf-8")


def specifications_csv(count: int, start: int = 0, bad_every: int = 0) -> bytes:
    """A flat Annex I CSV of ``count`` specifications (local ids ``IMP-<n>``); with
    ``bad_every``, every such row has a negative workload (kept as a draft, reported)."""
    import copy
    import io

    from microcred.standard.csv_writer import write_csv
    from microcred.standard.validation import parse_spec
    from tests.web.editor.conftest import SPEC

    specs = []
    for n in range(start, start + count):
        data = copy.deepcopy(SPEC) | {"id": f"IMP-{n}"}
        data["title"] = {"en": f"Imported course {n}"}
        spec, _ = parse_spec(data)
        assert spec is not None
        specs.append(spec)
    out = io.StringIO()
    write_csv(specs, out)
    if not bad_every:
        return out.getvalue().encode("utf-8")
    import csv

    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    column = rows[0].index("ects")
    for i in range(1, len(rows), bad_every):
        rows[i][column] = "-1"
    again = io.StringIO()
    csv.writer(again, lineterminator="\n").writerows(rows)
    return again.getvalue().encode("utf-8")
