"""`obligations serve --workers N`: uvicorn's supervisor and N workers on one listening socket.

What `uvicorn.run(..., workers=N)` does, with one change: the socket is bound as TCP
(`IPPROTO_TCP`). uvicorn binds it with protocol 0; the connections a worker accepts inherit
that, and asyncio turns Nagle's algorithm off (TCP_NODELAY) only on sockets that say TCP, so
every keep-alive answer after the first waited about 40 ms for the client's delayed ACK
(uvicorn issue #3149; bench/bench_workers.py measured 170 answers a second instead of 1,300).
"""

from __future__ import annotations

import socket
from contextlib import suppress

from uvicorn import Config
from uvicorn.supervisors import Multiprocess

APP_FACTORY = "api.app:create_app"


class TcpConfig(Config):
    def bind_socket(self) -> socket.socket:
        bound = super().bind_socket()
        if bound.family not in (socket.AF_INET, socket.AF_INET6) or bound.proto:
            return bound
        tcp = socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())
        tcp.set_inheritable(True)  # as uvicorn leaves it, for the workers
        return tcp


def run_workers(host: str, port: int, workers: int) -> None:
    """Serve the app from `api.app:create_app` in `workers` processes until SIGTERM or Ctrl-C."""
    # proxy_headers off: which proxies to believe is OBLIGATIONS_TRUSTED_PROXIES, not uvicorn's.
    config = TcpConfig(
        APP_FACTORY,
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
        proxy_headers=False,
    )
    listening = config.bind_socket()
    with suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[listening]).run()
