from django.apps import AppConfig


class IssuingConfig(AppConfig):
    name = "microcred_web.issuing"
    label = "issuing"
    verbose_name = "Issuing"
