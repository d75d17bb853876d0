"""The welcome mail (any way an account is made) and the mail tasks themselves.

How a redelivered or interrupted welcome task behaves: test_tasks_delivery.py.
"""

import pytest
from django.core.management import call_command
from django.db import transaction

from setlist.accounts import tasks
from setlist.accounts.models import User

from .factories import UserFactory
from .helpers import STRONG_PASSWORD

pytestmark = pytest.mark.django_db


def test_createsuperuser_gets_a_welcome_mail(
    mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", STRONG_PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "createsuperuser",
            "--noinput",
            "--username=root",
            "--email=root@example.com",
            verbosity=0,
        )

    assert [mail.to for mail in mailoutbox] == [["root@example.com"]]


def test_an_account_added_in_the_admin_gets_a_welcome_mail(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/accounts/user/add/",
            {
                "username": "newcomer",
                "email": "newcomer@example.com",
                "usable_password": "true",
                "password1": STRONG_PASSWORD,
                "password2": STRONG_PASSWORD,
            },
        )

    assert response.status_code == 302, response.content
    assert User.objects.filter(username="newcomer").exists()
    assert [mail.to for mail in mailoutbox] == [["newcomer@example.com"]]


def test_a_rolled_back_sign_up_sends_nothing(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                UserFactory()
                raise RuntimeError("abandon the sign-up")
        except RuntimeError:
            pass

    assert callbacks == []
    assert mailoutbox == []


def test_updating_an_account_sends_no_welcome_mail(
    user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user.first_name = "Changed"
        user.save()

    assert mailoutbox == []


@pytest.mark.parametrize("task", [tasks.send_welcome_email, tasks.send_password_reset_email])
def test_mail_tasks_skip_users_that_are_gone_inactive_or_without_email(task, mailoutbox):
    inactive = UserFactory(is_active=False)
    no_email = UserFactory(email="")

    for user_id in (987654, inactive.pk, no_email.pk):
        task(user_id)

    assert mailoutbox == []
