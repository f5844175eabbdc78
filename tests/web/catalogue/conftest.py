"""Every catalogue test gets its own empty search index in a temporary directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def search_index_dir(tmp_path: Path, settings: Any) -> Iterator[Path]:
    # Imported here: Django's app registry is not ready while conftest files load.
    from microcred_web.catalogue import services

    path = tmp_path / "search-index"
    settings.SEARCH_INDEX_DIR = path
    services.reset_index()
    yield path
    services.reset_index()
