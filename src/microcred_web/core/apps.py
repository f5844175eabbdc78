from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "microcred_web.core"
    label = "microcred_core"
    verbose_name = "microcred: pages"

    def ready(self) -> None:
        from microcred_web.core import checks  # noqa: F401  (registers the start-up checks)
