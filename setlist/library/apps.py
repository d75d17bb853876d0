from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "setlist.library"
    label = "library"
    verbose_name = "Library"

    def ready(self) -> None:
        from . import signals

        signals.connect()
