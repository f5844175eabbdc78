"""``microcred backup`` / ``microcred restore``: the database in one archive, keys kept apart.

- :mod:`.archive`: the archive file (a tar holding ``manifest.json`` and the database dump),
  written 0600 and read with every check a damaged or foreign file needs;
- :mod:`.engines`: the snapshot and the load for each database (SQLite's online backup API,
  PostgreSQL's ``pg_dump`` / ``pg_restore``);
- :mod:`.services`: what backup and restore do around them (manifest, key fingerprints,
  migrations, the search index);
- :mod:`.cli`: the two sub-commands.

The KEK and the learner-identifier key never go in an archive: only their fingerprints do, so
that a restore can tell the operator whether the keys supplied are the ones the data needs
(docs/keys-and-backup.md).
"""
