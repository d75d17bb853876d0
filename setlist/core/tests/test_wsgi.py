"""The WSGI entry point, loaded as a server worker loads it: in a fresh interpreter."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import gc, sys
import config.wsgi
views = [name for name in sys.modules if name.startswith("setlist.") and name.endswith(".views")]
print(gc.get_freeze_count(), len(views))
"""


def test_the_loaded_application_is_hidden_from_the_garbage_collector():
    """A full collection must not walk the application a worker loaded at start-up: every
    URL conf and view is imported, then frozen, before the first request."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert probe.returncode == 0, probe.stderr
    frozen, views = map(int, probe.stdout.split())
    assert views >= 4  # catalog, library, journal, conduit, ...
    assert frozen > 50_000
