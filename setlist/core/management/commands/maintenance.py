"""`manage.py maintenance on|off|status`: the runtime switch for every app server."""

from django.core.management.base import BaseCommand

from setlist.core.maintenance import is_maintenance_on, set_maintenance


class Command(BaseCommand):
    help = "Turn maintenance mode on or off (API answers 503) for every app server."

    def add_arguments(self, parser):
        parser.add_argument("state", choices=["on", "off", "status"])

    def handle(self, *args, state: str, **options):
        if state != "status":
            set_maintenance(state == "on")
        self.stdout.write(f"maintenance mode is {'on' if is_maintenance_on() else 'off'}")
