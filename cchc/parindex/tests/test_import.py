"""Criteria sets as data: the example's JSON, the province's appendix table (.xlsx)
with every error named by its row, our own export formats round-tripping."""

import io
import json
from decimal import Decimal as D

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from cchc.parindex import criteria_io, services
from cchc.parindex.models import CriteriaSet, SetStatus

from .helpers import EXAMPLE, ParTestCase, example_spec


def xlsx(rows: list[list], title_rows: int = 2) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["PHỤ LỤC"])
    if title_rows > 1:
        ws.append(["Bộ tiêu chí xác định Chỉ số CCHC cấp xã (Kèm theo Quyết định số …)"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


HEAD = [
    "STT",
    "Tiêu chí, tiêu chí thành phần",
    "Điểm tối đa",
    "Hướng dẫn chấm",
    "Tài liệu kiểm chứng",
    "Cách chấm",
    "Ngưỡng (%)",
    "Các mức",
    "Khi không có số liệu",
    "Số liệu",
]


class ExampleImportTests(ParTestCase):
    def test_the_example_set_imports_as_a_labelled_example(self):
        spec = criteria_io.read_json(EXAMPLE.read_bytes())
        self.assertEqual(criteria_io.validate(spec), [])
        result = services.criteria_set_import(user=self.captren, owner=self.province, year=2025, spec=spec)
        s = result.criteria_set
        self.assertTrue(s.is_example)
        self.assertIn("EXAMPLE ONLY", s.example_note)
        self.assertTrue(str(s).startswith("[VÍ DỤ]"))
        self.assertEqual((s.scale, s.version, s.status), (D(100), 1, SetStatus.DRAFT))
        self.assertEqual([b["label"] for b in s.bands], ["Nhóm A", "Nhóm B", "Nhóm C"])
        codes = list(s.criteria.values_list("code", flat=True))
        self.assertEqual(codes[:6], ["1", "1.1", "1.2", "1.3", "1.4", "2"])
        self.assertEqual(len(codes), 31)
        self.assertEqual(sum(c.max_points for c in s.criteria.filter(parent=None)), D(100))
        c35 = s.criteria.get(code="3.5")
        self.assertEqual((c35.rule_kind, c35.rule), ("ratio_threshold", {"threshold": "90.0"}))
        c34 = s.criteria.get(code="3.4")
        self.assertEqual((c34.rule_kind, c34.rule), ("ratio", {"when_none": "full"}))
        c43 = s.criteria.get(code="4.3")
        self.assertEqual((c43.rule_kind, c43.rule), ("deduction", {"per_occurrence": "1", "floor": "0"}))
        self.assertEqual(s.criteria.get(code="7.2").rule_kind, "survey")
        # Descriptive data names: mapped to catalogue figures where the meaning matches,
        # else kept as the data source (the commune enters the numbers), with a warning.
        c12 = s.criteria.get(code="1.2")
        self.assertEqual(
            (c12.numerator_figure, c12.denominator_figure),
            ("plans.tasks_done_on_time", "plans.tasks_planned"),
        )
        self.assertEqual(s.criteria.get(code="1.3").figure, "reports.sent_on_time_rate")
        c33 = s.criteria.get(code="3.3")
        self.assertEqual((c33.data_source, c33.is_bound), ("late_with_apology / late_dossiers", False))
        self.assertIn(
            "Tiêu chí 3.3: số liệu “late_with_apology / late_dossiers” chưa có trong danh mục số liệu; "
            "xã nhập tử số, mẫu số kèm minh chứng (hoặc gắn số liệu trên trang bộ tiêu chí).",
            result.warnings,
        )

    def test_only_the_issuing_units_managers_import(self):
        with self.assertRaises(Exception) as ctx:
            services.criteria_set_import(
                user=self.vanphong, owner=self.province, year=2025, spec=example_spec()
            )
        self.assertEqual(ctx.exception.__class__.__name__, "PermissionDenied")
        self.assertFalse(CriteriaSet.objects.exists())

    def test_a_second_import_is_a_new_version(self):
        first = services.criteria_set_import(
            user=None, owner=self.province, year=2025, spec=example_spec()
        ).criteria_set
        second = services.criteria_set_import(
            user=None, owner=self.province, year=2025, spec=example_spec()
        ).criteria_set
        self.assertEqual((first.version, second.version, second.previous_id), (1, 2, first.pk))


class XlsxImportTests(ParTestCase):
    def test_every_error_is_named_with_its_row_and_nothing_is_written(self):
        content = xlsx(
            [
                HEAD,
                ["1", "Công tác chỉ đạo, điều hành", 12],  # row 4: children sum 11
                ["1.1", "Ban hành kế hoạch", 3],
                ["1.2", "Hoàn thành kế hoạch", 4, "", "", "tỷ lệ"],
                ["1.2", "Trùng mã", 4],  # row 7: duplicate
                ["1.3", "Báo cáo", "", "", ""],  # row 8: no maximum
                ["1.4", "Tuyên truyền", 4, "", "", "phép màu"],  # row 9: unknown kind
                ["2", "Thủ tục hành chính", 87],
                ["2.1", "Đúng hạn", 40, "", "", "ngưỡng", "120"],  # row 11: threshold above 100
                [
                    "2.2",
                    "Mức",
                    40,
                    "",
                    "",
                    "mức",
                    "",
                    "100:2; 95:1",
                ],  # row 12: bands not down to 0, points over max? no
                [
                    "2.3",
                    "Số liệu lạ",
                    7,
                    "",
                    "",
                    "tỷ lệ",
                    "",
                    "",
                    "",
                    "khong.co.that",
                ],  # row 13: unknown figure
                ["3.1", "Không có cha", 1],  # row 14: no parent 3
                ["", "Tổng cộng", 101],  # row 15: stated total
            ]
        )
        spec = criteria_io.read_xlsx(content)
        errors = criteria_io.validate(spec)
        self.assertEqual(
            errors,
            [
                "Dòng 7: mã “1.2” trùng với dòng 6.",
                "Dòng 8 (tiêu chí 1.3): thiếu điểm tối đa.",
                "Dòng 9 (tiêu chí 1.4): cách chấm “phép màu” không có (dùng: entered, ratio, ratio_threshold, bands, deduction, survey).",
                "Dòng 14 (tiêu chí 3.1): không có tiêu chí cha “3” ở phía trên.",
                "Dòng 11 (tiêu chí 2.1): ngưỡng đạt tối đa phải trong khoảng (0%, 100%].",
                "Dòng 12 (tiêu chí 2.2): các mức phải phủ đến 0% (mức thấp nhất bắt đầu từ 0%).",
                "Dòng 13 (tiêu chí 2.3): Số liệu “khong.co.that” không có trong danh mục số liệu.",
                "Tổng điểm tối đa các lĩnh vực là 99, khác thang điểm 100.",
                "Dòng 15: dòng tổng ghi 101 điểm, tổng các lĩnh vực là 99.",
            ],
        )
        with self.assertRaises(ValidationError) as ctx:
            services.criteria_set_import(user=self.captren, owner=self.province, year=2025, spec=spec)
        self.assertEqual(ctx.exception.messages, errors)
        self.assertFalse(CriteriaSet.objects.exists())

    def test_children_must_add_up_to_their_parent_or_not_exceed_it_where_the_set_says_so(self):
        rows = [HEAD, ["1", "Lĩnh vực", 100], ["1.1", "A", 40], ["1.2", "B", 50]]
        spec = criteria_io.read_xlsx(xlsx(rows))
        self.assertEqual(
            criteria_io.validate(spec),
            ["Dòng 4 (tiêu chí 1): tổng điểm tối đa các tiêu chí con 90 khác điểm tối đa 100."],
        )
        spec.sum_rule = "at_most"
        self.assertEqual(criteria_io.validate(spec), [])
        rows[2][2] = 60
        spec = criteria_io.read_xlsx(xlsx(rows))
        spec.sum_rule = "at_most"
        self.assertEqual(
            criteria_io.validate(spec),
            ["Dòng 4 (tiêu chí 1): tổng điểm tối đa các tiêu chí con 110 vượt điểm tối đa 100."],
        )

    def test_roman_areas_relative_numbers_letters_and_guidance_rows_as_provinces_publish(self):
        content = xlsx(
            [
                [
                    "STT",
                    "Lĩnh vực / tiêu chí",
                    "Điểm tối đa",
                    "Hướng dẫn chấm",
                    "Tài liệu kiểm chứng",
                    "Cách chấm",
                    "Ngưỡng",
                    "Các mức",
                ],
                ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "60 điểm"],
                ["1", "Kế hoạch CCHC", "2,5"],
                ["", "- Ban hành trước 31/12: 2,5 điểm"],
                ["2", "Kiểm tra", 57.5],
                ["a", "Kiểm tra đủ số đơn vị", 50, "", "Báo cáo kiểm tra"],
                ["b)", "Xử lý sau kiểm tra", 7.5],
                ["II", "THỦ TỤC HÀNH CHÍNH", 40],
                ["1", "Công khai", 40, "", "", "theo mức", "", "100% → 40; 95–<100% → 20; <95% → 0"],
            ]
        )
        spec = criteria_io.read_xlsx(content)
        self.assertEqual([n.code for n in spec.nodes], ["1", "1.1", "1.2", "1.2.1", "1.2.2", "2", "2.1"])
        self.assertEqual(spec.nodes[1].guidance, "- Ban hành trước 31/12: 2,5 điểm")
        self.assertEqual(spec.nodes[1].max_points, D("2.5"))
        self.assertEqual(spec.nodes[3].evidence_required, "Báo cáo kiểm tra")
        self.assertEqual(spec.nodes[6].rule.kind, "bands")
        self.assertEqual(criteria_io.validate(spec), [])

    def test_a_file_without_the_header_is_refused_clearly(self):
        with self.assertRaisesMessage(
            ValidationError, "Không tìm thấy dòng tiêu đề có cột “STT” và “Tiêu chí”"
        ):
            criteria_io.read_xlsx(xlsx([["Mã", "Tên"]]))
        with self.assertRaisesMessage(ValidationError, "không phải bảng tính .xlsx hợp lệ"):
            criteria_io.read_file("a.xlsx", b"PK\x03\x04garbage")
        with self.assertRaisesMessage(ValidationError, "Chỉ nhận tệp .xlsx"):
            criteria_io.read_file("a.pdf", b"%PDF-1.4")


class RoundTripTests(ParTestCase):
    def _tree(self, s: CriteriaSet) -> list[tuple]:
        return [
            (
                c.code,
                c.title,
                c.max_points,
                c.rule_kind,
                c.rule_obj.to_json(),
                c.figure,
                c.numerator_figure,
                c.denominator_figure,
                c.na_allowed,
            )
            for c in s.criteria.all()
        ]

    def test_exported_xlsx_and_json_reimport_to_the_same_tree(self):
        original = self.make_set(open_it=False)
        services.criterion_update(
            user=None,
            criterion=original.criteria.get(code="3.1"),
            rule_kind="bands",
            rule={"bands": [["100", "4"], ["95", "2"], ["0", "0"]]},
        )
        services.criterion_update(
            user=None, criterion=original.criteria.get(code="1.4"), na_allowed=True, rule={"step": "0.5"}
        )
        body = criteria_io.write_xlsx(original)
        ws = load_workbook(io.BytesIO(body)).active
        self.assertTrue(ws["A1"].value.startswith("[VÍ DỤ – KHÔNG PHẢI VĂN BẢN PHÁP LÝ]"))
        self.assertEqual(
            [c.value for c in ws[3]][:5],
            ["STT", "Tiêu chí", "Điểm tối đa", "Hướng dẫn chấm", "Tài liệu kiểm chứng"],
        )
        from_xlsx = services.criteria_set_import(
            user=None, owner=self.province, year=2025, spec=criteria_io.read_xlsx(body)
        ).criteria_set
        self.assertEqual(self._tree(from_xlsx), self._tree(original))
        data = json.dumps(criteria_io.write_json(original), ensure_ascii=False).encode()
        from_json = services.criteria_set_import(
            user=None, owner=self.province, year=2025, spec=criteria_io.read_json(data)
        ).criteria_set
        self.assertEqual(self._tree(from_json), self._tree(original))
        self.assertTrue(from_json.is_example)
        self.assertEqual(from_json.bands, original.bands)

    def test_own_json_errors_name_the_criterion(self):
        data = criteria_io.write_json(self.make_set(open_it=False))
        data["criteria"][0]["children"][1]["max_points"] = "5"
        data["criteria"][2]["children"][0]["figures"] = {"figure": "khong.co"}
        spec = criteria_io.read_json(json.dumps(data))
        self.assertEqual(
            criteria_io.validate(spec),
            [
                "Tiêu chí 1 (mục 1): tổng điểm tối đa các tiêu chí con 13 khác điểm tối đa 12.",
                "Tiêu chí 3.1 (3 → mục 1): Số liệu “khong.co” không có trong danh mục số liệu.",
            ],
        )
