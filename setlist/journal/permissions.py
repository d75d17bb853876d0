"""Who may change what in the journal. Both APIs ask these same questions."""

from rest_framework import permissions

from setlist.accounts.models import User

from .models import Comment, Post


def can_change_post(user: User, post: Post) -> bool:
    """Authors edit and delete their own posts; staff moderate everyone's."""
    return user.is_authenticated and (post.author_id == user.pk or user.is_staff)


def can_delete_comment(user: User, comment: Comment, post: Post) -> bool:
    """A comment goes at the hand of its author, the post's author, or staff."""
    return user.is_authenticated and (
        user.pk in (comment.author_id, post.author_id) or user.is_staff
    )


class IsPostAuthorOrStaffOrReadOnly(permissions.BasePermission):
    """Reads for everyone; writes on a post for its author and staff (others get 403)."""

    def has_object_permission(self, request, view, obj: Post) -> bool:
        return request.method in permissions.SAFE_METHODS or can_change_post(request.user, obj)


class CanDeleteComment(permissions.BasePermission):
    """A comment's deletion: by its author, the post's author or staff (others get 403)."""

    message = "Only the comment's author or the post's author may delete it."

    def has_object_permission(self, request, view, obj: Comment) -> bool:
        return can_delete_comment(request.user, obj, obj.post)
