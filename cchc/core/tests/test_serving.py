"""Running for real: `cchc serve` (waitress + static files from the app), the public
address in QR codes, one-line configuration errors, `check --deploy`, the error log
and the Content-Security-Policy header."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path
from django.utils import timezone

from cchc.core import serving
from cchc.testing import BaseTestCase

ROOT = Path(__file__).resolve().parents[3]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment: only what a fresh machine would have, plus `extra`."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env["CCHC_DATA_DIR"] = str(tmp_path / "data")
    env.update(extra)
    return env


def _cchc(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from cchc.cli import main; main()", *args],
        env=_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def documented_production_settings() -> dict[str, str]:
    """The variables of the block "Thiết lập máy chủ thật" in docs/operations.md: the
    test checks the settings the documentation tells people to use."""
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- production-settings -->\s*```(?:env|bash)?\n(.*?)```", text, re.S)
    assert block, "docs/operations.md has no production settings block"
    pairs = [
        line.split("=", 1) for line in block.group(1).splitlines() if "=" in line and not line.startswith("#")
    ]
    return {k.strip(): v.strip() for k, v in pairs}


# --- settings errors -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CCHC_DEBUG", "maybe"),
        ("CCHC_PUBLIC_BASE_URL", "dichvucong.ducxuong.gov.vn"),
        ("CCHC_PUBLIC_BASE_URL", "https://dichvucong.ducxuong.gov.vn:port"),
        ("DATABASE_URL", "mysql://root@localhost/cchc"),
        ("CCHC_ADMINS", "not an address"),
        ("CCHC_LOG_LEVEL", "LOUD"),
    ],
)
def test_a_bad_setting_stops_the_program_with_one_line_naming_the_variable(tmp_path, variable, value):
    result = _cchc(tmp_path, "check", **{variable: value})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("cchc: lỗi cấu hình: ")
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_vietnamese_output_survives_a_non_utf8_console_or_log_file(tmp_path):
    """Windows sends redirected output (a service's log, `cchc backup > log.txt`)
    through the ANSI code page (cp1252): no Vietnamese letters, and the first
    message stopped the program with UnicodeEncodeError. It writes UTF-8 instead."""

    def run(*args, **extra):
        return subprocess.run(
            [sys.executable, "-c", "from cchc.cli import main; main()", *args],
            env=_env(tmp_path, PYTHONIOENCODING="cp1252", **extra),
            capture_output=True,
            timeout=120,
            cwd=ROOT,
        )

    helped = run("help", "serve")
    assert helped.returncode == 0, helped.stderr.decode("utf-8", "replace")
    assert "Địa chỉ lắng nghe" in helped.stdout.decode("utf-8")
    failed = run("check", CCHC_DEBUG="maybe")
    assert failed.returncode == 2
    assert (
        failed.stderr.decode("utf-8").strip()
        == "cchc: lỗi cấu hình: CCHC_DEBUG='maybe': cần true/false (1/0)."
    )


def test_the_deployment_check_fails_loudly_without_the_public_address(tmp_path):
    production = documented_production_settings()
    del production["CCHC_PUBLIC_BASE_URL"]
    result = _cchc(tmp_path, "check", "--deploy", **production)
    assert result.returncode == 1
    assert "cchc.E001" in result.stderr
    assert "CCHC_PUBLIC_BASE_URL" in result.stderr


def test_the_documented_production_settings_pass_the_deployment_check_without_a_warning(tmp_path):
    production = documented_production_settings()
    assert production["CCHC_HTTPS"] == "true"
    result = _cchc(tmp_path, "check", "--deploy", **production)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_the_deployment_check_warns_about_plain_http_cookies_and_a_public_address_not_allowed(tmp_path):
    production = documented_production_settings()
    production.update(CCHC_SECURE_COOKIES="false", CCHC_PUBLIC_BASE_URL="http://dvc.khac.gov.vn")
    result = _cchc(tmp_path, "check", "--deploy", **production)
    output = result.stderr + result.stdout
    for check in ("security.W012", "security.W016", "cchc.W002", "cchc.W003"):
        assert check in output


def _print_settings(tmp_path: Path, names: str, **extra: str) -> str:
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cchc.settings'); django.setup();"
        f"from django.conf import settings; print(*[getattr(settings, n, None) for n in {names.split()!r}])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=_env(tmp_path, **extra), capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_cookies_are_secure_by_default_unless_debugging(tmp_path):
    names = "SESSION_COOKIE_SECURE CSRF_COOKIE_SECURE"
    assert _print_settings(tmp_path, names) == "True True"
    assert _print_settings(tmp_path, names, CCHC_DEBUG="true") == "False False"
    assert _print_settings(tmp_path, names, CCHC_SECURE_COOKIES="false") == "False False"


def test_https_behind_a_proxy_redirects_sends_hsts_and_trusts_the_local_proxy_only(tmp_path):
    names = "SECURE_SSL_REDIRECT SECURE_HSTS_SECONDS SECURE_PROXY_SSL_HEADER TRUSTED_PROXY"
    assert _print_settings(tmp_path, names) == "False 0 None"
    assert (
        _print_settings(tmp_path, names, CCHC_HTTPS="true")
        == "True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') 127.0.0.1"
    )
    assert (
        _print_settings(tmp_path, "TRUSTED_PROXY", CCHC_HTTPS="true", CCHC_TRUSTED_PROXY="10.0.0.5")
        == "10.0.0.5"
    )


# --- the public address ------------------------------------------------------------------
def test_the_public_address_is_the_served_one_when_not_configured():
    assert serving.public_url_for("127.0.0.1", 8080) == "http://127.0.0.1:8080"
    assert serving.public_url_for("::1", 8080) == "http://[::1]:8080"
    lan = serving.lan_address()
    assert serving.public_url_for("0.0.0.0", 8000) == f"http://{lan or '127.0.0.1'}:8000"


class PublicAddressTests(BaseTestCase):
    def test_a_qr_code_printed_by_a_server_on_port_8080_opens_port_8080(self):
        from cchc.dossiers.tests.helpers import make_procedure, receive
        from cchc.satisfaction.services import rating_url

        proc = make_procedure(self.commune, department=self.dept_justice)
        dossier = receive(self.motcua, proc, timezone.now())
        with override_settings(PUBLIC_BASE_URL_SET=False, PUBLIC_BASE_URL="http://127.0.0.1:8000"):
            assert serving.apply_public_url("127.0.0.1", 8080) == "http://127.0.0.1:8080"
            link = rating_url(dossier)
        assert link.startswith("http://127.0.0.1:8080/danh-gia/r/")
        page = self.client.get(link.removeprefix("http://127.0.0.1:8080"))
        assert dossier.code in page.content.decode()

    def test_a_configured_public_address_wins_over_the_served_one(self):
        with override_settings(PUBLIC_BASE_URL_SET=True, PUBLIC_BASE_URL="https://dvc.ducxuong.gov.vn"):
            assert serving.apply_public_url("0.0.0.0", 8080) == "https://dvc.ducxuong.gov.vn"

    def test_serving_on_the_network_allows_requests_naming_that_address(self):
        with override_settings(PUBLIC_BASE_URL_SET=False, ALLOWED_HOSTS=["127.0.0.1", "localhost"]):
            url = serving.apply_public_url("192.168.1.20", 8000)
            assert url == "http://192.168.1.20:8000"
            assert settings.ALLOWED_HOSTS == ["127.0.0.1", "localhost", "192.168.1.20"]


def test_waitress_trusts_forwarded_headers_only_from_the_configured_proxy():
    with override_settings(TRUSTED_PROXY=""):
        options = serving.waitress_options(host="127.0.0.1", port=8000, threads=8)
        assert "trusted_proxy" not in options
        assert options["threads"] == 8
    with override_settings(TRUSTED_PROXY="127.0.0.1"):
        options = serving.waitress_options(host="127.0.0.1", port=8000, threads=4)
        assert options["trusted_proxy"] == "127.0.0.1"
        assert options["trusted_proxy_headers"] == {"x-forwarded-for", "x-forwarded-proto"}
        assert options["clear_untrusted_proxy_headers"] is True


# --- the server itself -----------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, **headers: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def wait_for_server(process: subprocess.Popen, base: str, timeout: float = 300) -> None:
    """Until `cchc serve` answers (it migrates and collects static files first: slow
    on a busy machine); fail with its output if it stopped."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            _get(f"{base}/healthz")
            return
        except OSError:
            if process.poll() is not None:
                pytest.fail(process.stdout.read())
            time.sleep(0.2)
    pytest.fail(f"cchc serve did not answer within {timeout} s")


def test_cchc_serve_runs_waitress_serves_hashed_static_files_and_takes_a_burst_of_requests(tmp_path):
    port = _free_port()
    env = _env(tmp_path)
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from cchc.cli import main; main()",
            "serve",
            "--port",
            str(port),
            "--threads",
            "4",
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(process, base)
        status, headers, body = _get(f"{base}/dang-nhap/")
        assert status == 200
        assert headers["Server"] == "cchc"  # waitress, named
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        html = body.decode()
        css = re.search(r'href="(/static/cchc/app\.[0-9a-f]{12}\.css)"', html)
        assert css, "pages link the hashed (collected) stylesheet"
        status, headers, body = _get(base + css.group(1), **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]
        # 60 simultaneous requests (the development server dropped 22 of 50): none fails.
        with ThreadPoolExecutor(max_workers=60) as pool:
            statuses = list(pool.map(lambda _: _get(f"{base}/dang-nhap/")[0], range(60)))
        assert statuses == [200] * 60
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert f"Địa chỉ công khai (mã QR, thư): http://127.0.0.1:{port} (theo địa chỉ đang phục vụ)" in output
    assert "cchc createsuperuser" in output  # a fresh installation is told how to get an account


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _wait_for(condition, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail("condition not met in time")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads worker processes from /proc (Linux)")
def test_cchc_serve_with_two_processes_serves_from_both_replaces_a_dead_worker_and_stops_them_all(tmp_path):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", "from cchc.cli import main; main()", "serve", "--port", str(port),
         "--threads", "2", "--processes", "2"],
        env=_env(tmp_path, CCHC_CACHE="database"), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(process, base)
        workers = _wait_for(lambda: (found := _children(process.pid)) and len(found) == 2 and found)
        with ThreadPoolExecutor(max_workers=20) as pool:
            statuses = list(pool.map(lambda _: _get(f"{base}/dang-nhap/")[0], range(40)))
        assert statuses == [200] * 40
        # A worker killed outright is replaced; the address keeps answering throughout.
        dead = min(workers)
        os.kill(dead, 9)
        replaced = _wait_for(
            lambda: (found := _children(process.pid)) and len(found) == 2 and dead not in found and found
        )
        assert len(replaced & workers) == 1
        assert _get(f"{base}/dang-nhap/")[0] == 200
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert process.returncode == 0, output
    assert "waitress, 2 tiến trình × 2 luồng" in output
    assert f"Tiến trình phục vụ {dead} dừng bất thường" in output
    assert "Đã dừng máy chủ." in output
    assert not (_children(process.pid) & replaced), "no worker outlives the supervisor"
    for pid in replaced | workers:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]


