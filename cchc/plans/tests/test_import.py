"""Importing a plan document: spacing repair, the parser on the seed plan (compared
with the demo's hand-made 2024 plan), the matchers, and the save service."""

from __future__ import annotations

import difflib
import io
import json
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from docx import Document

from cchc.core.audit import acting_as
from cchc.core.models import AuditLog
from cchc.core.text import search_key
from cchc.org.demo import DEPARTMENTS
from cchc.plans import demo, services
from cchc.plans.documents import plan_docx
from cchc.plans.importing import services as imports
from cchc.plans.importing.matchers import DepartmentMatcher, find_budget, find_targets, parse_time
from cchc.plans.importing.models import ImportStatus, PlanImport
from cchc.plans.importing.spacing import repair_line, repair_text
from cchc.plans.importing.syllables import is_syllable, normalise_syllable
from cchc.plans.models import Plan, PlanStatus, Task
from cchc.testing import make_department, make_unit

from .helpers import PlanTestCase

SEED = Path(__file__).with_name("seed_plan.txt")


class SyllableTests(PlanTestCase):
    def test_it_knows_well_formed_syllables_and_refuses_glued_ones(self):
        for word in ("người", "nghiêng", "quốc", "giữ", "gì", "khuya", "hoá", "Ủy", "CẦU", "kỹ"):
            self.assertTrue(is_syllable(word), word)
        for word in ("côngtác", "ant", "Tưp", "cđịnh", "thựt́", "ngh", "kinhphí"):
            self.assertFalse(is_syllable(word), word)
        # c/k and g/gh spelling rules; -c, -ch, -p, -t take only sắc and nặng
        self.assertFalse(is_syllable("ce"))
        self.assertFalse(is_syllable("ghu"))
        self.assertTrue(is_syllable("kẻng"))
        self.assertFalse(is_syllable("thực̀"))
        self.assertFalse(is_syllable("thừc"))

    def test_it_puts_the_tone_mark_in_one_place(self):
        self.assertEqual(normalise_syllable("hoá"), "hóa")
        self.assertEqual(normalise_syllable("uỷ"), "ủy")
        self.assertEqual(normalise_syllable("Thuỷ"), "Thủy")
        self.assertEqual(normalise_syllable("khoẻ"), "khỏe")
        self.assertEqual(normalise_syllable("UỶ"), "ỦY")
        self.assertEqual(normalise_syllable("hoàn"), "hoàn")
        self.assertEqual(normalise_syllable("người"), "người")
        self.assertEqual(normalise_syllable("quý"), "quý")


