from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "microcred_web.core"
    label = "microcred_core"
    verbose_name = "microcred: pages"
