"""Teams of providers and agencies: members and their levels, invitations by e-mail, and
API tokens created from a page (``docs/workspace-team.md``)."""
