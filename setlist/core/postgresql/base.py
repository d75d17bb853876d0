"""Django's PostgreSQL backend, with a health check that costs no round trip.

With `CONN_HEALTH_CHECKS`, Django checks a persistent connection before its first use in
each request by sending `SELECT 1`: one more round trip on every request, 0.3-0.6 ms and
a query's worth of database CPU, on requests that often make one or two queries in all.

A connection whose server went away (a restart, `pg_terminate_backend`, an idle timeout)
has been told so: the server sends its last error message and closes the socket, which
then polls readable. A healthy idle connection has nothing to read, since the previous
query's results were read to the end. So the check polls the socket without waiting
instead of asking the server. Something to read on an idle connection that is not a
goodbye (a notice, a changed server parameter after a configuration reload) also closes
it: the cost is one reconnection. A peer that vanished without closing (a cable pulled)
looks healthy to either check until a query waits for it.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq

# What `poll` reports for a socket the server has written to, closed or broken.
_SERVER_SPOKE = select.POLLIN | select.POLLPRI | select.POLLHUP | select.POLLERR | select.POLLNVAL


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        raw = self.connection
        if raw is None or raw.closed or raw.pgconn.status != pq.ConnStatus.OK:
            return False
        try:
            poller = select.poll()
            poller.register(raw.pgconn.socket, _SERVER_SPOKE)
            return not poller.poll(0)
        except (OSError, base.Database.Error):
            return False