class SpacingTests(PlanTestCase):
    def _pairs(self, text):
        return [(r.before, r.after) for r in repair_line(text).repairs]

    def test_it_splits_glued_syllables_into_known_words(self):
        fixed = repair_line("Côngtácchỉ đạo,điều hành củaTrung ương, tỉnhvà năm2024")
        self.assertEqual(fixed.text, "Công tác chỉ đạo, điều hành của Trung ương, tỉnh và năm 2024")
        self.assertIn(("Côngtácchỉ", "Công tác chỉ"), self._pairs("Côngtácchỉ đạo"))
        self.assertEqual(
            repair_line("II. CÁCCHỈTIÊU,NHIỆMVỤCHỦYẾU").text, "II. CÁC CHỈ TIÊU, NHIỆM VỤ CHỦ YẾU"
        )
        self.assertEqual(
            repair_line("LãnhđạoUBNDxã; TCVNISO9001: 2015").text, "Lãnh đạo UBND xã; TCVN ISO 9001:2015"
        )

    def test_it_joins_split_syllables(self):
        self.assertEqual(
            repair_line("Bảo đảm ant oàn, an ninh thông tin").text, "Bảo đảm an toàn, an ninh thông tin"
        )
        self.assertEqual(repair_line("3. Tưp háp-Hộ tịch").text, "3. Tư pháp-Hộ tịch")
        self.assertEqual(repair_line("d) Xá cđịnh rõ trách nhiệm").text, "d) Xác định rõ trách nhiệm")
        self.assertEqual(repair_line("theo kế ho ạch năm").text, "theo kế hoạch năm")

    def test_it_normalises_nfd_and_tone_placement_and_lists_each_repair(self):
        nfd = unicodedata.normalize("NFD", "Uỷ ban nhân dân, đơn giản hoá")
        fixed = repair_line(nfd, 7)
        self.assertEqual(fixed.text, "Ủy ban nhân dân, đơn giản hóa")
        kinds = {r.kind for r in fixed.repairs}
        self.assertEqual(kinds, {"unicode", "tone"})
        self.assertIn(("Uỷ", "Ủy"), [(r.before, r.after) for r in fixed.repairs])
        self.assertTrue(all(r.line == 7 for r in fixed.repairs))

    def test_it_leaves_sound_text_abbreviations_and_foreign_words_alone(self):
        clean = "\n".join(
            [demo.BASIS, demo.PURPOSE, demo.REQUIREMENTS, demo.REPORTING, demo.RESPONSIBILITIES]
        )
        result = repair_text(clean)
        self.assertEqual(result.text, clean)
        self.assertEqual(result.repairs, [])
        for text in ("Xét nghiệm ADN", "UBMTTQ, BTTTT, HĐND", "đăng ký qua Zalo, email, wifi", "T.M ỦY BAN"):
            self.assertEqual(repair_line(text).text, text)

    def test_it_flags_what_it_cannot_decide_instead_of_guessing(self):
        fixed = repair_line("bình khí Nitơ lỏng")
        self.assertEqual(fixed.text, "bình khí Nitơ lỏng")
        self.assertEqual(fixed.repairs, [])
        self.assertIn("Nitơ", fixed.doubts[0].text)
        self.assertIn("Ni tơ", " ".join(fixed.doubts[0].options))

    def test_the_seed_plan_s_defects_are_repaired(self):
        result = repair_text(SEED.read_text(encoding="utf-8"))
        text = result.text
        for good in (
            "MỤC ĐÍCH, YÊU CẦU",
            "Mục đích",
            "tổ chức và doanh nghiệp",
            "Cải cách tổ chức bộ máy",
            "Cải cách chế độ công vụ",
            "Xây dựng và thực hiện kế hoạch đào tạo, bồi dưỡng cán bộ, công chức,",
            "an toàn, an ninh thông tin",
            "tầm quan trọng",
            "3. Tư pháp-Hộ tịch",
            "Nơi nhận:",
            "TỔ CHỨC THỰC HIỆN",
            "Nghị định số 143/2020/NĐ-CP ngày 10/12/2020",
            "108/2020/NĐ-CP",
        ):
            self.assertIn(good, text)
        for bad in ("Côngtác", "tổ chứcvà", "năm2024", "ant oàn", "Tưp háp", "Xá cđịnh", "hợpđiều"):
            self.assertNotIn(bad, text)
        self.assertEqual(result.doubts, [])
        # Typos that are not spacing defects stay for the officer ("thí chứng", "Nghị đinh").
        self.assertIn("thí chứng", text)
        self.assertIn("Nghị đinh", text)


