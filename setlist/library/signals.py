"""Reactions of the library to events elsewhere."""

from setlist.accounts.signals import user_deleting

from .services import user_like_counts_release


def release_like_counts(sender, *, user, **kwargs) -> None:
    """Before an account goes, take back the `like_count`s its likes added.

    The likes, plays and playlists themselves then go with the user row (CASCADE).
    `num_streams` is left as it is: those streams did happen, only who listened is gone.
    """
    user_like_counts_release(user=user)


def connect() -> None:
    user_deleting.connect(release_like_counts, dispatch_uid="library.release_like_counts")
