"""The register's rules that do not need a database: QA standing of providers."""
