from django.apps import AppConfig


class AgencyWorkspaceConfig(AppConfig):
    name = "microcred_web.agency_workspace"
    label = "agency_workspace"
    verbose_name = "Agency workspace"
