"""Admin for members, groups and signed-in devices."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Count

from .forms import UserChangeForm, UserCreationForm
from .models import RefreshTokenDevice, User
from .services import user_erase


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, plus the profile (bio, image) and email on the add form."""

    form = UserChangeForm
    add_form = UserCreationForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("username", "email", "is_active", "is_staff", "date_joined", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "groups", "date_joined")
    search_fields = ("username", "email", "first_name", "last_name")
    ordering = ("-date_joined",)
    date_hierarchy = "date_joined"
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:1],
        ("Profile", {"fields": ("first_name", "last_name", "email", "bio", "image")}),
        *DjangoUserAdmin.fieldsets[2:],
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_deleted_objects(self, objs, request):
        """What goes with an account (likes, plays, devices) is the member's own data:
        the permission to delete members covers it, even where those rows are read-only."""
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    # Deleting through the service keeps like and favourite counts exact.
    def delete_model(self, request, obj: User) -> None:
        user_erase(user=obj)

    def delete_queryset(self, request, queryset) -> None:
        for user in queryset:
            user_erase(user=user)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """Groups (Editors and the like) with how many members each has."""

    list_display = ("name", "member_count")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("user"))

    @admin.display(description="members", ordering="member_count")
    def member_count(self, group) -> int:
        return group.member_count


@admin.register(RefreshTokenDevice)
class RefreshTokenDeviceAdmin(admin.ModelAdmin):
    """Read-only: the devices refresh tokens went to. Revoke them from the token blacklist."""

    list_display = ("user", "user_agent", "created_at", "expires_at", "revoked")
    list_select_related = ("token__user", "token__blacklistedtoken")
    list_filter = ("token__created_at",)
    search_fields = ("token__user__username", "token__user__email", "user_agent")
    readonly_fields = ("token", "user_agent")

    @admin.display(ordering="token__user__username")
    def user(self, device: RefreshTokenDevice):
        return device.token.user

    @admin.display(ordering="token__created_at")
    def created_at(self, device: RefreshTokenDevice):
        return device.token.created_at

    @admin.display(ordering="token__expires_at")
    def expires_at(self, device: RefreshTokenDevice):
        return device.token.expires_at

    @admin.display(boolean=True)
    def revoked(self, device: RefreshTokenDevice) -> bool:
        return hasattr(device.token, "blacklistedtoken")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting the device row would not sign the device out; blacklisting does.
        return False
