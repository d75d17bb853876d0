"""Protected fields with sentinel values, and a search of the database for their traces.

A write that took a protected field leaves its sentinel somewhere: an id, counter or
version that no real row holds, a date in 1999, a text starting "hijacked", the hijack
password, a flag or group membership that changed, or a row owned by someone other than
the caller. `DatabaseState` captures what can be compared before and after a request;
`sentinel_traces` scans every column of the project's models for the sentinels.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q

# Far beyond any id the test database's sequences reach (PostgreSQL never rolls them back).
SENTINEL_ID = 987_654_321
SENTINEL_COUNT = 876_543_219
SENTINEL_VERSION = 765_432_198
SENTINEL_INTS = (SENTINEL_ID, SENTINEL_COUNT, SENTINEL_VERSION)
SENTINEL_TEXT = "hijacked"
SENTINEL_YEAR = 1999
SENTINEL_DATE = "1999-12-31T23:59:58Z"
HIJACK_PASSWORD = "hijacked-Passphrase-1999"

APP_LABELS = ("accounts", "catalog", "library", "journal", "authtoken", "token_blacklist")
# Foreign keys to a user that name the target of a write, not who made it.
TARGET_USER_FIELDS = {("journal.follow", "followee")}


def protected_fields(world) -> dict:
    """Fields no write of the API may take, with values that would betray it."""
    other = world.users["other"]
    counts = (
        "like_count",
        "num_streams",
        "song_count",
        "album_count",
        "favorites_count",
        "favoritesCount",
        "favorite_count",
        "published_song_count",
        "total_song_count",
        "published_album_count",
        "total_album_count",
        "play_count",
    )
    dates = ("created_at", "updated_at", "createdAt", "updatedAt", "date_joined", "last_login")
    return {
        "id": SENTINEL_ID,
        "pk": SENTINEL_ID,
        "chinook_id": SENTINEL_ID,
        "is_staff": True,
        "is_superuser": True,
        "is_active": False,
        "is_published": True,
        "owner": other.pk,
        "owner_id": other.pk,
        "user_id": other.pk,
        "author": other.username,
        "author_id": other.pk,
        "user": other.pk,
        "version": SENTINEL_VERSION,
        "slug": f"{SENTINEL_TEXT}-slug",
        "search_title": SENTINEL_TEXT,
        "search_name": SENTINEL_TEXT,
        "password": HIJACK_PASSWORD,
        "groups": ["Editors"],
        "user_permissions": ["catalog.delete_song"],
        **dict.fromkeys(counts, SENTINEL_COUNT),
        **dict.fromkeys(dates, SENTINEL_DATE),
    }


def _project_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in APP_LABELS and not model._meta.proxy
    ]


def _sentinel_q(field: models.Field) -> Q | None:
    if isinstance(field, models.ForeignKey | models.OneToOneField):
        return None  # ownership is checked by DatabaseState; sentinel ids fail validation
    if isinstance(field, models.IntegerField | models.AutoField):
        return Q(**{f"{field.attname}__in": SENTINEL_INTS})
    if isinstance(field, models.CharField | models.TextField):
        return Q(**{f"{field.attname}__istartswith": SENTINEL_TEXT})
    if isinstance(field, models.DateTimeField | models.DateField):
        return Q(**{f"{field.attname}__year": SENTINEL_YEAR})
    return None


def sentinel_traces() -> list[str]:
    """`model.field` for every column that holds a sentinel value."""
    found = []
    for model in _project_models():
        for field in model._meta.concrete_fields:
            q = _sentinel_q(field)
            if q is not None and model._default_manager.filter(q).exists():
                found.append(f"{model._meta.label_lower}.{field.name}")
    users = get_user_model().objects.all()
    found += [
        f"password of {user.username}" for user in users if user.check_password(HIJACK_PASSWORD)
    ]
    return found


def response_traces(data, path: str = "") -> list[str]:
    """Where a response body echoes a sentinel value."""
    if isinstance(data, dict):
        return [
            trace
            for key, value in data.items()
            for trace in response_traces(value, f"{path}.{key}")
        ]
    if isinstance(data, list):
        return [
            trace
            for index, value in enumerate(data)
            for trace in response_traces(value, f"{path}[{index}]")
        ]
    if isinstance(data, bool):
        return []
    if isinstance(data, int) and data in SENTINEL_INTS:
        return [path]
    if isinstance(data, str) and (
        data.lower().startswith(SENTINEL_TEXT) or data.startswith("1999-12-31")
    ):
        return [path]
    return []


def _user_fields() -> list[tuple[type[models.Model], str]]:
    user_model = get_user_model()
    return [
        (model, field.attname)
        for model in _project_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey | models.OneToOneField)
        and field.related_model is user_model
        and (model._meta.label_lower, field.name) not in TARGET_USER_FIELDS
    ]


@dataclass
class DatabaseState:
    """What a write must not change unasked: privileges, publication, ownership."""

    users: dict[int, tuple]
    memberships: set[tuple]
    published: dict[int, bool]
    owners: dict[tuple[str, object], object]

    @classmethod
    def capture(cls) -> "DatabaseState":
        user_model = get_user_model()
        album = apps.get_model("catalog", "Album")
        owners = {}
        for model, attname in _user_fields():
            for pk, owner in model._default_manager.values_list("pk", attname):
                owners[(f"{model._meta.label_lower}.{attname}", pk)] = owner
        return cls(
            users={
                pk: flags
                for pk, *flags in user_model.objects.values_list(
                    "pk", "is_staff", "is_superuser", "is_active"
                )
            },
            memberships={
                *user_model.groups.through.objects.values_list("user_id", "group_id"),
                *(
                    ("perm", *row)
                    for row in user_model.user_permissions.through.objects.values_list(
                        "user_id", "permission_id"
                    )
                ),
            },
            published=dict(album.objects.values_list("pk", "is_published")),
            owners=owners,
        )

    def changes_since(self, before: "DatabaseState", actor_pk) -> list[str]:
        """What changed from `before` that no write of `actor_pk` may change."""
        problems = []
        new_users = set(self.users) - set(before.users)
        for pk, flags in self.users.items():
            expected = before.users.get(pk, [False, False, True])  # new: a plain member
            if list(flags) != list(expected):
                problems.append(f"user {pk} flags {expected} -> {flags}")
        if self.memberships - before.memberships:
            problems.append(f"new group/permission rows {self.memberships - before.memberships}")
        for pk, published in self.published.items():
            if published != before.published.get(pk, False):
                problems.append(f"album {pk} is_published -> {published}")
        allowed_owners = {actor_pk, *new_users}
        for key, owner in self.owners.items():
            if key in before.owners:
                if before.owners[key] != owner:
                    problems.append(f"{key} owner {before.owners[key]} -> {owner}")
            elif owner not in allowed_owners:
                problems.append(f"new {key} owned by {owner}, not the caller {actor_pk}")
        return problems
