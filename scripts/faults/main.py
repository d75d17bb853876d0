"""The fault run: break PostgreSQL, Redis and a Celery worker under load, then soak.

    scripts/faults/run.sh                 # every scenario (.ci/run, after `make services`)
    scripts/faults/run.sh redis-stop soak # some of them, by name

Starts its own PostgreSQL cluster (15/faults, port 5433), redis-server (127.0.0.1:6380),
granian (127.0.0.1:8871) and Celery workers, never touching the shared services. Prints
one line per scenario and writes var/ci/faults.xml (JUnit, one testcase per scenario).
Exits non-zero if any scenario failed.
"""

import os
import subprocess
import sys
import time
import traceback
from pathlib import Path
from xml.etree import ElementTree as ET

import infra

sys.path.insert(0, str(infra.ROOT))  # Django and the project, beside this directory

from bench import loopback

JUNIT = infra.ROOT / "var" / "ci" / "faults.xml"
LISTENERS = 32
SONGS = 400


def server_env() -> dict[str, str]:
    """Production settings on loopback, as the benchmark serves them, on the dedicated
    services. No scenario tests a limit being reached, only what the limiter does when
    Redis is gone, and that does not depend on the rate."""
    return loopback.production_env(
        database_url=f"postgres://setlist:setlist@127.0.0.1:{infra.PG_PORT}/{infra.PG_DATABASE}",
        redis_url=f"redis://127.0.0.1:{infra.REDIS_PORT}/0",
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=os.pathsep.join([str(Path(__file__).parent), str(infra.ROOT)]),
    )


def worker_env(env: dict[str, str]) -> dict[str, str]:
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "worker_settings",
        "FAULTS_MAIL_DIR": str(infra.VAR / "mail"),
        "FAULTS_MAIL_SECONDS": "4",
        "FAULTS_VISIBILITY_TIMEOUT": "10",
    }


def prepare_database(env: dict[str, str]) -> None:
    manage = [str(infra.VENV_BIN / "python"), "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=infra.ROOT, env=env, check=True)
    seed = ["seed_demo", "--seed", "7", "--songs", str(SONGS), "--users", "20"]
    seed += ["--likes", "400", "--plays", "400", "--no-progress", "-v0"]
    subprocess.run([*manage, *seed], cwd=infra.ROOT, env=env, check=True)


def members_and_catalog():
    """Listeners with tokens, a member who logs in, and the visible catalog's ids."""
    from django.contrib.auth.models import AnonymousUser
    from load import Listener
    from ops import LOGIN_PASSWORD, Catalog

    from setlist.accounts.models import User
    from setlist.accounts.tokens import token_pair_issue
    from setlist.catalog.models import Album, Song

    # bulk_create: no welcome mail for these load accounts.
    User.objects.bulk_create(
        [User(username=f"faults-listener-{i}", email=f"l{i}@example.com") for i in range(LISTENERS)]
    )
    listeners = [
        Listener(user.pk, token_pair_issue(user=user)["access"])
        for user in User.objects.filter(username__startswith="faults-listener-").order_by("pk")
    ]
    login = User.objects.create_user("faults-login", "faults-login@example.com", LOGIN_PASSWORD)
    songs = Song.objects.visible_to(AnonymousUser())
    titles = songs.values_list("title", flat=True)[:50]
    catalog = Catalog(
        song_ids=list(songs.values_list("pk", flat=True)),
        album_ids=list(Album.objects.visible_to(AnonymousUser()).values_list("pk", flat=True)),
        words=sorted({title.split()[0].lower() for title in titles if title.split()}),
        login_username=login.username,
        login_email=login.email,
    )
    return listeners, catalog


def write_junit(results, seconds: float) -> None:
    JUNIT.parent.mkdir(parents=True, exist_ok=True)
    failed = sum(not result.passed for result in results)
    suite = ET.Element(
        "testsuite",
        name="faults",
        tests=str(len(results)),
        failures=str(failed),
        errors="0",
        skipped="0",
        time=f"{seconds:.1f}",
    )
    for result in results:
        case = ET.SubElement(suite, "testcase", classname="faults", name=result.name)
        ET.SubElement(case, "system-out").text = result.line()
        if not result.passed:
            ET.SubElement(case, "failure", message="; ".join(result.problems)[:2000])
    ET.ElementTree(suite).write(JUNIT, encoding="utf-8", xml_declaration=True)


def main() -> int:
    began = time.monotonic()
    env = server_env()
    os.environ.update(env)
    infra.VAR.mkdir(parents=True, exist_ok=True)
    infra.postgres_ensure()
    infra.redis_start(fresh=True)
    prepare_database(env)

    import django

    django.setup()
    import scenarios
    from ops import Operations

    listeners, catalog = members_and_catalog()
    ops = Operations(catalog)
    server = infra.server_start(env)
    runs = [
        ("postgres-restart", lambda: scenarios.postgres_restart(infra.SERVER_PORT, ops, listeners)),
        ("redis-stop", lambda: scenarios.redis_stop(infra.SERVER_PORT, ops, listeners)),
        ("worker-kill", lambda: scenarios.worker_kill(infra.SERVER_PORT, worker_env(env))),
        ("soak", lambda: scenarios.soak(infra.SERVER_PORT, ops, listeners, server)),
    ]
    chosen = set(sys.argv[1:]) or {name for name, _ in runs}
    results = []
    try:
        for name, run in (entry for entry in runs if entry[0] in chosen):
            try:
                result = run()
            except Exception as exc:  # a scenario that crashes has failed; go on to the next
                traceback.print_exc()
                result = scenarios.Result(name, problems=[f"crashed: {exc!r}"])
            print(result.line(), flush=True)
            for note in result.notes:
                print(f"    {note}", flush=True)
            for problem in result.problems[:12]:
                print(f"    {problem}", flush=True)
            results.append(result)
    finally:
        server.stop()
    write_junit(results, time.monotonic() - began)
    print()
    for result in results:
        print(result.line())
    failed = [result.name for result in results if not result.passed]
    print(f"faults: {len(results) - len(failed)} passed, {len(failed)} failed ({JUNIT})")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        code = main()
    finally:
        infra.cleanup()
    sys.exit(code)
