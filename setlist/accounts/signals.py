"""Account events other apps react to, and the welcome mail."""

from django.dispatch import Signal

# Sent by `accounts.services.user_delete` inside its transaction, just before the user row
# is deleted (keyword argument `user`). Apps whose rows go with the user (likes, plays,
# favourites) correct the counters those rows moved, so every count stays exact.
user_deleting = Signal()
