"""A database cache whose ``incr`` is atomic, so that rate-limit counters hold across workers.

Why the database: production runs several gunicorn workers (and possibly several hosts) on one
PostgreSQL; a per-process memory cache would give each worker its own counters, multiplying
every limit by the number of workers. The database is the one store every worker already shares
on both SQLite and PostgreSQL, so no Redis or memcached has to be run for it.

Why a subclass: Django's ``DatabaseCache.incr`` is a read followed by a write, so two workers
counting at once can both read 5 and both write 6 (django-ratelimit's own system check calls it
"does not support atomic increment"). Here the read and the write happen in one transaction
holding the row: ``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the project's
``transaction_mode = "IMMEDIATE"`` makes the transaction take the database's write lock when it
begins, which serialises it against every other writer.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                table = connection.ops.quote_name(self._table)
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE",
                        [self.make_and_validate_key(key, version=version)],
                    )
            return super().incr(key, delta, version)
