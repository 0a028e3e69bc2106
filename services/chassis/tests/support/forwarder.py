"""A TCP forwarder on a loopback port that refuses connections until started, so a test
can make "the broker" unreachable and then reachable again without touching RabbitMQ."""

from __future__ import annotations

import socket
import threading

from chassis_testing.ports import free_port


class TcpForwarder:
    def __init__(self, *, target_host: str = "127.0.0.1", target_port: int):
        self.port = free_port()
        self.target_host, self.target_port = target_host, target_port
        self._server: socket.socket | None = None
        self._sockets: list[socket.socket] = []

    def start(self) -> None:
        self._server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        for sock in [self._server, *self._sockets]:
            if sock is not None:
                sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return  # closed
            upstream = socket.create_connection((self.target_host, self.target_port))
            self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass  # one side closed; the other side's pipe notices too
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # already closed
