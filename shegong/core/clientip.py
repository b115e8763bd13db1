"""The address of the client behind a request: one function for the access log, the change
history, the login lockout and the rate limits.

Behind a reverse proxy every request comes from the proxy's address, so the client's address
must be read from ``X-Forwarded-For``. That header is written by whoever sends the request, so it
is believed only as far as it was written by a proxy listed in ``SHEGONG_TRUSTED_PROXIES``: the
chain is read from the right (the connecting peer, then what each trusted proxy appended) and the
first address not in the list is the client. A request that does not come from a trusted proxy
is its own client, whatever headers it carries.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(text: str):
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:51234
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str | None:
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(settings.SHEGONG_TRUSTED_PROXIES))
    if not networks or not _trusted(_address(remote or ""), networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = remote
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:
            # A proxy never writes garbage: whatever is left of it came from the client.
            break
        client = str(address)
        if not _trusted(address, networks):
            break
    return client
