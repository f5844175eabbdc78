from django.apps import AppConfig


class EditorConfig(AppConfig):
    name = "microcred_web.editor"
    label = "editor"
    verbose_name = "Specification editor"
