from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "microcred_web.register"
    label = "register"
    verbose_name = "Register"
