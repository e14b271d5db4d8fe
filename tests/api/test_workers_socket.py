"""The socket `serve --workers N` listens on: connections a worker accepts have Nagle off."""

from __future__ import annotations

import asyncio
import pickle
import socket
from multiprocessing.reduction import ForkingPickler

from api.workers import APP_FACTORY, TcpConfig


async def _nodelay_of_accepted(listening: socket.socket) -> int:
    loop = asyncio.get_running_loop()
    accepted: asyncio.Future[int] = loop.create_future()

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            sock = transport.get_extra_info("socket")
            accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    server = await loop.create_server(Probe, sock=listening)
    _reader, writer = await asyncio.open_connection("127.0.0.1", listening.getsockname()[1])
    try:
        return await asyncio.wait_for(accepted, 30)
    finally:
        writer.close()
        server.close()


def test_a_worker_accepts_connections_with_tcp_nodelay() -> None:
    """Without it every keep-alive answer after the first waits for a delayed ACK (~40 ms)."""
    listening = TcpConfig(APP_FACTORY, factory=True, host="127.0.0.1", port=0).bind_socket()
    assert listening.proto == socket.IPPROTO_TCP
    # A worker gets the socket as multiprocessing passes it: pickled, rebuilt from its fd.
    in_worker = pickle.loads(ForkingPickler.dumps(listening))
    listening.close()
    assert asyncio.run(_nodelay_of_accepted(in_worker)) != 0
