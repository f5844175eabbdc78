from django.apps import AppConfig


class IssuingConfig(AppConfig):
    name = "microcred_web.issuing"
    label = "issuing"
    verbose_name = "Issuing"

    def ready(self) -> None:
        from microcred_web.issuing import checks  # noqa: F401  (registers the system check)
