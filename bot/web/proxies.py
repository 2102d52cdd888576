"""Which peers may tell us who the client is (``TRUSTED_PROXIES``).

``X-Forwarded-For`` and ``X-Forwarded-Proto`` are headers anyone can send. They
are believed only from a peer listed in ``TRUSTED_PROXIES``; from anyone else
the peer itself is the client and the connection's own scheme counts. Without
that, one forged header would choose whose login attempts are throttled, or make
plain HTTP look like HTTPS.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from aiohttp import web

from bot.settings import Network

__all__ = ["TrustedProxies"]

LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.9:51000"
        text = text.partition(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class TrustedProxies:
    """The peers whose forwarding headers are believed; none by default."""

    networks: tuple[Network, ...] = ()

    def trusts(self, peer: str | None) -> bool:
        address = _address(peer or "")
        return address is not None and any(address in network for network in self.networks)

    def client(self, request: web.Request) -> str:
        """The client address: the nearest hop not ours, reading X-Forwarded-For from the right."""
        peer = request.remote or "unknown"
        if not self.trusts(peer):
            return peer
        hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
        for hop in reversed([hop for hop in hops if hop]):
            if not self.trusts(hop):
                address = _address(hop)
                return str(address) if address is not None else "unknown"
        return peer

    def https(self, request: web.Request) -> bool:
        """Whether the browser reached us over HTTPS, directly or through a trusted proxy."""
        if request.secure:
            return True
        if not self.trusts(request.remote):
            return False
        forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0]
        return forwarded.strip().lower() == "https"

    def is_local(self, request: web.Request) -> bool:
        """A request from this machine itself, not relayed by a proxy on it."""
        address = _address(request.remote or "")
        relayed = "X-Forwarded-For" in request.headers or "Forwarded" in request.headers
        return address is not None and not relayed and any(address in n for n in LOOPBACK)
