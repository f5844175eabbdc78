"""The QA agency's workspace: its QA results by form (record, edit, withdraw, with a preview of
the effect on each provider's standing) and its own register record."""
