"""Pages that belong to no other app: the home page, the health check."""
