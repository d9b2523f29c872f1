from decimal import Decimal

from django.test import SimpleTestCase

from cchc.core.workcal import TimeUnit
from cchc.procedures.models import OnlineLevel
from cchc.procedures.parsing import (
    CatalogueFileError,
    parse_channels,
    parse_fee,
    parse_online_level,
    parse_time,
    parse_time_text,
    read_catalogue,
)

from .helpers import REAL_FILE, csv_bytes, xlsx_bytes


class TimeTextTests(SimpleTestCase):
    def test_it_reads_working_days_with_leading_zero(self):
        parsed = parse_time_text("05 ngày làm việc")
        self.assertEqual((parsed.amount, parsed.unit, parsed.problem), (5, TimeUnit.WORKING_DAYS, ""))

    def test_it_reads_same_day(self):
        self.assertEqual(parse_time_text("Trong ngày").unit, TimeUnit.SAME_DAY)

    def test_it_reads_hours_as_working_hours(self):
        parsed = parse_time_text("03 giờ")
        self.assertEqual((parsed.amount, parsed.unit), (3, TimeUnit.WORKING_HOURS))

    def test_it_reads_calendar_days(self):
        parsed = parse_time_text("Không quá 10 ngày kể từ ngày nhận đủ hồ sơ")
        self.assertEqual((parsed.amount, parsed.unit), (10, TimeUnit.DAYS))

    def test_afternoon_cutoff_clock_time_is_not_a_duration(self):
        parsed = parse_time_text(
            "Ngay trong ngày; nếu sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo"
        )
        self.assertEqual((parsed.amount, parsed.unit, parsed.problem), (None, TimeUnit.SAME_DAY, ""))

    def test_two_different_times_are_flagged_not_guessed(self):
        parsed = parse_time_text("- 03 ngày làm việc; - 07 ngày làm việc trong trường hợp cần kiểm tra")
        self.assertEqual(parsed.unit, "")
        self.assertIn("nhiều thời hạn", parsed.problem)

    def test_months_are_flagged(self):
        self.assertIn("tháng", parse_time_text("02 tháng").problem)

    def test_text_without_a_time_is_flagged(self):
        self.assertIn("Không đọc được", parse_time_text("Theo quy định").problem)


class TimeColumnsTests(SimpleTestCase):
    def test_structured_columns_win(self):
        parsed = parse_time("45", "days", ["05 ngày làm việc"], "")
        self.assertEqual((parsed.amount, parsed.unit, parsed.text), (45, TimeUnit.DAYS, "45 days"))

    def test_amount_without_unit_is_flagged_and_raw_text_kept(self):
        parsed = parse_time("1", "", [""], "163/QĐ-BTP")
        self.assertIsNone(parsed.amount)
        self.assertEqual(parsed.text, "1")
        self.assertIn("không có đơn vị", parsed.problem)
        self.assertIn("163/QĐ-BTP", parsed.problem)

    def test_free_text_fills_a_missing_unit(self):
        parsed = parse_time("", "", ["", "05 ngày làm việc kể từ ngày nhận được hồ sơ đầy đủ"], "")
        self.assertEqual((parsed.amount, parsed.unit, parsed.problem), (5, TimeUnit.WORKING_DAYS, ""))

    def test_free_text_disagreeing_with_the_amount_is_flagged(self):
        parsed = parse_time("3", "", ["07 ngày làm việc"], "")
        self.assertIsNone(parsed.amount)
        self.assertIn("Cột số ngày ghi 3", parsed.problem)

    def test_zero_is_flagged(self):
        self.assertIn("bằng 0", parse_time("0", "working_days", [], "").problem)

    def test_unknown_unit_is_flagged(self):
        self.assertIn("không rõ", parse_time("2", "fortnights", [], "").problem)


class FeeTests(SimpleTestCase):
    def test_free_is_zero(self):
        self.assertEqual(parse_fee("Miễn phí").amount, Decimal(0))

    def test_no_information_is_unknown_and_flagged(self):
        parsed = parse_fee("Không có thông tin")
        self.assertIsNone(parsed.amount)
        self.assertIn("Không có thông tin", parsed.problem)

    def test_amount_stated_for_one_channel_is_read(self):
        parsed = parse_fee(
            "Không có thông tin2,000 Việt Nam Đồng(/trang)Tại Ủy ban nhân dân cấp xã: 2.000 đồng/trang"
        )
        self.assertEqual((parsed.amount, parsed.problem), (Decimal(2000), ""))

    def test_vnd_abbreviation(self):
        self.assertEqual(parse_fee("Không có thông tin8,000 VNĐ").amount, Decimal(8000))

    def test_free_but_set_by_the_provincial_council_is_flagged(self):
        parsed = parse_fee(
            "Miễn phí(Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương quyết định.)"
        )
        self.assertIsNone(parsed.amount)
        self.assertIn("HĐND", parsed.problem)

    def test_copy_fee_explanation_keeps_free(self):
        parsed = parse_fee(
            "Miễn phí(Miễn lệ phí. Phí cấp bản sao Trích lục kết hôn (nếu có yêu cầu) thực hiện theo Thông tư 281/2016/TT-BTC.)"
        )
        self.assertEqual(parsed.amount, Decimal(0))

    def test_time_run_into_the_fee_column_is_returned_as_rest(self):
        parsed = parse_fee("Không có thông tinMiễn phí05 ngày làm việc kể từ ngày nhận được hồ sơ đầy đủ")
        self.assertEqual(parsed.amount, Decimal(0))
        self.assertEqual(parsed.rest, "05 ngày làm việc kể từ ngày nhận được hồ sơ đầy đủ")

    def test_different_amounts_are_flagged(self):
        parsed = parse_fee("50,000 Việt Nam Đồng70,000 Việt Nam Đồng")
        self.assertIsNone(parsed.amount)
        self.assertIn("nhiều mức phí", parsed.problem)

    def test_fee_amount_column_wins(self):
        self.assertEqual(parse_fee("Không có thông tin", "15.000").amount, Decimal(15000))