class MatcherTests(PlanTestCase):
    def test_it_turns_timing_text_into_dates_and_keeps_the_text(self):
        cases = {
            "Quý I": ("range", date(2024, 1, 1), date(2024, 3, 31), ""),
            "trước 31/3": ("deadline", None, date(2024, 3, 31), ""),
            "hằng quý": ("recurring", date(2024, 1, 1), date(2024, 12, 31), "quarterly"),
            "cả năm": ("range", date(2024, 1, 1), date(2024, 12, 31), ""),
            "tháng 6/2024": ("range", date(2024, 6, 1), date(2024, 6, 30), ""),
            "Trước 29/02/2024": ("deadline", None, date(2024, 2, 29), ""),
            "Quý II, III": ("range", date(2024, 4, 1), date(2024, 9, 30), ""),
        }
        for text, (frame, start, end, recurrence) in cases.items():
            guess = parse_time(text, 2024)
            self.assertEqual(
                (guess.time_frame, guess.start_date, guess.end_date, guess.recurrence, guess.text),
                (frame, start, end, recurrence, text),
                text,
            )
        guess = parse_time("Hằng quý (trước ngày 16 tháng cuối kỳ)", 2024)
        self.assertEqual((guess.recurrence, guess.recurrence_day), ("quarterly", 15))
        unknown = parse_time("khi có chỉ đạo", 2024)
        self.assertFalse(unknown.understood)
        self.assertEqual(unknown.text, "khi có chỉ đạo")

    def test_it_binds_targets_to_metrics(self):
        def one(text):
            [t] = find_targets(text)
            return t.metric, t.comparison, t.value

        self.assertEqual(
            one("Phấn đấu từ 98% -100% số hồ sơ TTHC được trả kết quả đúng hạn, trước hạn."),
            ("dossiers.on_time_rate", "gte", Decimal(98)),
        )
        self.assertEqual(
            one("công khai đúng quy định 100% các TTHC"), ("procedures.published_rate", "eq", Decimal(100))
        )
        self.assertEqual(one("từ 90% trở lên người dân hài lòng"), ("satisfaction.rate", "gte", Decimal(90)))
        self.assertEqual(
            one("tỷ lệ hồ sơ nộp trực tuyến ≥ 50%"), ("dossiers.online_rate", "gte", Decimal(50))
        )
        self.assertEqual(
            one("trên 80% phản ánh được xử lý đúng hạn"), ("petitions.on_time_rate", "gte", Decimal(80))
        )
        self.assertEqual(one("đạt 70% số cán bộ được bồi dưỡng"), ("", "gte", Decimal(70)))
        self.assertEqual(
            [t.text for t in find_targets("Đạt trên 80% phản ánh; công khai 100% TTHC")], ["trên 80%", "100%"]
        )
        self.assertEqual(find_budget("Kinh phí: 5.000.000 đồng"), Decimal(5_000_000))
        self.assertEqual(find_budget("dự kiến 1,5 tỷ đồng"), Decimal(1_500_000_000))
        self.assertIsNone(find_budget("theo dự toán"))

    def test_it_matches_departments_without_diacritics_and_flags_unknown_names(self):
        matcher = DepartmentMatcher([self.dept_office, self.dept_one_stop, self.dept_justice, self.dept_land])
        self.assertEqual(matcher.match("VP HĐND-UBND").department_id, self.dept_one_stop.pk)
        self.assertEqual(matcher.match("van phong hdnd ubnd xa").department_id, self.dept_one_stop.pk)
        self.assertEqual(matcher.match("Công chức Tư pháp").department_id, self.dept_justice.pk)
        self.assertEqual(matcher.match("TP-HT").department_id, self.dept_justice.pk)
        self.assertEqual(matcher.match("Địa chính-xây dựng").department_id, self.dept_land.pk)
        self.assertEqual(matcher.match("Văn phòng").status, "ambiguous")
        self.assertEqual(matcher.match("Ban quản lý chợ").status, "unknown")
        self.assertEqual(matcher.match("UBMTTQ xã").status, "generic")
        names = [m.text for m in matcher.match_list("VP HĐND-UBND, Tư pháp – Hộ tịch và Công an xã")]
        self.assertEqual(names, ["VP HĐND-UBND", "Tư pháp – Hộ tịch", "Công an xã"])


def seed_commune():
    province = make_unit("province", "tinh-seed", code="000.00.00.S01")
    commune = make_unit("commune", "xa-seed", province, code="000.01.01.S01")
    depts = {}
    for order, (code, name, flags) in enumerate(DEPARTMENTS, start=1):
        depts[code] = make_department(commune, code, name, order=order, **flags)
    return commune, depts


