"""The signed-in caller's row: read in one statement, with a view's question about them."""

import pytest
from django.contrib.auth.models import Group
from django.db.models import Exists, Subquery
from rest_framework import exceptions
from rest_framework_simplejwt.tokens import AccessToken

from setlist.accounts.authentication import JWTAuthentication
from setlist.accounts.selectors import NOT_ASKED, CallerQuestion, user_by_id

from .factories import UserFactory

pytestmark = pytest.mark.django_db

IN_GROUP = CallerQuestion(
    "in_group", lambda user, group: Exists(Group.objects.filter(user=user, pk=group)), read=bool
)

# A question about the caller alone, answered with a value that may be NULL.
NEWEST_GROUP = CallerQuestion(
    "newest_group",
    lambda user: Subquery(Group.objects.filter(user=user).order_by("-pk").values("pk")[:1]),
    about_an_id=False,
)


@pytest.fixture
def groups():
    return Group.objects.create(name="Choir"), Group.objects.create(name="Band")


def test_the_row_answers_the_question_for_the_id_asked(groups, django_assert_num_queries):
    choir, band = groups
    user = UserFactory()
    user.groups.add(choir)

    with django_assert_num_queries(1):
        in_choir = user_by_id(user.pk, (IN_GROUP, choir.pk))
    in_band = user_by_id(user.pk, (IN_GROUP, band.pk))

    assert in_choir == user
    assert in_band == user
    assert IN_GROUP.answer(in_choir, choir.pk) is True
    assert IN_GROUP.answer(in_band, band.pk) is False


def test_there_is_no_answer_for_another_id_or_when_not_asked(groups):
    choir, band = groups
    user = UserFactory()

    assert IN_GROUP.answer(user_by_id(user.pk, (IN_GROUP, choir.pk)), band.pk) is NOT_ASKED
    assert IN_GROUP.answer(user_by_id(user.pk), choir.pk) is NOT_ASKED


def test_a_question_about_the_caller_alone_is_answered_with_its_value(
    groups, django_assert_num_queries
):
    choir, band = groups
    joined, loner = UserFactory(), UserFactory()
    joined.groups.add(choir, band)

    with django_assert_num_queries(1):
        asked = user_by_id(joined.pk, (NEWEST_GROUP, None))

    assert NEWEST_GROUP.answer(asked) == band.pk
    assert NEWEST_GROUP.answer(user_by_id(loner.pk, (NEWEST_GROUP, None))) is None  # said: none
    assert NEWEST_GROUP.answer(user_by_id(joined.pk)) is NOT_ASKED
    assert NEWEST_GROUP.answer(user_by_id(joined.pk, (IN_GROUP, band.pk))) is NOT_ASKED


def test_the_row_is_the_same_with_a_question(groups):
    choir, _ = groups
    user = UserFactory(bio="Sings", is_staff=True)

    plain, asked = user_by_id(user.pk), user_by_id(user.pk, (IN_GROUP, choir.pk))

    fields = [field.attname for field in type(user)._meta.concrete_fields]
    assert [getattr(asked, name) for name in fields] == [getattr(plain, name) for name in fields]
    assert asked.get_all_permissions() == plain.get_all_permissions() == set()


def test_an_unknown_id_is_no_user_with_a_question_too(groups):
    assert user_by_id(2**62, (IN_GROUP, groups[0].pk)) is None


@pytest.mark.parametrize("change", ["inactive", "deleted"])
def test_a_question_does_not_change_who_may_sign_in(groups, change):
    user = UserFactory()
    token = AccessToken.for_user(user)
    if change == "inactive":
        user.is_active = False
        user.save()
    else:
        user.delete()
    authentication = JWTAuthentication()
    authentication.question = (IN_GROUP, groups[0].pk)

    with pytest.raises(exceptions.AuthenticationFailed):
        authentication.get_user(token)
