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
import os
import socket
import time
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


def processes_problem(processes: int) -> str | None:
    """Why `processes` server processes cannot run here, in Vietnamese; None when they can.
    One process runs on every system; several need `os.fork` (Linux, macOS) and a cache the
    processes share (the sign-in throttle and the short-lived figures live in the cache)."""
    if not 1 <= processes <= 32:
        return f"--processes {processes}: cần từ 1 đến 32."
    if processes == 1:
        return None
    if not hasattr(os, "fork"):
        return (
            "--processes lớn hơn 1 chỉ chạy trên Linux/macOS. Trên Windows: chạy một tiến trình, "
            "hoặc nhiều `cchc serve` mỗi cái một cổng sau một proxy chia tải (docs/scaling.md)."
        )
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        return (
            "--processes lớn hơn 1 cần bộ đệm dùng chung giữa các tiến trình: đặt CCHC_CACHE=database "
            "(giới hạn đăng nhập sai và số liệu tạm thời mới đúng cho mọi tiến trình)."
        )
    return None


def serve(*, host: str, port: int, threads: int, write: Callable[[str], None], processes: int = 1) -> None:
    """Serve until interrupted (Ctrl+C, or the service manager stopping it).

    With `processes` > 1 (Linux, macOS) the address is bound once and that many worker
    processes, each a waitress server with `threads` threads, accept connections from the
    one listening socket: Python runs on as many cores as there are processes (the threads of
    one process share the interpreter lock). This process supervises them: a worker that
    dies is replaced, and SIGTERM or Ctrl+C stops them all."""
    from django.core.wsgi import get_wsgi_application
    from waitress import serve as waitress_serve

    application = get_wsgi_application()  # settings are loaded: `cchc serve` is a command
    options = waitress_options(host=host, port=port, threads=threads)
    if processes == 1:
        write(f"Máy chủ: waitress, {threads} luồng, lắng nghe {host}:{port} (Ctrl+C để dừng).")
        try:
            waitress_serve(application, **options)
        except KeyboardInterrupt:
            write("Đã dừng máy chủ.")
        return
    problem = processes_problem(processes)
    if problem:
        raise ValueError(problem)
    listener = _listen(host, port, options["backlog"])
    del options["host"], options["port"]
    options["sockets"] = [listener]
    write(
        f"Máy chủ: waitress, {processes} tiến trình × {threads} luồng, lắng nghe {host}:{port} "
        "(Ctrl+C để dừng)."
    )
    _supervise(lambda: waitress_serve(application, **options), processes, write)
    listener.close()
    write("Đã dừng máy chủ.")


def _listen(host: str, port: int, backlog: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(backlog)
    listener.setblocking(False)  # the workers select on it; the one that loses an accept moves on
    return listener


def _supervise(run_worker: Callable[[], None], processes: int, write: Callable[[str], None]) -> None:
    """Fork `processes` workers running `run_worker`, replace any that dies, stop all on
    SIGTERM/SIGINT. A worker that dies within 10 s of its start five times in a row means a
    fault that restarting will not cure: stop rather than loop."""
    import signal

    from django.db import connections

    connections.close_all()  # no connection may be shared across fork
    workers: dict[int, float] = {}
    stopping = False
    quick_deaths = 0

    def spawn() -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            code = 0
            try:
                run_worker()
            except BaseException:  # noqa: BLE001 - a worker never returns into the supervisor's code
                code = 1
            os._exit(code)
        workers[pid] = time.monotonic()

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(workers):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        for _ in range(processes):
            spawn()
        while workers:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            started = workers.pop(pid, None)
            if started is None or stopping:
                continue
            quick_deaths = quick_deaths + 1 if time.monotonic() - started < 10 else 0
            write(
                f"Tiến trình phục vụ {pid} dừng bất thường (trạng thái {status}); khởi động tiến trình mới."
            )
            if quick_deaths >= 5:
                write(
                    "Các tiến trình phục vụ dừng ngay sau khi khởi động nhiều lần: dừng máy chủ, xem nhật ký lỗi."
                )
                stop(None, None)
                continue
            spawn()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
