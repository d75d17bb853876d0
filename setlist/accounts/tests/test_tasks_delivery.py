"""The welcome mail reaches a member exactly once, however its task is (re)delivered.

Celery delivers at least once (late acks): a message can run twice, and a worker can die
halfway through it. These tests call the task the way a worker does and pin the durable
`MailDelivery` record that makes it idempotent.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from celery import Celery
from django.core.management import call_command
from django.db import connection
from kombu.exceptions import OperationalError as BrokerUnavailable

from setlist.accounts import tasks
from setlist.accounts.models import MailDelivery, User

from .factories import UserFactory
from .helpers import STRONG_PASSWORD as STRONG

WELCOME = MailDelivery.Kind.WELCOME


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: not an Exception, so nothing in the task catches or retries it."""


def member_awaiting_welcome(username: str = "newcomer") -> User:
    """A new member whose welcome message is still queued (bulk_create sends no signal)."""
    (user,) = User.objects.bulk_create([User(username=username, email=f"{username}@example.com")])
    return User.objects.get(pk=user.pk)


@pytest.mark.django_db
class TestWelcomeDelivery:
    def test_the_welcome_mail_is_sent_and_stamped(self, mailoutbox):
        user = member_awaiting_welcome()

        tasks.send_welcome_email(user.pk)

        assert [mail.to for mail in mailoutbox] == [[user.email]]
        delivery = MailDelivery.objects.get(user=user)
        assert delivery.kind == WELCOME
        assert delivery.sent_at is not None

    def test_a_second_delivery_does_nothing(self, mailoutbox):
        user = member_awaiting_welcome()
        tasks.send_welcome_email(user.pk)
        stamped = MailDelivery.objects.get(user=user).sent_at

        tasks.send_welcome_email(user.pk)

        assert len(mailoutbox) == 1
        assert MailDelivery.objects.get(user=user).sent_at == stamped

    def test_a_worker_killed_mid_send_leaves_the_mail_unsent_for_the_redelivery(
        self, mailoutbox, monkeypatch
    ):
        user = member_awaiting_welcome()

        def killed_mid_send(*args, **kwargs):
            raise WorkerKilled

        monkeypatch.setattr(tasks, "send_mail", killed_mid_send)
        with pytest.raises(WorkerKilled):
            tasks.send_welcome_email.run(user.pk)
        # Nothing was committed: no stamp tells the redelivery to skip.
        assert not MailDelivery.objects.filter(user=user, sent_at__isnull=False).exists()
        monkeypatch.undo()

        tasks.send_welcome_email(user.pk)

        assert [mail.to for mail in mailoutbox] == [[user.email]]
        assert MailDelivery.objects.get(user=user).sent_at is not None

    def test_a_crash_after_the_send_but_before_the_stamp_repeats_the_mail_rather_than_losing_it(
        self, mailoutbox, monkeypatch
    ):
        user = member_awaiting_welcome()
        real_save = MailDelivery.save

        def killed_before_stamp(self, *args, **kwargs):
            if "sent_at" in (kwargs.get("update_fields") or ()):
                raise WorkerKilled
            return real_save(self, *args, **kwargs)

        monkeypatch.setattr(MailDelivery, "save", killed_before_stamp)
        with pytest.raises(WorkerKilled):
            tasks.send_welcome_email.run(user.pk)
        monkeypatch.setattr(MailDelivery, "save", real_save)

        tasks.send_welcome_email(user.pk)

        assert len(mailoutbox) == 2  # at least once: the redelivery cannot know it was sent
        assert MailDelivery.objects.get(user=user).sent_at is not None

    def test_a_mail_server_error_rolls_the_claim_back_so_the_retry_sends(
        self, mailoutbox, monkeypatch
    ):
        user = member_awaiting_welcome()

        def server_down(*args, **kwargs):
            raise ConnectionError("mail server down")

        monkeypatch.setattr(tasks, "send_mail", server_down)
        with pytest.raises(ConnectionError):
            tasks.send_welcome_email.run(user.pk)
        monkeypatch.undo()

        tasks.send_welcome_email(user.pk)

        assert len(mailoutbox) == 1
        assert MailDelivery.objects.filter(user=user).count() == 1

    def test_users_without_a_mailbox_get_no_delivery_record(self, mailoutbox):
        inactive = UserFactory(is_active=False)
        no_email = UserFactory(email="")

        for user_id in (987654, inactive.pk, no_email.pk):
            tasks.send_welcome_email(user_id)

        assert mailoutbox == []
        assert not MailDelivery.objects.exists()

    def test_each_member_is_greeted_once_each(self, mailoutbox):
        first, second = member_awaiting_welcome("first"), member_awaiting_welcome("second")

        for user in (first, second, first, second):
            tasks.send_welcome_email(user.pk)

        assert sorted(mail.to[0] for mail in mailoutbox) == [first.email, second.email]

    def test_deleting_a_member_deletes_their_delivery_records(self, mailoutbox):
        user = member_awaiting_welcome()
        tasks.send_welcome_email(user.pk)

        user.delete()

        assert not MailDelivery.objects.exists()

    def test_a_password_reset_mail_is_sent_every_time_it_is_asked_for(self, mailoutbox):
        user = member_awaiting_welcome()

        tasks.send_password_reset_email(user.pk)
        tasks.send_password_reset_email(user.pk)

        # Each request mails a fresh link; only the welcome mail is once per member.
        assert len(mailoutbox) == 2
        assert not MailDelivery.objects.exists()


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: concurrent transactions and row locks (SQLite serialises "
    "every writer, so the race cannot happen there)",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_one_welcome_message_send_one_mail(mailoutbox):
    user = member_awaiting_welcome()
    threads = 8
    barrier = threading.Barrier(threads)

    def deliver(_):
        try:
            barrier.wait()
            tasks.send_welcome_email(user.pk)
        finally:
            connection.close()

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(deliver, range(threads)))

    assert [mail.to for mail in mailoutbox] == [[user.email]]
    assert MailDelivery.objects.filter(user=user, sent_at__isnull=False).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_mail_delivery_migration_reverses():
    call_command("migrate", "accounts", "0003", verbosity=0)
    assert "accounts_maildelivery" not in connection.introspection.table_names()

    call_command("migrate", "accounts", verbosity=0)
    assert "accounts_maildelivery" in connection.introspection.table_names()