def test_several_processes_need_a_shared_cache_and_a_sane_count(tmp_path):
    result = _cchc(tmp_path, "serve", "--processes", "2", "--no-migrate")
    assert result.returncode == 1
    assert (
        "--processes lớn hơn 1 cần bộ đệm dùng chung giữa các tiến trình: đặt CCHC_CACHE=database"
        in result.stderr
    )
    result = _cchc(tmp_path, "serve", "--processes", "0", CCHC_CACHE="database")
    assert result.returncode == 1
    assert "--processes 0: cần từ 1 đến 32." in result.stderr
    assert "Cập nhật cơ sở dữ liệu" not in result.stdout + result.stderr, "refused before doing anything"


# --- errors and security headers ------------------------------------------------------------------
def _boom(request):
    raise RuntimeError("lỗi thử nghiệm 7f3a")


def _ok(request):
    return HttpResponse("ok")


urlpatterns = [path("boom/", _boom), path("ok/", _ok)]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False, ADMINS=[("Quản trị", "qt@ducxuong.gov.vn")])
def test_a_server_error_is_written_to_the_rotating_log_file_and_mailed_to_the_admins():
    log_file = settings.LOG_DIR / "cchc.log"
    handler = next(
        h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.RotatingFileHandler)
    )
    assert Path(handler.baseFilename) == log_file
    assert handler.maxBytes == 5 * 1024 * 1024 and handler.backupCount == 10
    before = log_file.read_text(encoding="utf-8") if log_file.exists() else ""
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    handler.flush()
    written = log_file.read_text(encoding="utf-8").removeprefix(before)
    assert "ERROR django.request" in written
    assert "RuntimeError: lỗi thử nghiệm 7f3a" in written  # with the traceback
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["qt@ducxuong.gov.vn"]
    assert "lỗi thử nghiệm 7f3a" in mail.outbox[0].body