class SeedImportTests(PlanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.seed_commune, cls.depts = seed_commune()

    def parse_seed(self, year=2024):
        data = SEED.read_bytes()
        return imports.read_document(name="seed.txt", data=data, commune=self.seed_commune, year=year)

    def test_the_seed_imports_into_the_demo_plan_s_structure(self):
        parsed = self.parse_seed()
        areas = parsed["areas"]
        self.assertEqual([a["kind"] for a in areas], [kind for kind, _, _ in demo.AREAS])
        self.assertEqual([len(a["tasks"]) for a in areas], [len(tasks) for _, _, tasks in demo.AREAS])
        self.assertEqual(sum(len(a["tasks"]) for a in areas), 34)
        self.assertEqual(areas[-1]["title"], "Xây dựng chính quyền thân thiện")  # the seed's second "3."
        by_code = {d.pk: code for code, d in self.depts.items()}
        lead_differences = []
        for area, (_kind, _title, tasks) in zip(areas, demo.AREAS, strict=True):
            for task, (_t, content, lead, _c, _f, _o, extra) in zip(area["tasks"], tasks, strict=True):
                ratio = difflib.SequenceMatcher(
                    None, search_key(task["content"])[:200], search_key(content)[:200], autojunk=False
                ).ratio()
                # The demo's text is the seed edited by hand (typos, wording): similar, not equal.
                self.assertGreater(ratio, 0.6, task["content"][:80])
                got = by_code.get((task["lead"] or {}).get("department_id"))
                if got != lead:
                    lead_differences.append((task["content"][:20], got, lead))
                target = next((t for t in task["targets"] if t["metric"]), None)
                if target and extra:
                    self.assertEqual(
                        (target["metric"], target["comparison"], Decimal(target["value"])),
                        (extra["target_metric"], extra["target_comparison"], extra["target_value"]),
                    )
        # The seed names no lead per task: section V gives each area's lead. The demo's
        # editor chose two others by hand (the radio for publicity, the one-stop office for ISO).
        self.assertEqual(
            lead_differences,
            [
                ("Đổi mới và đa dạng h", "vp-dang-uy-noi-vu", "dai-truyen-thanh"),
                ("Duy trì và tổ chức t", "van-hoa-xa-hoi", "vp-hdnd-ubnd"),
            ],
        )
        targets = [
            (t["metric"], t["comparison"], t["value"])
            for a in areas
            for task in a["tasks"]
            for t in task["targets"]
        ]
        self.assertEqual(
            targets,
            [
                ("procedures.published_rate", "eq", "100"),
                ("dossiers.on_time_rate", "gte", "98"),
                ("satisfaction.rate", "gte", "90"),
            ],
        )

    def test_the_header_texts_and_unplaced_lines(self):
        parsed = self.parse_seed()
        self.assertEqual(parsed["year"], 2024)
        self.assertEqual(parsed["header"]["title"], "Cải cách hành chính nhà nước xã Đức Xương năm 2024")
        self.assertIn("Trích yếu ghi năm 2023", parsed["warnings"][0])
        self.assertEqual(parsed["header"]["signer_name"], "Đỗ Trọng Tuệ")
        texts = parsed["texts"]
        self.assertTrue(texts["basis"].startswith("Thực hiện Kế hoạch số 152/KH-UBND"))
        self.assertEqual(len(texts["purpose"].splitlines()), 4)
        self.assertEqual(len(texts["requirements"].splitlines()), 5)
        self.assertTrue(texts["budget"].startswith("Kinh phí thực hiện các nhiệm vụ"))
        self.assertIn("Công chức chuyên môn UBND xã", texts["recipients"].splitlines())
        self.assertEqual([u["text"] for u in parsed["unplaced"]], ["(Để báo cáo)"])
        self.assertIn("Số trang", {i["reason"] for i in parsed["ignored"]})

    def test_the_command_prints_json_and_saves_nothing_on_dry_run(self):
        out = io.StringIO()
        call_command(
            "import_plan", str(SEED), commune="xa-seed", year=2024, dry_run=True, format="json", stdout=out
        )
        data = json.loads(out.getvalue())
        self.assertEqual(len(data["areas"]), 8)
        self.assertEqual(sum(len(a["tasks"]) for a in data["areas"]), 34)
        self.assertIn(
            {"before": "Côngtácchỉ", "after": "Công tác chỉ", "kind": "split", "line": 57}, data["repairs"]
        )
        self.assertFalse(Plan.objects.filter(commune=self.seed_commune).exists())
        self.assertFalse(PlanImport.objects.exists())


class SaveTests(PlanTestCase):
    def upload(self, name="ke-hoach.txt", data=None, user=None, year=2024, commune=None):
        data = SEED.read_bytes() if data is None else data
        return imports.plan_import_read(
            user=user or self.vanphong,
            commune=commune or self.commune,
            upload=SimpleUploadedFile(name, data),
            year=year,
        )

    def test_saving_creates_a_draft_with_the_source_file_and_an_audit_row(self):
        record = self.upload()
        data = imports.initial_data(record.parsed)
        with acting_as(self.vanphong, "ui"):
            plan = imports.plan_import_save(user=self.vanphong, record=record, data=data)
        self.assertEqual(plan.status, PlanStatus.DRAFT)
        self.assertEqual((plan.areas.count(), Task.objects.filter(area__plan=plan).count()), (8, 34))
        record.refresh_from_db()
        self.assertEqual((record.status, record.plan_id), (ImportStatus.SAVED, plan.pk))
        self.assertEqual(record.file.read(), SEED.read_bytes())
        self.assertIn("Nhập từ tệp “ke-hoach.txt”", plan.events.get().note)
        log = AuditLog.objects.filter(
            model="plan", object_id=str(plan.pk), changes__has_key="imported_from"
        ).get()
        self.assertEqual(log.actor, self.vanphong)
        self.assertEqual(log.changes["tasks"], [None, 34])

    def test_an_error_in_one_task_saves_nothing(self):
        record = self.upload()
        data = imports.initial_data(record.parsed)
        data["areas"][2]["tasks"][1]["end_date"] = "2024-01-01"
        data["areas"][2]["tasks"][1]["start_date"] = "2024-05-01"
        with self.assertRaises(ValidationError) as ctx:
            imports.plan_import_save(user=self.vanphong, record=record, data=data)
        self.assertTrue(any(m.startswith("Nhiệm vụ 3.b)") for m in ctx.exception.messages))
        self.assertFalse(Plan.objects.filter(commune=self.commune, year=2024).exists())
        record.refresh_from_db()
        self.assertEqual(record.status, ImportStatus.PENDING)

    def test_re_importing_the_same_file_replaces_the_draft_only_when_asked(self):
        first = self.upload()
        plan = imports.plan_import_save(
            user=self.vanphong, record=first, data=imports.initial_data(first.parsed)
        )
        second = self.upload()
        existing = imports.existing_plan(second)
        self.assertEqual((existing.plan, existing.same_file, existing.replaceable), (plan, True, True))
        data = imports.initial_data(second.parsed)
        data["areas"] = data["areas"][:2]
        with self.assertRaises(services.Conflict):
            imports.plan_import_save(user=self.vanphong, record=second, data=data)
        again = imports.plan_import_save(user=self.vanphong, record=second, data=data, replace=True)
        self.assertEqual(again.pk, plan.pk)
        self.assertEqual(Plan.objects.filter(commune=self.commune, year=2024).count(), 1)
        self.assertEqual(again.areas.count(), 2)
        self.assertEqual(Task.objects.filter(area__plan=again).count(), 9)

    def test_an_issued_plan_is_never_replaced(self):
        plan = self.make_plan(year=2024)  # in effect
        record = self.upload()
        with self.assertRaises(services.Conflict):
            imports.plan_import_save(
                user=self.vanphong, record=record, data=imports.initial_data(record.parsed), replace=True
            )
        self.assertEqual(plan.areas.count(), 2)

    def test_only_the_standing_office_of_the_commune_imports(self):
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        with self.assertRaises(PermissionDenied):
            self.upload(user=self.tuphap)
        with self.assertRaises(Http404):
            self.upload(user=self.vanphong, commune=self.other_commune)
        record = self.upload()
        self.login(self.other)
        self.assertEqual(self.client.get(f"/ke-hoach/nhap/{record.pk}/").status_code, 404)
        self.login(self.tuphap)
        self.assertEqual(self.client.get(f"/ke-hoach/nhap/{record.pk}/").status_code, 403)
        self.assertEqual(self.client.get("/ke-hoach/nhap/").status_code, 403)

    def test_bad_files_get_a_clear_message(self):
        with self.assertRaises(ValidationError) as ctx:
            self.upload(name="ke-hoach.pdf", data=b"not a pdf at all")
        self.assertIn("không phải tệp PDF hợp lệ", ctx.exception.messages[0])
        with self.assertRaises(ValidationError) as ctx:
            self.upload(name="ke-hoach.exe", data=b"MZ")
        self.assertIn("chỉ nhận Word (.docx), PDF (.pdf) hoặc văn bản (.txt)", ctx.exception.messages[0])
        scanned = demo._pdf("", [])  # a PDF page with no words: what a scan looks like to a reader
        with self.assertRaises(ValidationError) as ctx:
            self.upload(name="scan.pdf", data=scanned)
        self.assertIn("không có lớp chữ", ctx.exception.messages[0])
        self.assertFalse(PlanImport.objects.exists())

    def test_a_saved_plan_exports_to_a_docx_that_imports_to_the_same_structure(self):
        record = self.upload()
        plan = imports.plan_import_save(
            user=self.vanphong, record=record, data=imports.initial_data(record.parsed)
        )
        docx = plan_docx(plan)
        parsed = imports.read_document(name="ke-hoach.docx", data=docx, commune=self.commune, year=None)
        self.assertEqual(parsed["shape"], "both")
        self.assertEqual(parsed["year"], 2024)
        original = [
            (
                a.kind,
                a.title,
                [
                    (t.title, t.lead_department_id, t.time_frame, t.end_date.isoformat(), t.target_metric)
                    for t in a.tasks.all()
                ],
            )
            for a in plan.areas.all()
        ]
        again = [
            (
                a["kind"],
                a["title"],
                [
                    (
                        t["title"],
                        (t["lead"] or {}).get("department_id"),
                        t["time"]["time_frame"],
                        t["time"]["end_date"],
                        next((x["metric"] for x in t["targets"] if x["metric"]), ""),
                    )
                    for t in a["tasks"]
                ],
            )
            for a in parsed["areas"]
        ]
        self.assertEqual(again, original)
        self.assertEqual(parsed["repairs"], [])
        doc = Document(io.BytesIO(docx))
        self.assertTrue(any("PHỤ LỤC" in p.text for p in doc.paragraphs))


DATA = Path(__file__).with_name("data")


def docx_from_text(text: str) -> bytes:
    """A Word file from text lines; lines starting with "|" form a table."""
    doc = Document()
    table = None
    for line in text.split("\n"):
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if table is None:
                table = doc.add_table(rows=0, cols=len(cells))
            row = table.add_row()
            for cell, value in zip(row.cells, cells, strict=False):
                cell.text = value
            continue
        table = None
        if line.strip():
            doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


class ShapeTests(PlanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.seed_commune, cls.depts = seed_commune()

    def codes(self, task):
        by_pk = {d.pk: code for code, d in self.depts.items()}
        lead = by_pk.get((task["lead"] or {}).get("department_id"))
        return lead, sorted(by_pk[c["department_id"]] for c in task["coordinating"] if c["department_id"])

    def test_an_appendix_only_word_plan(self):
        data = docx_from_text((DATA / "plan_appendix_only.txt").read_text(encoding="utf-8"))
        parsed = imports.read_document(name="an-lac.docx", data=data, commune=self.seed_commune)
        self.assertEqual((parsed["shape"], parsed["year"]), ("appendix", 2025))
        self.assertEqual(
            [a["kind"] for a in parsed["areas"]],
            [
                "direction",
                "institutions",
                "procedures",
                "organisation",
                "civil_service",
                "public_finance",
                "digital",
                "local",
            ],
        )
        self.assertEqual(sum(len(a["tasks"]) for a in parsed["areas"]), 12)
        first = parsed["areas"][0]["tasks"][0]
        self.assertEqual(self.codes(first), ("vp-dang-uy-noi-vu", ["vp-hdnd-ubnd"]))
        self.assertEqual(
            (first["time"]["start_date"], first["time"]["end_date"]), ("2025-01-01", "2025-03-31")
        )
        broadcast = parsed["areas"][6]["tasks"][1]
        self.assertEqual(self.codes(broadcast), ("dai-truyen-thanh", ["van-hoa-xa-hoi"]))
        # "Công an xã" is no department of the commune: kept and flagged, not dropped.
        self.assertIn(
            {"text": "Công an xã", "department_id": None, "department_name": "", "status": "generic"},
            broadcast["coordinating"],
        )
        self.assertEqual(broadcast["time"]["recurrence"], "monthly")
        self.assertEqual(parsed["header"]["signer_title"], "PHÓ CHỦ TỊCH")
        self.assertEqual(parsed["header"]["number"], "05")

    def test_inline_tasks_joined_with_their_appendix_rows(self):
        data = (DATA / "plan_inline_and_appendix.txt").read_bytes()
        parsed = imports.read_document(name="tan-phong.txt", data=data, commune=self.seed_commune)
        self.assertEqual((parsed["shape"], parsed["year"]), ("both", 2026))
        self.assertEqual([len(a["tasks"]) for a in parsed["areas"]], [2, 3, 2, 1, 2, 1])
        task = parsed["areas"][1]["tasks"][2]
        self.assertTrue(task["content"].startswith("Số hóa kết quả giải quyết thủ tục hành chính"))
        self.assertEqual(task["origin"], "both")
        self.assertEqual(self.codes(task), ("tu-phap-ho-tich", ["dia-chinh-xay-dung", "vp-hdnd-ubnd"]))
        self.assertEqual((task["time"]["start_date"], task["time"]["end_date"]), ("2026-03-01", "2026-10-31"))
        self.assertEqual(parsed["areas"][5]["kind"], "local")
        pairs = {(r["before"], r["after"]) for r in parsed["repairs"]}
        self.assertTrue(
            {("Yêucầu", "Yêu cầu"), ("tửcủa", "tử của"), ("chếđộ", "chế độ"), ("UỶ", "ỦY")} <= pairs
        )

    def test_a_second_heading_of_a_standard_kind_is_a_local_programme(self):
        text = (
            "KẾ HOẠCH\nCải cách hành chính năm 2025\nII. NHIỆM VỤ\n1. Xây dựng chính quyền số\n"
            "- Duy trì hệ thống một cửa điện tử.\n2. Chương trình chuyển đổi số cộng đồng\n"
            "- Thành lập tổ công nghệ số cộng đồng (Chủ trì: Văn hóa xã hội; thời gian: tháng 3-4).\n"
        )
        parsed = imports.read_document(name="p.txt", data=text.encode(), commune=self.seed_commune)
        self.assertEqual([a["kind"] for a in parsed["areas"]], ["digital", "local"])
        task = parsed["areas"][1]["tasks"][0]
        self.assertEqual(task["time"]["text"], "tháng 3-4")
        self.assertEqual((task["time"]["start_date"], task["time"]["end_date"]), ("2025-03-01", "2025-04-30"))
