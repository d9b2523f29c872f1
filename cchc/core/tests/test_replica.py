"""Reads from a read replica (cchc/core/replica.py): read-only pages and the figures
they show are read from the replica, writes and the pages after a write from the
primary.

The replica here is a second database alias holding a copy of the primary taken a
moment ago (an SQLite file, whatever the primary is): the primary then receives one
more dossier that the replica does not have, so every assertion tells which
database answered."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.apps import apps
from django.db import connections, router, transaction
from django.test import override_settings
from django.utils import timezone

from cchc.core.replica import STICKY_COOKIE, ReplicaRouter, reading_from_replica
from cchc.dossiers.models import Dossier, Status
from cchc.dossiers.tests.helpers import make_procedure, receive
from cchc.testing import BaseTestCase

ALIAS = "replica"
ROOT = Path(__file__).resolve().parents[3]


def _attach_replica(folder: Path) -> None:
    """A second database alias with the primary's tables and rows as they are now."""
    configured = connections.configure_settings(
        {
            "default": connections.settings["default"],
            ALIAS: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(folder / "replica.sqlite3")},
        }
    )
    connections.settings[ALIAS] = configured[ALIAS]
    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
    with connections[ALIAS].schema_editor() as editor:
        for model in models:
            editor.create_model(model)  # with its many-to-many tables
    copied = models + [
        f.remote_field.through
        for m in models
        for f in m._meta.local_many_to_many
        if f.remote_field.through._meta.auto_created
    ]
    with connections[ALIAS].constraint_checks_disabled():
        for model in copied:
            rows = list(model._base_manager.using("default").order_by().all())
            model._base_manager.using(ALIAS).bulk_create(rows)


def _detach_replica() -> None:
    connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


@override_settings(REPLICA_DATABASE=ALIAS, REPLICA_STICKY_SECONDS=15)
class ReplicaReadsTests(BaseTestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix="cchc-replica-"))
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)
        self.today = timezone.localdate()
        now = timezone.now()
        self.proc = make_procedure(self.commune, department=self.dept_justice)
        self.token = self.api_token_for(self.captren)
        self.login(self.motcua)  # the session exists on both databases
        self.copied = [receive(self.motcua, self.proc, now).code for _ in range(2)]
        # An alias created during the test: allow it for this test only.
        allowed = type(self).databases
        type(self).databases = frozenset(allowed | {ALIAS})
        self.addCleanup(setattr, type(self), "databases", allowed)
        _attach_replica(self.folder)
        self.addCleanup(_detach_replica)
        # The primary moves on; the replica has not caught up yet.
        self.fresh = receive(self.motcua, self.proc, now).code

    def _stats(self):
        day = f"{self.today:%Y-%m-%d}"
        r = self.client.get(
            f"/api/v1/stats/dossiers?from={day}&to={day}", headers={"Authorization": f"Bearer {self.token}"}
        )
        self.assertEqual(r.status_code, 200, r.content)
        return r.json()

    def test_the_two_databases_differ(self):
        self.assertEqual(Dossier.objects.using("default").count(), 3)
        self.assertEqual(Dossier.objects.using(ALIAS).count(), 2)

    def test_figures_are_read_from_the_replica(self):
        self.assertEqual(self._stats()["received"], 2)
        self.assertEqual(self._stats()["open"], 2)

    def test_pages_are_read_from_the_replica(self):
        page = self.client.get("/ho-so/so-theo-doi/").content.decode()
        for code in self.copied:
            self.assertIn(code, page)
        self.assertNotIn(self.fresh, page)
        queue = self.client.get("/ho-so/").content.decode()
        self.assertIn(self.copied[0], queue)
        self.assertNotIn(self.fresh, queue)
        # The statistics page's figures too: 2 received (the primary has 3).
        stats = self.client.get(f"/ho-so/thong-ke/?tu={self.today:%d/%m/%Y}&den={self.today:%d/%m/%Y}")
        self.assertContains(
            stats, '<div class="value" data-key="dossiers.received">2 hồ sơ</div>', html=False
        )

    def test_after_a_write_the_same_browser_reads_the_primary(self):
        before = self.client.get("/ho-so/so-theo-doi/").content.decode()
        self.assertNotIn(self.fresh, before)
        answer = self.client.post(
            "/api/v1/dossiers",
            {
                "procedure": self.proc.code,
                "channel": "in_person",
                "applicant": {
                    "name": "Trần Thị Bình",
                    "id_number": "034195000111",
                    "phone": "0987654321",
                    "address": "Thôn Tây",
                },
            },
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.api_token_for(self.motcua)}"},
        )
        self.assertEqual(answer.status_code, 201, answer.content)
        # Written to the primary only.
        new_code = answer.json()["code"]
        self.assertTrue(Dossier.objects.using("default").filter(code=new_code).exists())
        self.assertFalse(Dossier.objects.using(ALIAS).filter(code=new_code).exists())
        self.assertEqual(answer.cookies[STICKY_COOKIE]["max-age"], 15)
        after = self.client.get("/ho-so/so-theo-doi/").content.decode()
        self.assertIn(self.fresh, after)
        self.assertIn(new_code, after)
        self.assertEqual(self._stats()["received"], 4)
        # Once the cookie has gone, the replica again.
        self.client.cookies.pop(STICKY_COOKIE)
        self.assertEqual(self._stats()["received"], 2)

    def test_reads_inside_a_transaction_and_outside_a_request_use_the_primary(self):
        self.assertEqual(Dossier.objects.count(), 3)  # a command, a job: the primary
        with reading_from_replica():
            self.assertEqual(Dossier.objects.count(), 2)
            with transaction.atomic():
                self.assertEqual(Dossier.objects.count(), 3)
            one = Dossier.objects.get(code=self.copied[0])
            self.assertEqual(one._state.db, ALIAS)
            # Its relations are read where it was read; saving it writes the primary.
            self.assertEqual(router.db_for_read(Dossier, instance=one), ALIAS)
            self.assertEqual(router.db_for_write(Dossier, instance=one), "default")
            one.applicant_address = "Thôn Bắc"
            one.save(update_fields=["applicant_address"])
        self.assertEqual(
            Dossier.objects.using("default").get(code=self.copied[0]).applicant_address, "Thôn Bắc"
        )
        self.assertNotEqual(
            Dossier.objects.using(ALIAS).get(code=self.copied[0]).applicant_address, "Thôn Bắc"
        )

    def test_a_form_post_reads_and_writes_the_primary(self):
        # Not on the replica yet: a link to it answers "not found" until it catches up…
        self.assertEqual(self.client.get(f"/ho-so/{self.fresh}/").status_code, 404)
        # …but a move on it reads the primary, writes the primary and pins this browser.
        response = self.client.post(
            f"/ho-so/{self.fresh}/thao-tac/", {"action": "transfer", "department": self.dept_justice.pk}
        )
        self.assertIn(STICKY_COOKIE, response.cookies)
        self.assertEqual(Dossier.objects.using("default").get(code=self.fresh).status, Status.PROCESSING)
        self.assertEqual(Dossier.objects.using(ALIAS).filter(code=self.fresh).count(), 0)
        self.assertContains(self.client.get(f"/ho-so/{self.fresh}/"), self.fresh)


