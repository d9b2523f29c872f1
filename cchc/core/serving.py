"""Serving the application for real: waitress (pure Python, runs on Windows and
Linux alike) with static files from the app (WhiteNoise), used by `cchc serve` and
`cchc demo`.

The public address printed in QR codes and e-mails is `CCHC_PUBLIC_BASE_URL`; when it
is unset, the address being served is used instead (`public_url_for`), so that a QR
code printed by `cchc demo --port 8080` opens port 8080, and one printed by a server
listening on every interface carries the machine's network address, not 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

from django.conf import settings

ANY_ADDRESS = ("0.0.0.0", "::", "")


def lan_address() -> str | None:
    """This machine's address on its local network (the one used to reach others), or
    None when it has none. Connecting a UDP socket sends no packet."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if ipaddress.ip_address(address).is_loopback else address


def public_url_for(host: str, port: int) -> str:
    """The base URL people reach a server listening on `host:port` at."""
    if host in ANY_ADDRESS:
        host = lan_address() or "127.0.0.1"
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return f"http://{host}:{port}"


def is_loopback_url(url: str) -> bool:
    from urllib.parse import urlsplit

    hostname = urlsplit(url).hostname or ""
    if hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def apply_public_url(host: str, port: int) -> str:
    """Use the served address as the public base URL unless one is configured, and
    let requests name that host (Django refuses unknown Host headers). Returns the
    public base URL in force."""
    from urllib.parse import urlsplit

    if not settings.PUBLIC_BASE_URL_SET:
        settings.PUBLIC_BASE_URL = public_url_for(host, port)
        hostname = urlsplit(settings.PUBLIC_BASE_URL).hostname
        if hostname and hostname not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, hostname]
    return settings.PUBLIC_BASE_URL


def waitress_options(*, host: str, port: int, threads: int) -> dict:
    """waitress settings: the address, the worker threads, and — behind a TLS proxy —
    which peer may set X-Forwarded-For/-Proto (everyone else's are dropped)."""
    options = {
        "host": host,
        "port": port,
        "threads": threads,
        "ident": "cchc",
        # Queue rather than refuse a burst of connections (a morning at the counter,
        # a province report deadline): waitress keeps them until a thread is free.
        "backlog": 2048,
        "connection_limit": max(100, threads * 25),
        "channel_timeout": 120,
        # Uploads are limited by the application (UPLOAD_MAX_BYTES × files); this is a
        # backstop against endless bodies.
        "max_request_body_size": max(settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.UPLOAD_MAX_BYTES) * 6,
    }
    if settings.TRUSTED_PROXY:
        options.update(
            trusted_proxy=settings.TRUSTED_PROXY,
            trusted_proxy_count=1,
            trusted_proxy_headers={"x-forwarded-for", "x-forwarded-proto"},
            clear_untrusted_proxy_headers=True,
        )
    return options


def serve(*, host: str, port: int, threads: int, write: Callable[[str], None]) -> None:
    """Serve until interrupted (Ctrl+C, or the service manager stopping it)."""
    from django.core.wsgi import get_wsgi_application
    from waitress import serve as waitress_serve

    application = get_wsgi_application()  # settings are loaded: `cchc serve` is a command

    write(f"Máy chủ: waitress, {threads} luồng, lắng nghe {host}:{port} (Ctrl+C để dừng).")
    try:
        waitress_serve(application, **waitress_options(host=host, port=port, threads=threads))
    except KeyboardInterrupt:
        write("Đã dừng máy chủ.")
