from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "microcred_web.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue"