@override_settings(ROOT_URLCONF=__name__)
def test_every_response_carries_a_content_security_policy_with_a_fresh_nonce():
    first = Client().get("/ok/")["Content-Security-Policy"]
    second = Client().get("/ok/")["Content-Security-Policy"]
    assert "script-src 'self';" in first
    assert "object-src 'none'" in first and "frame-ancestors 'none'" in first
    nonces = [re.search(r"'nonce-([^']+)'", h).group(1) for h in (first, second)]
    assert nonces[0] != nonces[1] and len(nonces[0]) >= 16
    with override_settings(CSP=""):
        assert "Content-Security-Policy" not in Client().get("/ok/")


def test_no_template_has_inline_scripts_handlers_or_styles_the_policy_would_refuse():
    """Inline event handlers only fail when clicked, so a crawl cannot see them: every
    template is read instead. <style> needs the request's nonce; <script> a src."""
    problems = []
    for template in sorted((ROOT / "cchc").rglob("templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>|<style\b[^>]*>|\son[a-z]+\s*=|javascript:", text, re.I):
            tag = match.group(0)
            if tag.startswith("<script") and ("src=" in tag or 'type="application/json"' in tag):
                continue
            if tag.startswith("<style") and 'nonce="{{ request.csp_nonce }}"' in tag:
                continue
            problems.append(f"{template.relative_to(ROOT)}: {tag.strip()}")
    assert problems == []