class ChannelTests(SimpleTestCase):
    def test_codes_from_the_national_export(self):
        self.assertEqual(parse_channels("truc_tuyen buu_chinh truc_tiep")[:3], (True, True, True))
        self.assertEqual(parse_channels("truc_tiep")[:3], (True, False, False))

    def test_vietnamese_words(self):
        self.assertEqual(parse_channels("Trực tiếp; Qua bưu chính công ích")[:4], (True, False, True, ""))

    def test_unknown_channel_is_flagged(self):
        self.assertIn("Không hiểu", parse_channels("fax")[3])

    def test_online_level_is_full_only_when_stated(self):
        self.assertEqual(parse_online_level("", True), (OnlineLevel.PARTIAL, ""))
        self.assertEqual(parse_online_level("", False), (OnlineLevel.NONE, ""))
        self.assertEqual(parse_online_level("Toàn trình", True), (OnlineLevel.FULL, ""))
        level, problem = parse_online_level("toàn trình", False)
        self.assertEqual(level, OnlineLevel.NONE)
        self.assertTrue(problem)


class ReadFileTests(SimpleTestCase):
    def test_real_file_has_253_rows(self):
        table = read_catalogue(REAL_FILE.read_bytes())
        self.assertEqual(len(table.rows), 253)
        self.assertEqual(table.file_format, "csv")

    def test_semicolon_csv_with_vietnamese_headers(self):
        content = "Mã TTHC;Tên thủ tục;Lĩnh vực;Cách thức thực hiện;Thời hạn giải quyết;Phí, lệ phí\n1.1;Khai sinh;Hộ tịch;Trực tiếp;Trong ngày;Miễn phí\n"
        table = read_catalogue(content.encode())
        self.assertEqual(table.rows[0].values["time_text"], "Trong ngày")
        self.assertEqual(table.rows[0].source["Mã TTHC"], "1.1")

    def test_xlsx_numeric_cells(self):
        table = read_catalogue(
            xlsx_bytes(
                [
                    [
                        1.001193,
                        "Khai sinh",
                        "Hộ tịch",
                        "Cấp xã",
                        "",
                        "truc_tiep",
                        5.0,
                        "working_days",
                        "Miễn phí",
                    ]
                ]
            )
        )
        self.assertEqual(table.file_format, "xlsx")
        self.assertEqual(table.rows[0].values["code"], "1.001193")
        self.assertEqual(table.rows[0].values["time_amount"], "5")

    def assertRejected(self, content: bytes, fragment: str):
        with self.assertRaises(CatalogueFileError) as ctx:
            read_catalogue(content)
        self.assertIn(fragment, " ".join(ctx.exception.messages))

    def test_empty_file(self):
        self.assertRejected(b"", "Tệp rỗng")
        self.assertRejected(b"  \n", "Tệp rỗng")

    def test_header_only(self):
        self.assertRejected(csv_bytes([]), "không có thủ tục nào")

    def test_missing_columns_are_named(self):
        self.assertRejected(
            csv_bytes(header=["code", "name", "channels"], rows=[["1", "a", "truc_tiep"]]), "lĩnh vực (field)"
        )

    def test_wrong_encoding(self):
        self.assertRejected(csv_bytes(encoding="cp1258"), "UTF-8")

    def test_utf16(self):
        self.assertRejected(csv_bytes().decode().encode("utf-16"), "UTF-16")

    def test_not_a_table(self):
        self.assertRejected(b"%PDF-1.4 binary\x00\x01", "không phải CSV hoặc XLSX")
        self.assertRejected(b"PK\x03\x04garbage", "không phải bảng tính XLSX")
        self.assertRejected(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", ".xls")
        self.assertRejected("chỉ là một đoạn văn bản\nkhông có cột".encode(), "Không nhận ra tệp CSV")

    def test_rows_without_code_or_with_duplicate_code_reject_the_file(self):
        rows = [
            ["", "Không mã", "Hộ tịch", "", "", "truc_tiep", "1", "days", "Miễn phí"],
            ["1.1", "A", "Hộ tịch", "", "", "truc_tiep", "1", "days", "Miễn phí"],
            ["1.1", "B", "Hộ tịch", "", "", "truc_tiep", "1", "days", "Miễn phí"],
        ]
        with self.assertRaises(CatalogueFileError) as ctx:
            read_catalogue(csv_bytes(rows))
        message = " ".join(ctx.exception.messages)
        self.assertIn("Dòng 2: thiếu mã TTHC", message)
        self.assertIn("Dòng 4: mã TTHC 1.1 trùng với dòng 3", message)

    def test_broken_quotes(self):
        self.assertRejected(
            b'code,name,field,channels,time_amount,fee_text\n1.1,"Khai sinh,Ho tich,truc_tiep,1,x\n', ""
        )