class WithoutReplicaTests(BaseTestCase):
    def test_the_router_stays_out_of_the_way(self):
        r = ReplicaRouter()
        with reading_from_replica():
            self.assertIsNone(r.db_for_read(Dossier))
            self.assertIsNone(r.db_for_write(Dossier))
        response = self.client.post("/dang-nhap/", {"username": "x", "password": "y"})
        self.assertNotIn(STICKY_COOKIE, response.cookies)


def _settings_run(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "DJANGO_")) and k != "DATABASE_URL"
    }
    clean["CCHC_DATA_DIR"] = tempfile.mkdtemp(prefix="cchc-replica-settings-")
    clean.update(env)
    try:
        return subprocess.run(
            [sys.executable, "-c", "from cchc.cli import main; main(['cchc', 'diffsettings', '--all'])"],
            env=clean,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
    finally:
        shutil.rmtree(clean["CCHC_DATA_DIR"], ignore_errors=True)


def test_replica_setting_adds_the_alias_mirrored_in_tests():
    done = _settings_run(
        DATABASE_URL="postgres://app@db1:5432/cchc",
        CCHC_REPLICA_DATABASE_URL="postgres://reader@db2:5432/cchc",
    )
    assert done.returncode == 0, done.stderr
    assert "REPLICA_DATABASE = 'replica'" in done.stdout
    assert "'replica': {" in done.stdout and "'HOST': 'db2'" in done.stdout
    assert "'MIRROR': 'default'" in done.stdout


def test_replica_without_a_postgresql_primary_is_one_line_error():
    done = _settings_run(CCHC_REPLICA_DATABASE_URL="postgres://reader@db2:5432/cchc")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "cchc: lỗi cấu hình: CCHC_REPLICA_DATABASE_URL: bản sao chỉ đọc cần máy chủ chính PostgreSQL "
        "(đặt DATABASE_URL)."
    )
    bad = _settings_run(DATABASE_URL="postgres://app@db1:5432/cchc", CCHC_REPLICA_DATABASE_URL="mysql://x/y")
    assert bad.returncode == 2
    assert "CCHC_REPLICA_DATABASE_URL: kiểu 'mysql' không được hỗ trợ" in bad.stderr
