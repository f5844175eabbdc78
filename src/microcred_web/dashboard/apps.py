from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "microcred_web.dashboard"
    label = "dashboard"
    verbose_name = "Dashboard"
