"""The register: providers, QA agencies, external QA results, specifications, roles."""
