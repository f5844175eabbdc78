"""Background work: jobs that run in a worker process, with the database as their queue."""
