"""Hidden objects look exactly like missing ones (API.md: 404, never 403).

For every cell of the matrix where a role gets 404 on an object that exists (another
member's private playlist or session, an unpublished album or song), the same request
for an id that exists nowhere must get the same status and the same body: the answer
may not reveal that the hidden object is there.
"""

import pytest

from .bodies import body_for
from .test_access_matrix import matrix_rows, send
from .world import ROLES, client_for, url_for

pytestmark = pytest.mark.django_db


def _hidden_cells() -> list:
    cells = []
    for method, template, variant, statuses in matrix_rows():
        if "{" not in template:
            continue  # nothing to hide (Conduit's catch-all is 404 for any path)
        for role, status in zip(ROLES, statuses, strict=True):
            if status == 404:
                label = f"{method} {template} [{variant or 'default'}] as {role}"
                cells.append(pytest.param(method, template, variant, role, id=label))
    return cells


HIDDEN_CELLS = _hidden_cells()


@pytest.mark.parametrize(("method", "template", "variant", "role"), HIDDEN_CELLS)
def test_hidden_object_answers_as_a_missing_one(world, method, template, variant, role):
    client = client_for(role, world)
    body = body_for(method, template, world)

    hidden = send(client, method, url_for(template, world, variant), body)
    missing = send(client, method, url_for(template, world, "missing"), body)

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_there_are_hidden_cells_to_check():
    # Private playlists, unpublished albums and songs, and sessions all hide something.
    hidden_kinds = {param.values[1].split("/")[3] for param in HIDDEN_CELLS}

    assert {"playlists", "albums", "songs", "auth", "me"} <= hidden_kinds
