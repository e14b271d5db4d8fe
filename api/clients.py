"""Who the client is: its address and scheme (behind trusted proxies only), and throttling of
its failed attempts at a token."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from fastapi import Request

from api.errors import TooManyAttempts
from obligations.errors import InvalidInput

SETTING = "OBLIGATIONS_TRUSTED_PROXIES"


@dataclass(frozen=True)
class Proxies:
    """The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed."""

    networks: tuple[IPv4Network | IPv6Network, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Proxies:
        networks = []
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            try:
                networks.append(ip_network(part, strict=False))
            except ValueError:
                raise InvalidInput(
                    f"{SETTING}: {part!r} is not an IP address or network (e.g. 10.0.0.0/8)"
                ) from None
        return cls(tuple(networks))

    def trusts(self, host: str | None) -> bool:
        try:
            address = ip_address(host or "")
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def client(self, peer: str | None, forwarded_for: str | None) -> str:
        """The first address, from the right, that is not one of our proxies."""
        if not self.trusts(peer) or not forwarded_for:
            return peer or "unknown"
        hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
        for hop in reversed(hops):
            if not self.trusts(hop):
                return hop
        return hops[0] if hops else peer or "unknown"

    def scheme(self, peer: str | None, scheme: str, forwarded_proto: str | None) -> str:
        """https or http, as the client used it (a proxy's word only if we trust the proxy)."""
        if self.trusts(peer) and forwarded_proto:
            return forwarded_proto.split(",")[0].strip().lower()
        return scheme


def proxies_of(request: Request) -> Proxies:
    found = getattr(request.app.state, "proxies", None)
    return found if isinstance(found, Proxies) else Proxies()


def client_of(request: Request) -> str:
    peer = request.client.host if request.client else None
    return proxies_of(request).client(peer, request.headers.get("x-forwarded-for"))


class Throttle:
    """At most `limit` failures per client in any `window` seconds; then 429 until one expires.

    Kept in memory, per process: a sliding window of failure times for each client.
    """

    MAX_CLIENTS = 10_000  # forget the quietest clients beyond this many, to bound memory

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def check(self, key: str, what: str) -> None:
        """Raise TooManyAttempts if this client has failed too often of late."""
        now = self.clock()
        with self._lock:
            times = self._recent(key, now)
            if len(times) < self.limit:
                return
            wait = max(1, math.ceil(times[0] + self.window - now))
        raise TooManyAttempts(
            f"too many failed {what} from this client; try again in {wait} seconds", wait
        )

    def failed(self, key: str) -> None:
        now = self.clock()
        with self._lock:
            times = self._recent(key, now)
            times.append(now)
            self._failures[key] = times
            if len(self._failures) > self.MAX_CLIENTS:
                self._forget(now)

    def _forget(self, now: float) -> None:
        for key in list(self._failures):
            if not self._recent(key, now):
                del self._failures[key]
        overflow = len(self._failures) - self.MAX_CLIENTS
        for key in _oldest(self._failures, overflow):
            del self._failures[key]


def _oldest(failures: dict[str, deque[float]], count: int) -> Iterable[str]:
    if count <= 0:
        return []
    return sorted(failures, key=lambda k: failures[k][-1])[:count]


# Ten wrong tokens a minute from one client: enough for typing mistakes, far too few to guess.
FAILURES_PER_WINDOW = 10
WINDOW_SECONDS = 60.0


def throttle_of(request: Request) -> Throttle:
    found = getattr(request.app.state, "throttle", None)
    if not isinstance(found, Throttle):
        found = request.app.state.throttle = Throttle(FAILURES_PER_WINDOW, WINDOW_SECONDS)
    return found
