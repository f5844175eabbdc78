from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "microcred_web.verification"
    label = "verification"
    verbose_name = "Verification"
