"""Settings of the Celery workers in the fault run: production settings plus two changes.

- Mail goes to the slow, file-recording test backend (slow_mail.py), so "killed mid-send"
  is a moment the script can see and hit.
- The Redis transport hands a dead worker's unacknowledged message to another worker
  after `FAULTS_VISIBILITY_TIMEOUT` seconds instead of kombu's default hour, and looks
  for such messages every second. The timeout stays above the slow send, so a task that
  is still running is never handed out twice.
"""

import os

from config.settings import *  # noqa: F403

EMAIL_BACKEND = "slow_mail.SlowFileBackend"
FAULTS_MAIL_DIR = os.environ["FAULTS_MAIL_DIR"]
FAULTS_MAIL_SECONDS = float(os.environ.get("FAULTS_MAIL_SECONDS", "4"))

CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("FAULTS_VISIBILITY_TIMEOUT", "10")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
