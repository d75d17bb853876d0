from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "setlist.catalog"
    label = "catalog"
    verbose_name = "Catalog"