@pytest.fixture
def broker_down(settings, monkeypatch):
    """Tasks are published (not run eagerly), and the broker refuses every publish."""
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def refuse(*args, **kwargs):
        raise BrokerUnavailable("Error 111 connecting to the broker. Connection refused.")

    monkeypatch.setattr(Celery, "send_task", refuse)


@pytest.mark.django_db
class TestQueueingWithoutABroker:
    def test_a_mail_that_cannot_be_queued_is_logged_not_raised(self, broker_down, caplog):
        user = member_awaiting_welcome()

        assert tasks.send_welcome_email.delay(user.pk) is None

        assert "send_welcome_email not queued: broker unavailable" in caplog.text

    def test_the_publish_gives_up_after_one_quick_retry(self, settings, monkeypatch):
        settings.CELERY_TASK_ALWAYS_EAGER = False
        seen = {}

        def record(self, name, args=None, kwargs=None, **options):
            seen.update(options)

        monkeypatch.setattr(Celery, "send_task", record)

        tasks.send_password_reset_email.delay(1)

        assert seen["retry_policy"] == tasks.PUBLISH_RETRY_POLICY
        assert tasks.PUBLISH_RETRY_POLICY["max_retries"] == 1

    def test_a_sign_up_while_the_broker_is_down_still_answers_201(
        self, api_client, broker_down, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = api_client.post(
                "/api/v1/auth/register/",
                {"username": "offline", "email": "offline@example.com", "password": STRONG},
            )

        assert response.status_code == 201, response.content
        assert User.objects.filter(username="offline").exists()

    def test_a_reset_request_while_the_broker_is_down_still_answers_202(
        self, api_client, broker_down, django_capture_on_commit_callbacks
    ):
        user = UserFactory()

        with django_capture_on_commit_callbacks(execute=True):
            response = api_client.post("/api/v1/auth/password-reset/", {"email": user.email})

        assert response.status_code == 202, response.content
