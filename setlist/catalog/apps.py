from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "setlist.catalog"
    label = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
