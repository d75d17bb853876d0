"""The URL conf as the security tests see it: every route with the methods its view serves.

The access matrix and the mass-assignment tests both start from this walk, so a route
added to any `urls.py` shows up here (and fails those tests until someone declares it).
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

WRITE_METHODS = ("POST", "PUT", "PATCH")
# HEAD answers as GET does (Django maps it) and OPTIONS is DRF's metadata for every view;
# neither has authorization rules of its own, so the matrix leaves them out.
HANDLER_METHODS = ("get", "post", "put", "patch", "delete")

_PATH_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
_NAMED_GROUP = "(?P<"


@dataclass(frozen=True)
class Route:
    """One URL pattern: its template (`/api/v1/albums/{pk}/`), methods and view."""

    template: str
    methods: tuple[str, ...]
    view: str


def _regex_template(regex: str) -> str:
    """`^albums/(?P<pk>[0-9]{1,18})/$` → `albums/{pk}/` (named groups may nest parens)."""
    out, index = [], 0
    while index < len(regex):
        if regex.startswith(_NAMED_GROUP, index):
            end = regex.index(">", index)
            name = regex[index + len(_NAMED_GROUP) : end]
            depth, index = 1, end + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(regex[index], 0)
                index += 1
            out.append("{" + name + "}")
            continue
        char = regex[index]
        if char not in "^$\\":
            out.append(char)
        index += 1
    return "".join(out)


def _template(pattern) -> str:
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        return _regex_template(text)
    return _PATH_CONVERTER.sub(r"{\1}", text)


def _methods(callback) -> tuple[str, ...]:
    """What the view serves: a viewset's `actions`, a class view's handlers.

    A function view (the health probes) and a view without handlers (Conduit's catch-all,
    which answers 404 before dispatching any method) stand for GET.
    """
    actions = getattr(callback, "actions", None)
    if actions:
        return tuple(m.upper() for m in HANDLER_METHODS if m in actions)
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is None:
        return ("GET",)
    allowed = {name.lower() for name in view_class.http_method_names}
    found = tuple(m.upper() for m in HANDLER_METHODS if m in allowed and hasattr(view_class, m))
    return found or ("GET",)


def _view_name(callback) -> str:
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    target = view_class or callback
    return f"{target.__module__}.{target.__qualname__}"


def _walk(patterns, prefix: str):
    for pattern in patterns:
        template = prefix + _template(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, template)
        elif isinstance(pattern, URLPattern):
            yield Route("/" + template, _methods(pattern.callback), _view_name(pattern.callback))


def all_routes() -> list[Route]:
    """Every route of the project's URL conf, in resolution order."""
    return list(_walk(get_resolver().url_patterns, ""))


def route_methods() -> set[tuple[str, str]]:
    """Every (method, template) pair the URL conf serves."""
    return {(method, route.template) for route in all_routes() for method in route.methods}
