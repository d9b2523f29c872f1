"""The communication register: rules, pages, scoping, concurrent edits, import,
export, attachments and figures."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cchc.core.figures import Scope, evaluate
from cchc.core.models import AuditLog
from cchc.registers.common.models import Attachment, SheetImport
from cchc.registers.common.services import StaleEdit
from cchc.registers.communication import figures as F
from cchc.registers.communication import services
from cchc.registers.communication.models import Channel, CommunicationItem, Topic

from .helpers import RegisterTestCase, pdf_file, sheet_rows, workbook, xlsx_upload

URL = "/so-theo-doi/tuyen-truyen/"


class CommunicationTestCase(RegisterTestCase):
    def item(self, commune=None, **values) -> CommunicationItem:
        fields = dict(
            channel=Channel.RADIO,
            topic=Topic.PROCEDURES,
            title="Hướng dẫn nộp hồ sơ trực tuyến",
            on=date(2024, 3, 6),
            duration_minutes=10,
            times=3,
        )
        fields.update(values)
        return services.communication_save(user=None, commune=commune or self.commune, **fields)


class ServiceTests(CommunicationTestCase):
    def test_it_refuses_incomplete_or_impossible_rows_naming_each_field(self):
        with self.assertRaises(ValidationError) as exc:
            services.communication_save(
                user=self.vanphong,
                commune=self.commune,
                channel=Channel.RADIO,
                title="",
                on=date(2030, 1, 1),
                department=self.other_dept,
            )
        errors = exc.exception.message_dict
        assert errors["title"] == ["Cần nhập tiêu đề (tên tin, bài, hoạt động)."]
        assert errors["on"] == ["Sổ ghi việc đã làm: ngày thực hiện không được sau hôm nay."]
        assert errors["duration_minutes"] == ["Tin phát thanh cần thời lượng (phút)."]
        assert errors["department"] == ["Bộ phận phải thuộc xã của sổ."]
        assert CommunicationItem.objects.count() == 0

    def test_only_the_communes_writers_may_write(self):
        with self.assertRaises(PermissionDenied):
            services.communication_save(
                user=self.chutich, commune=self.commune, channel=Channel.NEWS, title="x", on=date(2024, 1, 2)
            )
        with self.assertRaises(PermissionDenied):
            services.communication_save(
                user=self.captren, commune=self.commune, channel=Channel.NEWS, title="x", on=date(2024, 1, 2)
            )
        item = services.communication_save(
            user=self.tuphap, commune=self.commune, channel=Channel.NEWS, title="Tin", on=date(2024, 1, 2)
        )
        assert item.created_by == self.tuphap and item.version == 1

    def test_a_stale_edit_is_refused_and_a_fresh_one_counts_up_the_version(self):
        item = self.item()
        services.communication_save(user=self.vanphong, item=item, expected_version=1, times=4)
        with self.assertRaises(StaleEdit) as exc:
            services.communication_save(user=self.tuphap, item=item, expected_version=1, times=5)
        assert "Trong lúc bạn sửa, Vanphong đã lưu bản ghi này" in exc.exception.message
        item.refresh_from_db()
        assert (item.times, item.version, item.updated_by) == (4, 2, self.vanphong)


class PageTests(CommunicationTestCase):
    def test_the_list_shows_only_the_users_communes_and_searches_without_diacritics(self):
        self.item(title="Hướng dẫn đăng ký khai sinh trực tuyến")
        self.item(title="Tin của xã khác", commune=self.other_commune)
        self.login(self.vanphong)
        page = self.client.get(URL).content.decode()
        assert "Hướng dẫn đăng ký khai sinh trực tuyến" in page and "Tin của xã khác" not in page
        assert "khai sinh" in self.client.get(URL, {"q": "dang ky khai sinh"}).content.decode()
        assert "khai sinh" not in self.client.get(URL, {"q": "ket hon"}).content.decode()
        # The province sees both, read-only, with the commune column.
        self.login(self.captren)
        page = self.client.get(URL).content.decode()
        assert "Tin của xã khác" in page and "khai sinh" in page and ">Thêm<" not in page

    def test_the_export_has_the_filtered_rows_of_the_users_commune_only(self):
        self.item(title="Phát thanh một", on=date(2024, 2, 6))
        self.item(title="Tin web", channel=Channel.NEWS, duration_minutes=None, on=date(2024, 2, 12))
        self.item(title="Xã khác", commune=self.other_commune)
        self.login(self.vanphong)
        response = self.client.get(URL, {"format": "xlsx", "channel": "radio"})
        rows = sheet_rows(response.content)
        header = rows.index(next(r for r in rows if r and r[0] == "Ngày thực hiện"))
        data = [r for r in rows[header + 1 :] if any(r)]
        assert [r[2] for r in data] == ["Phát thanh một"]
        assert "Hình thức: Phát thanh trên Đài truyền thanh" in rows[1][0]
        assert AuditLog.objects.filter(action="export", model="communicationitem").exists()

    def test_another_communes_row_is_not_found_and_a_reader_cannot_edit(self):
        theirs = self.item(commune=self.other_commune)
        ours = self.item()
        self.login(self.vanphong)
        assert self.client.get(f"{URL}{theirs.pk}/").status_code == 404
        assert self.client.get(f"{URL}{theirs.pk}/sua/").status_code == 404
        self.login(self.chutich)
        assert self.client.get(f"{URL}{ours.pk}/").status_code == 200
        assert self.client.get(f"{URL}{ours.pk}/sua/").status_code == 403
        assert self.client.post(f"{URL}{ours.pk}/xoa/").status_code == 403
        assert CommunicationItem.objects.filter(pk=ours.pk).exists()

    def test_adding_through_the_form(self):
        self.login(self.vanphong)
        response = self.client.post(
            f"{URL}them/",
            {
                "channel": "conference",
                "topic": "general",
                "title": "Hội nghị triển khai Kế hoạch CCHC năm 2024",
                "on": "2024-01-15",
                "times": "1",
                "audience": "65",
                "department": self.dept_office.pk,
            },
        )
        item = CommunicationItem.objects.get()
        self.assertRedirects(response, f"{URL}{item.pk}/")
        assert (item.audience, item.department, item.commune) == (65, self.dept_office, self.commune)
        page = self.client.get(f"{URL}{item.pk}/").content.decode()
        assert "Hội nghị triển khai Kế hoạch CCHC năm 2024" in page and "Tạo mới" in page

    def test_a_concurrent_edit_shows_what_the_other_officer_saved(self):
        item = self.item(times=3)
        self.login(self.vanphong)
        form = {
            "version": "1",
            "channel": "radio",
            "topic": "procedures",
            "title": item.title,
            "on": "2024-03-06",
            "duration_minutes": "10",
            "times": "5",
        }
        services.communication_save(user=self.tuphap, item=item, expected_version=1, times=4)
        response = self.client.post(f"{URL}{item.pk}/sua/", form)
        page = response.content.decode()
        assert response.status_code == 400
        assert "Trong lúc bạn sửa, Tuphap đã lưu bản ghi này" in page
        assert "Số lần phát, đăng: <strong>4</strong>" in page
        assert 'name="version" value="2"' in page
        item.refresh_from_db()
        assert item.times == 4
        # Saving again (knowingly) overwrites.
        self.client.post(f"{URL}{item.pk}/sua/", {**form, "version": "2"})
        item.refresh_from_db()
        assert (item.times, item.version) == (5, 3)

    def test_attachments_follow_the_rows_permissions(self):
        item = self.item()
        self.login(self.vanphong)
        self.client.post(
            f"{URL}{item.pk}/dinh-kem/", {"files": [pdf_file("kich-ban.pdf")], "note": "Kịch bản"}
        )
        attachment = Attachment.objects.get()
        assert (attachment.original_name, attachment.commune) == ("kich-ban.pdf", self.commune)
        url = reverse("registers:attachment_download", args=[attachment.pk])
        response = self.client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
        self.login(self.other)
        assert self.client.get(url).status_code == 404
        self.login(self.vanphong)
        bad = self.client.post(
            f"{URL}{item.pk}/dinh-kem/", {"files": [xlsx_upload(b"not a zip", "a.xlsx")]}, follow=True
        )
        assert "không phải tệp XLSX hợp lệ" in bad.content.decode()
        assert Attachment.objects.count() == 1


HEADER = ["STT", "Ngày", "Hình thức", "Tiêu đề", "Thời lượng (phút)", "Số lần", "Bộ phận", "Đăng công khai"]


class ImportTests(CommunicationTestCase):
    def upload(self, content: bytes):
        self.login(self.vanphong)
        return self.client.post(f"{URL}nhap-excel/", {"file": xlsx_upload(content)})

    def test_every_bad_row_is_named_and_nothing_is_imported(self):
        content = workbook(
            ["SỔ THEO DÕI TUYÊN TRUYỀN CCHC NĂM 2024"],
            HEADER,
            [
                1,
                "06/03/2024",
                "Phát thanh",
                "Hướng dẫn nộp hồ sơ trực tuyến",
                10,
                3,
                "Văn phòng HĐND – UBND",
                "",
            ],
            [2, "31/02/2024", "Phát thanh", "Ngày sai", 10, 1, "", ""],
            [3, "07/03/2024", "Truyền hình", "Hình thức lạ", "", "", "", ""],
            [4, "08/03/2024", "phat thanh", "Thiếu thời lượng", "", 2, "", ""],
            [5, "09/03/2024", "Tin bài", "Bộ phận lạ", "", "", "Phòng Kinh tế", ""],
        )
        response = self.upload(content)
        page = response.content.decode()
        assert response.status_code == 400
        assert "Dòng 4: ngày thực hiện “31/02/2024” không phải ngày có thật." in page
        assert "Dòng 5: hình thức “Truyền hình” không thuộc các giá trị" in page
        assert "Dòng 6: tin phát thanh cần thời lượng (phút)." in page
        assert "Dòng 7: bộ phận “Phòng Kinh tế” không có trong xã" in page
        assert "Dòng 3" not in page
        assert CommunicationItem.objects.count() == 0 and SheetImport.objects.count() == 0

    def test_a_good_file_is_previewed_then_imported_and_a_second_import_changes_nothing(self):
        content = workbook(
            HEADER,
            [
                1,
                "06/03/2024",
                "Phát thanh",
                "Hướng dẫn nộp hồ sơ trực tuyến",
                10,
                3,
                "van phong dang uy",
                "Không",
            ],
            [2, date(2024, 3, 12), "Tin bài", "Xã triển khai dịch vụ công", "", 1, "", ""],
        )
        response = self.upload(content)
        upload = SheetImport.objects.get()
        self.assertRedirects(response, f"{URL}nhap-excel/{upload.pk}/")
        assert CommunicationItem.objects.count() == 0
        preview = self.client.get(f"{URL}nhap-excel/{upload.pk}/").content.decode()
        assert "Sẽ thêm mới 2, cập nhật 0, giữ nguyên 0" in preview
        self.client.post(f"{URL}nhap-excel/{upload.pk}/xac-nhan/")
        items = list(CommunicationItem.objects.order_by("on"))
        assert [(i.channel, i.times, i.duration_minutes) for i in items] == [
            ("radio", 3, 10),
            ("news", 1, None),
        ]
        assert items[0].department == self.dept_office  # a name prefix typed without diacritics
        upload.refresh_from_db()
        assert upload.status == "applied" and bytes(upload.content) == b""
        # The same file again: every row already in the register.
        self.upload(content)
        second = SheetImport.objects.filter(status="preview").get()
        assert second.summary["counts"] == {"create": 0, "update": 0, "unchanged": 2}

    def test_an_exported_register_imports_back_unchanged(self):
        self.item(department=self.dept_office)
        self.item(
            title="Tin web", channel=Channel.NEWS, duration_minutes=None, is_public=True, summary="Tóm tắt"
        )
        self.login(self.vanphong)
        exported = self.client.get(URL, {"format": "xlsx"}).content
        self.upload(exported)
        assert SheetImport.objects.get().summary["counts"] == {"create": 0, "update": 0, "unchanged": 2}

    def test_a_reader_cannot_import(self):
        self.login(self.chutich)
        assert self.client.get(f"{URL}nhap-excel/").status_code == 403


class FigureTests(CommunicationTestCase):
    def test_items_are_counted_in_the_window_both_ends_included(self):
        self.item(on=date(2023, 12, 14), title="Ngày trước kỳ")
        self.item(on=date(2023, 12, 15), title="Ngày đầu kỳ", times=2, duration_minutes=15)
        self.item(on=date(2024, 12, 14), title="Ngày cuối kỳ")
        self.item(on=date(2024, 12, 15), title="Ngày sau kỳ")
        self.item(
            on=date(2024, 5, 1),
            title="Hội nghị",
            channel=Channel.CONFERENCE,
            audience=40,
            duration_minutes=None,
        )
        self.item(on=date(2024, 5, 1), title="Xã khác", commune=self.other_commune)
        scope = Scope.of(
            commune_ids=[self.commune.pk], date_from=date(2023, 12, 15), date_to=date(2024, 12, 14)
        )
        values = evaluate(
            [F.ITEMS, F.RADIO, F.RADIO_BROADCASTS, F.RADIO_MINUTES, F.CONFERENCE_AUDIENCE], scope
        )
        assert values == {
            F.ITEMS: 3,
            F.RADIO: 2,
            F.RADIO_BROADCASTS: 5,
            F.RADIO_MINUTES: 15 * 2 + 10 * 3,
            F.CONFERENCE_AUDIENCE: 40,
        }
        radio_only = Scope.of(
            commune_ids=[self.commune.pk],
            date_from=date(2023, 12, 15),
            date_to=date(2024, 12, 14),
            channel="radio",
        )
        assert evaluate([F.ITEMS], radio_only)[F.ITEMS] == 2
        assert {i.title for i in F.ITEMS.records(scope)} == {"Ngày đầu kỳ", "Ngày cuối kỳ", "Hội nghị"}

    def test_the_demo_register_gives_the_figures_counted_by_hand(self):
        from cchc.core.demo import DemoLog
        from cchc.org import demo as org_demo
        from cchc.registers.communication import demo

        CommunicationItem.objects.all().delete()
        org_demo.load(DemoLog(write=lambda s: None))
        today = date(2026, 11, 30)
        demo.load(DemoLog(write=lambda s: None), today)
        again = DemoLog(write=lambda s: None)
        demo.load(again, today)
        assert again.created == 0  # re-runnable
        from cchc.org.models import Unit

        ducxuong = Unit.objects.get(slug="ducxuong")
        rows = [
            r
            for r in demo.demo_items("ducxuong", today)
            if date(2023, 12, 15) <= r["on"] <= date(2024, 12, 14)
        ]
        scope = Scope.of(commune_ids=[ducxuong.pk], date_from=date(2023, 12, 15), date_to=date(2024, 12, 14))
        values = evaluate(F.FIGURES, scope)
        radio = [r for r in rows if r["channel"] == "radio"]
        assert values[F.ITEMS] == len(rows)
        # Two a month from January to November, and 06/12 (20/12 falls after the 14/12 cut-off).
        assert values[F.RADIO] == len(radio) == 23
        assert values[F.RADIO_MINUTES] == sum(r["duration_minutes"] * r["times"] for r in radio)
        assert values[F.NEWS] == sum(r["channel"] == "news" for r in rows) == 12
        assert values[F.CONFERENCES] == 2
        assert values[F.CONFERENCE_AUDIENCE] == sum(r.get("audience") or 0 for r in rows)
