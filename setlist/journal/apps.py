from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "setlist.journal"
    label = "journal"
    verbose_name = "Journal"
