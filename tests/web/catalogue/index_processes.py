"""The processes of ``test_index_processes``: each sets up Django on the shared database and
index, then writes through the register services or searches, as a web worker would.

A plain module (no Django import at the top): ``multiprocessing`` spawns each child by
importing it before Django is configured.
"""

from __future__ import annotations

import os
import time
from typing import Any

SHARED = "SHARED-1"


def _setup(env: dict[str, str], database: dict[str, Any]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcred_web.settings")
    from django.conf import settings

    settings.DATABASES["default"].update(database)
    import django

    django.setup()


def title(word: str) -> dict[str, str]:
    return {"en": f"Concurrent course {word}"}


def prepare(env: dict[str, str], database: dict[str, Any], migrate: bool) -> None:
    """Create the schema if asked, the provider and the specification every writer edits."""
    _setup(env, database)
    from django.core.management import call_command

    from microcred_web.register import services
    from tests.web.catalogue import factories as f

    if migrate:
        call_command("migrate", verbosity=0, interactive=False)
    owner = f.provider()
    services.save_specification(
        f.operator(), owner, f.spec_data(SHARED, title=title("start")), status="published"
    )


def writer(
    env: dict[str, str], database: dict[str, Any], number: int, count: int, out: Any
) -> None:
    """Publish ``count`` new specifications and retitle the shared one after each; report each
    publication (its unique word) once the service call has returned."""
    _setup(env, database)
    from microcred_web.register import services
    from microcred_web.register.models import Provider
    from tests.web.catalogue import factories as f

    owner = Provider.objects.get(slug="north-sea-university")
    user = f.operator()
    for i in range(count):
        word = f"w{number}n{i}x"
        outcome = services.save_specification(
            user, owner, f.spec_data(f"W{number}-{i}", title=title(word)), status="published"
        )
        out.put(("published", word, outcome.specification.public_id))
        # The shared title must not contain the word: the catalogue's compound matching
        # would (rightly) find "sharedw0n1x" for "w0n1x", a second hit the reader does not
        # expect. Reversed, it is as unique and shares no four-letter fragment with it.
        services.save_specification(
            user,
            owner,
            f.spec_data(SHARED, title=title(f"shared{word[::-1]}")),
            status="published",
        )
    out.put(("done", number, None))


def reader(env: dict[str, str], database: dict[str, Any], inbox: Any, out: Any) -> None:
    """Search for each publication as soon as it is reported; report how many searches it
    took to be found (1 when nothing is stale)."""
    _setup(env, database)
    from microcred.catalogue import SearchQuery
    from microcred_web.catalogue import services

    services.get_index()
    while True:
        item = inbox.get(timeout=120)
        if item is None:
            break
        word, public_id = item
        tries = 0
        started = time.monotonic()
        while True:
            tries += 1
            hits = services.search(SearchQuery(text=word)).hits
            if [hit.id for hit in hits] == [public_id] or time.monotonic() - started > 10:
                break
            time.sleep(0.01)
        out.put((word, tries, [hit.id for hit in hits]))
    out.put(None)


def final_state(env: dict[str, str], database: dict[str, Any], out: Any) -> None:
    """What a fresh process reads: the indexed ids and the shared title, the database's too."""
    _setup(env, database)
    from microcred.catalogue import SearchQuery
    from microcred_web.catalogue import services
    from microcred_web.register.models import Specification

    index = services.get_index()
    ids = {hit.id for hit in services.search(SearchQuery(per_page=100)).hits}
    shared = Specification.objects.get(local_id=SHARED)
    hits = services.search(SearchQuery(text=shared.data["title"]["en"].split()[-1])).hits
    out.put(
        {
            "indexed": ids,
            "count": index.count(),
            "published": set(
                Specification.objects.filter(status="published").values_list("public_id", flat=True)
            ),
            "shared_found": [hit.id for hit in hits],
            "shared_id": shared.public_id,
        }
    )
