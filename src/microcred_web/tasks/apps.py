from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "microcred_web.tasks"
    label = "tasks"
    verbose_name = "Background jobs"
