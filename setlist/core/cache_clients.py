"""The django-redis client behind a Django cache, for code that pipelines its commands."""


def django_redis_client(cache):
    """The django-redis client of `cache` (its keys, encoding and Redis connections), or
    None when the cache is another backend (local memory, files)."""
    client = getattr(cache, "client", None)
    return client if hasattr(client, "get_client") else None
