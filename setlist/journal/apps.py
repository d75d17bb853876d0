from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "setlist.journal"
    label = "journal"
    verbose_name = "Journal"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (corrects favourite counts on account deletion)
