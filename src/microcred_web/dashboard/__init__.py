"""Provider dashboard: the signed-in pages where staff issue, revoke and rotate keys."""
