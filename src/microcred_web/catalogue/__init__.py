"""The public catalogue: search pages, specification, provider and agency pages, index sync."""
