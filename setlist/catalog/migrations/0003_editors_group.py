"""The Editors group: what a fresh install needs for the catalog roles of API.md.

Editors add and change genres, artists, albums and songs, publish albums and see
unpublished ones. Deleting stays with staff who hold the delete permission.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
MODELS = ("genre", "artist", "album", "song")
CODENAMES = [
    *(f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")),
    "publish_album",
    "view_unpublished",
]


def create_editors(apps, schema_editor):
    # Permissions are normally created after `migrate` (post_migrate); on a fresh
    # database they do not exist yet at this point, so create them now.
    create_permissions(
        global_apps.get_app_config("catalog"),
        apps=apps,
        verbosity=0,
        using=schema_editor.connection.alias,
    )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.using(schema_editor.connection.alias).get_or_create(name=EDITORS)
    permissions = Permission.objects.using(schema_editor.connection.alias).filter(
        content_type__app_label="catalog", codename__in=CODENAMES
    )
    editors.permissions.add(*permissions)


def remove_editors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_counts_and_chinook_ids"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
