"""Factories for journal rows; the Conduit tests import these too."""

import factory

from setlist.accounts.tests.factories import UserFactory
from setlist.journal.models import Comment, Favorite, Follow, Post, Tag


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"tag{n}")


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Post number {n}")
    slug = factory.Sequence(lambda n: f"post-number-{n}")
    description = "A short description"
    body = "Some *Markdown* body."
    author = factory.SubFactory(UserFactory)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set([TagFactory(name=name) for name in extracted])


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Comment {n}")


class FavoriteFactory(factory.django.DjangoModelFactory):
    """A favourite row; use `services.favorite_add` when the counter must move too."""

    class Meta:
        model = Favorite

    user = factory.SubFactory(UserFactory)
    post = factory.SubFactory(PostFactory)


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    follower = factory.SubFactory(UserFactory)
    followee = factory.SubFactory(UserFactory)
