from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "microcred_web.security"
    label = "security"
    verbose_name = "Security"
