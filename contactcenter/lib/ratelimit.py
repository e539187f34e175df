"""Per-visitor limits that hold across every gunicorn worker and host.

The database counts (the cache is the database too, and its increments are not
atomic): one row per visitor and purpose, locked while it is counted, so a burst
of parallel requests cannot slip past the limit.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone


def _counters():
    """The counters' table (accounts.RateLimit), named rather than imported: helpers import no app."""
    return apps.get_model("accounts", "RateLimit").objects


def visitor_address(request: HttpRequest) -> str:
    """The visitor's address; IPv6 visitors by their /64, which one household or phone holds.

    VISITOR_ADDRESS_HEADER must name a header the proxy in front sets itself: of a list
    (X-Forwarded-For) the last entry is the one our proxy added, the others are the
    visitor's to invent. A value that is no address falls back to REMOTE_ADDR.
    """
    address = _visitor_ip(request)
    if address is None:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def visitor_ip(request: HttpRequest) -> str | None:
    """The same visitor as `visitor_address`, as one address (an IPv6 /64 by its first address),
    for code that stores an IP address field (the login lockout)."""
    address = _visitor_ip(request)
    if address is not None and address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return None if address is None else str(address)


def _visitor_ip(request: HttpRequest) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    for raw in (request.META.get(settings.VISITOR_ADDRESS_HEADER, ""), request.META.get("REMOTE_ADDR", "")):
        try:
            return ipaddress.ip_address(raw.split(",")[-1].strip())
        except ValueError:
            continue
    return None


def _key(purpose: str, visitor: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{purpose}|{visitor}".encode(), hashlib.sha256).hexdigest()


def allow(purpose: str, visitor: str, *, limit: int, period: timedelta) -> bool:
    """Count one attempt; False once `visitor` made more than `limit` in the current `period`."""
    key = _key(purpose, visitor)
    now = timezone.now()
    with transaction.atomic():
        row = _counters().select_for_update().filter(key=key).first()
        if row is None:
            try:
                with transaction.atomic():
                    _counters().create(key=key, window_start=now, hits=1)
                return limit >= 1
            except IntegrityError:  # a parallel request created it first
                row = _counters().select_for_update().get(key=key)
        if row.window_start <= now - period:
            row.window_start, row.hits = now, 1
        else:
            row.hits += 1
        row.save(update_fields=["window_start", "hits"])
        return row.hits <= limit


def purge(older_than: timedelta = timedelta(days=2)) -> int:
    """Delete counters whose window ended long ago."""
    deleted, _ = _counters().filter(window_start__lt=timezone.now() - older_than).delete()
    return deleted
