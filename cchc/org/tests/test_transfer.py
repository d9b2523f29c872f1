"""Moving up: a commune exported from its own SQLite installation (`cchc export`) and
imported into the province's database (`cchc import` — PostgreSQL when the suite runs
on it) arrives with identical counts, files and codes, and exported again from there
gives the same archive contents (round trip)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from cchc.core.tests.test_serving import ROOT, _env
from cchc.org.transfer import Scope, _counts

SOURCE = """
import hashlib, json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from cchc.core.tests.demo_data import load_small_demo
load_small_demo()
from cchc.org.tests.test_transfer import snapshot
from cchc.org.models import Unit, User
from cchc.procedures.models import Procedure
# The installation's administrator (no commune) reviewed one of the commune's procedures.
Procedure.objects.filter(pk=Procedure.objects.filter(commune__slug="ducxuong").first().pk).update(
    reviewed_by=User.objects.get(username="admin")
)
print(json.dumps(snapshot(Unit.objects.get(slug="ducxuong"))))
call_command("export", commune="ducxuong", output=sys.argv[1])
"""


def export_codes(commune) -> dict[str, list[str]]:
    """The codes people hold on paper (dossiers, petitions), for checking a move."""
    from cchc.dossiers.models import Dossier
    from cchc.petitions.models import Petition

    return {
        "dossiers": sorted(Dossier.objects.filter(commune=commune).values_list("code", flat=True)),
        "petitions": sorted(Petition.objects.filter(commune=commune).values_list("code", flat=True)),
    }


def snapshot(commune) -> dict:
    """What must survive a move: row counts per table, the codes on paper, the bytes of
    every evidence file, and the statistics computed from the rows."""
    from cchc.dossiers.stats import dossier_stats
    from cchc.plans.models import Evidence

    files = {
        e.file.name: hashlib.sha256(Path(e.file.path).read_bytes()).hexdigest()
        for e in Evidence.objects.filter(update__task__area__plan__commune=commune)
    }
    today = date.today()
    stats = dossier_stats(commune_ids=[commune.pk], date_from=date(today.year - 1, 1, 1), date_to=today)
    return {
        "counts": _counts(Scope(commune)),
        "codes": export_codes(commune),
        "files": files,
        "stats": {k: stats[k] for k in ("received", "on_time_rate", "late") if k in stats},
    }


def _export_from_a_sqlite_installation(tmp_path: Path) -> tuple[Path, dict]:
    env = _env(tmp_path)
    env["CCHC_DATA_DIR"] = str(tmp_path / "source")
    env["DJANGO_SETTINGS_MODULE"] = "cchc.settings"
    result = subprocess.run(
        [sys.executable, "-c", SOURCE, str(tmp_path / "exports")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    source = json.loads(lines[0])
    assert any(line.startswith("Đã xuất xã") for line in lines)
    return next((tmp_path / "exports").glob("cchc-xa-ducxuong-*.zip")), source


@pytest.mark.django_db(transaction=True)
def test_a_commune_moves_up_with_identical_counts_files_and_codes_and_round_trips(tmp_path):
    from cchc.core.models import AuditLog
    from cchc.dossiers.models import Dossier
    from cchc.dossiers.tests.helpers import at, make_procedure, receive
    from cchc.org.models import Role, Unit, User
    from cchc.plans.models import Evidence
    from cchc.procedures.models import Procedure
    from cchc.testing import make_unit, make_user

    archive, source = _export_from_a_sqlite_installation(tmp_path)
    assert source["counts"]["dossiers.Dossier"] >= 100
    assert len(source["files"]) >= 20
    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read("manifest.json"))
    assert manifest["engine"] == "sqlite"
    assert manifest["counts"] == source["counts"]

    # The province's server: the province, another commune already working there,
    # with an officer whose user name the arriving commune also uses.
    province = make_unit("province", "haiphong", code="000.00.00.H26")
    other = make_unit("commune", "vinhbao", province, code="000.30.31.H26")
    make_user("motcua", Role.ONE_STOP_OFFICER, other)
    other_dossier = receive(User.objects.get(username="motcua"), make_procedure(other), at(2026, 3, 2))

    with pytest.raises(CommandError, match="Tên đăng nhập đã có ở đây: motcua"):
        call_command("import", str(archive), stdout=StringIO())
    assert not Unit.objects.filter(slug="ducxuong").exists()  # nothing written

    out = StringIO()
    call_command("import", str(archive), user_prefix="ducxuong.", stdout=out)
    report = out.getvalue()
    commune = Unit.objects.get(slug="ducxuong")
    assert commune.parent == province and commune.path == f"{province.path}{commune.pk}/"
    assert f"{source['counts']['dossiers.Dossier']:,} hồ sơ".replace(",", ".") in report
    assert "motcua → ducxuong.motcua" in report

    arrived = snapshot(commune)
    # Every table as it was, and one more audit row: the move itself, attributed.
    moved = AuditLog.objects.filter(commune_id=commune.pk, source="command:import").get()
    assert moved.changes["import"] == archive.name
    assert arrived["counts"] == {**source["counts"], "core.AuditLog": source["counts"]["core.AuditLog"] + 1}
    assert arrived["codes"] == source["codes"]
    assert arrived["files"] == source["files"]
    assert arrived["stats"] == source["stats"]

    # The commune's staff sign in with their new names and find their files.
    officer = User.objects.get(username="ducxuong.vanphong")
    assert officer.unit == commune and officer.is_active
    item = Evidence.objects.filter(update__task__area__plan__commune=commune).first()
    client = Client()
    client.force_login(officer)
    body = b"".join(
        client.get(
            reverse("plans:evidence_download", args=[item.update.task.area.plan_id, item.pk])
        ).streaming_content
    )
    assert hashlib.sha256(body).hexdigest() == source["files"][item.file.name]
    # The old installation's administrator stays in the history, without access.
    admin = User.objects.get(username="ducxuong.admin")
    assert Procedure.objects.filter(commune=commune, reviewed_by=admin).count() == 1
    assert not (admin.is_active or admin.is_superuser or admin.is_staff or admin.has_usable_password())

    # The commune already there is untouched.
    assert list(Dossier.objects.filter(commune=other)) == [other_dossier]

    # Round trip: exported again from here, the same rows, codes and files (and the
    # audit rows of the move and of the download above).
    assert _counts(Scope(commune))["core.AuditLog"] == source["counts"]["core.AuditLog"] + 2
    call_command("export", commune="ducxuong", output=str(tmp_path / "again"), stdout=StringIO())
    again = next((tmp_path / "again").glob("cchc-xa-ducxuong-*.zip"))
    with zipfile.ZipFile(again) as z:
        second = json.loads(z.read("manifest.json"))
    assert second["counts"] == {**source["counts"], "core.AuditLog": source["counts"]["core.AuditLog"] + 2}
    assert second["files"] == manifest["files"]

    with pytest.raises(CommandError, match="đã có dữ liệu ở đây"):
        call_command("import", str(archive), user_prefix="x.", stdout=StringIO())


@pytest.mark.django_db
def test_export_refuses_a_unit_that_is_not_a_commune(tmp_path):
    from cchc.testing import make_unit

    make_unit("province", "haiphong")
    with pytest.raises(CommandError, match="không phải cấp xã"):
        call_command("export", commune="haiphong", output=str(tmp_path), stdout=StringIO())
    with pytest.raises(CommandError, match="Không có xã 'khong-co'"):
        call_command("export", commune="khong-co", output=str(tmp_path), stdout=StringIO())


@pytest.mark.django_db
def test_import_needs_the_province_first(tmp_path):
    archive = tmp_path / "cchc-xa-x.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(
            "manifest.json",
            json.dumps(
                {
                    "format": 1,
                    "commune": {"slug": "x", "agency_code": "1", "name": "x"},
                    "parent": "tinh-khac",
                    "order": ["org.Unit"],
                    "counts": {"org.Unit": 1},
                    "references": {},
                    "files": {},
                }
            ),
        )
    with pytest.raises(CommandError, match="Chưa có đơn vị cấp trên 'tinh-khac'"):
        call_command("import", str(archive), stdout=StringIO())
