"""A local HTTP server on 127.0.0.1 for the harness's tests."""

import contextlib
import http.server
import threading


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A request handler that keeps the test output clean."""

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def local_server(handler: type[http.server.BaseHTTPRequestHandler]):
    """`handler` served on 127.0.0.1 on a free port, in a thread, for as long as the block."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        thread.join()
