"""The fault run's load client: a kept-alive connection the server closed while idle is
not a failed request (the request is sent again on a new connection); anything after the
request reached the server is."""

import importlib.util
import select
import socket
import struct
import threading
from pathlib import Path

# Loaded from its file: the fault run's modules are scripts, not a package.
_spec = importlib.util.spec_from_file_location(
    "faults_load", Path(__file__).resolve().parents[2] / "scripts" / "faults" / "load.py"
)
load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(load)

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"


def _read_request(connection: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(4096)


def test_a_connection_reset_while_idle_is_retried_on_a_new_one():
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    answered, reset = threading.Event(), threading.Event()

    def serve() -> None:
        first, _ = listener.accept()
        _read_request(first)
        first.sendall(ANSWER)
        answered.wait(10)
        # Closed with unread data or SO_LINGER 0, a socket sends RST: the client's next
        # send on it fails.
        first.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        first.close()
        reset.set()
        second, _ = listener.accept()
        _read_request(second)
        second.sendall(ANSWER)
        second.close()

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    client = load.Client(port, timeout=5)

    assert client.call("read", "GET", "/").status == 200
    kept = client.connection.sock
    answered.set()
    reset.wait(10)
    select.select([kept], [], [], 5)  # until the reset has arrived
    second = client.call("write", "POST", "/", body={"a": 1})

    server.join(10)
    listener.close()
    assert second.status == 200
    assert [outcome.status for outcome in client.outcomes] == [200, 200]


def test_a_connection_lost_after_the_request_was_sent_is_a_failure():
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        connection, _ = listener.accept()
        _read_request(connection)
        connection.close()  # the request arrived; no answer

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    client = load.Client(port, timeout=5)

    assert client.call("write", "POST", "/", body={"a": 1}).status == 0

    server.join(10)
    listener.close()
    assert client.outcomes[0].error
