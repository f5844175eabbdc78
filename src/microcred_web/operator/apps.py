from django.apps import AppConfig


class OperatorConfig(AppConfig):
    name = "microcred_web.operator"
    label = "operator"
    verbose_name = "Register operator"
