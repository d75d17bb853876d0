"""A test-only email backend for the fault run: a send that takes a while, made visible.

Each message is announced in `started.jsonl`, then the backend waits
`FAULTS_MAIL_SECONDS`, then records it in `outbox.jsonl` — the moment the mail server
would have accepted it. Both lines carry the worker's PID, so the fault script can kill
the worker that is mid-send and then see which worker delivered the mail in the end.
Selected only by the fault run's settings (worker_settings.py); never by the application.
"""

import json
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


def _append(path: Path, record: dict) -> None:
    with path.open("a") as log:
        log.write(json.dumps(record) + "\n")
        log.flush()
        os.fsync(log.fileno())


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        directory = Path(settings.FAULTS_MAIL_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            record = {"pid": os.getpid(), "to": list(message.to), "subject": message.subject}
            _append(directory / "started.jsonl", record)
            time.sleep(settings.FAULTS_MAIL_SECONDS)
            _append(directory / "outbox.jsonl", {**record, "sent_at": time.time()})
        return len(email_messages)


def records(directory: Path, name: str, recipient: str) -> list[dict]:
    """The lines of `started` or `outbox` addressed to `recipient`."""
    path = directory / f"{name}.jsonl"
    if not path.exists():
        return []
    lines = (json.loads(line) for line in path.read_text().splitlines() if line.strip())
    return [record for record in lines if recipient in record["to"]]
