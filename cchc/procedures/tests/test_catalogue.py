import unicodedata

from django.urls import reverse

from cchc.core.models import AuditLog
from cchc.core.workcal import TimeUnit
from cchc.procedures.models import Procedure, ProcedureImport
from cchc.procedures.selectors import published_catalogue, search_procedures
from cchc.procedures.services import procedure_update, procedures_import

from .helpers import CatalogueTestCase, csv_bytes

ROWS = [
    [
        "1.001193",
        "Thủ tục đăng ký khai sinh",
        "Hộ tịch",
        "Cấp xã",
        "163/QĐ-BTP",
        "truc_tiep truc_tuyen",
        "3",
        "working_days",
        "Miễn phí",
    ],
    [
        "1.000894",
        "Thủ tục đăng ký kết hôn",
        "Hộ tịch",
        "Cấp xã",
        "163/QĐ-BTP",
        "truc_tiep",
        "5",
        "working_days",
        "Miễn phí",
    ],
    [
        "2.000815",
        "Chứng thực bản sao từ bản chính",
        "Chứng thực",
        "Cấp xã",
        "",
        "truc_tiep",
        "",
        "",
        "Không có thông tin2,000 Việt Nam Đồng",
    ],
    [
        "1.004746",
        "Thủ tục đăng ký lại kết hôn",
        "Hộ tịch",
        "Cấp xã",
        "",
        "truc_tiep",
        "5",
        "working_days",
        "Miễn phí",
    ],
    [
        "2.001052",
        "Hòa giải tranh chấp đất đai",
        "Đất đai",
        "Cấp xã",
        "",
        "truc_tiep",
        "45",
        "days",
        "Miễn phí",
    ],
    [
        "1.004884",
        "Thủ tục đăng ký lại khai sinh",
        "Hộ tịch",
        "Cấp xã",
        "",
        "truc_tiep",
        "5",
        "working_days",
        "Miễn phí",
    ],
    [
        "3.000999",
        "Xác nhận hộ nghèo",
        "Giảm nghèo",
        "Cấp xã",
        "",
        "truc_tiep",
        "7",
        "working_days",
        "Miễn phí",
    ],
]


class SearchTests(CatalogueTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        procedures_import(commune=cls.commune, content=csv_bytes(ROWS))
        procedures_import(commune=cls.other_commune, content=csv_bytes(ROWS[:1]))

    def codes(self, query, commune=None):
        qs = Procedure.objects.filter(commune=commune or self.commune)
        return {p.code for p in search_procedures(qs, query)}

    def test_diacritics_case_and_tone_placement_do_not_matter(self):
        khai_sinh = {"1.001193", "1.004884"}
        self.assertEqual(self.codes("khai sinh"), khai_sinh)
        self.assertEqual(self.codes("KHAI SINH"), khai_sinh)
        self.assertEqual(self.codes("đăng ký khai sinh"), khai_sinh)
        self.assertEqual(self.codes("dang ky khai sinh"), khai_sinh)
        self.assertEqual(self.codes(unicodedata.normalize("NFD", "Đăng ký khai sinh")), khai_sinh)
        self.assertEqual(self.codes("ket hon"), {"1.000894", "1.004746"})
        self.assertEqual(self.codes("hoà giải"), {"2.001052"})  # old-style tone placement
        self.assertEqual(self.codes("hòa giải"), {"2.001052"})

    def test_field_is_searched(self):
        ho_tich = {"1.001193", "1.000894", "1.004746", "1.004884"}
        self.assertEqual(self.codes("hộ tịch"), ho_tich)
        self.assertEqual(self.codes("ho tich"), ho_tich)
        self.assertNotIn("3.000999", self.codes("ho tich"))  # "hộ nghèo" shares "ho" but not "tich"

    def test_code_is_searched_and_exact_code_comes_first(self):
        self.assertEqual(self.codes("1.001193"), {"1.001193"})
        qs = search_procedures(Procedure.objects.filter(commune=self.commune), "khai sinh")
        self.assertEqual(
            [p.code for p in qs], ["1.001193", "1.004884"]
        )  # field then name when relevance ties
        qs = search_procedures(Procedure.objects.filter(commune=self.commune), "lại khai sinh")
        self.assertEqual([p.code for p in qs], ["1.004884"])

    def test_empty_query_returns_everything(self):
        self.assertEqual(len(self.codes("")), 7)
        self.assertEqual(len(self.codes("   ")), 7)

    def test_ui_search_is_diacritic_insensitive_and_scoped(self):
        self.login(self.tuphap)
        response = self.client.get(reverse("procedures:list"), {"q": "dang ky khai sinh"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Thủ tục đăng ký khai sinh")
        self.assertContains(response, "Thủ tục đăng ký lại khai sinh")
        self.assertNotContains(response, "kết hôn")
        self.assertEqual(response.context["page"].paginator.count, 2)  # not gialoc's copy

    def test_ui_filters(self):
        self.login(self.vanphong)
        url = reverse("procedures:list")
        self.assertEqual(self.client.get(url, {"field": "Đất đai"}).context["page"].paginator.count, 1)
        self.assertEqual(self.client.get(url, {"online_level": "partial"}).context["page"].paginator.count, 1)
        # no time (chứng thực bản sao) and no rule for "Giảm nghèo" in the test commune
        self.assertEqual(self.client.get(url, {"review": "1"}).context["page"].paginator.count, 2)
        self.assertEqual(
            self.client.get(url, {"review": "0", "q": "ho tich"}).context["page"].paginator.count, 4
        )
        Procedure.objects.filter(code="1.000894").update(is_published=False)
        self.assertEqual(self.client.get(url, {"published": "0"}).context["page"].paginator.count, 1)

    def test_htmx_request_gets_the_results_fragment(self):
        self.login(self.motcua)
        response = self.client.get(reverse("procedures:list"), {"q": "ket hon"}, HTTP_HX_REQUEST="true")
        self.assertNotContains(response, "<html")
        self.assertContains(response, "Thủ tục đăng ký kết hôn")

    def test_province_viewer_sees_every_commune_and_can_filter(self):
        self.login(self.captren)
        url = reverse("procedures:list")
        self.assertEqual(self.client.get(url, {"q": "khai sinh"}).context["page"].paginator.count, 3)
        self.assertEqual(
            self.client.get(url, {"q": "khai sinh", "commune": "gialoc"}).context["page"].paginator.count, 1
        )

    def test_published_catalogue_for_citizens(self):
        Procedure.objects.filter(code="1.004884").update(is_published=False)
        self.assertEqual([p.code for p in published_catalogue(self.commune, q="khai sinh")], ["1.001193"])
        self.assertEqual(
            {p.code for p in published_catalogue(self.commune, field="Hộ tịch")},
            {"1.001193", "1.000894", "1.004746"},
        )
        self.assertEqual(published_catalogue(self.other_commune).count(), 1)


class PageTests(CatalogueTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        procedures_import(commune=cls.commune, content=csv_bytes(ROWS))
        procedures_import(commune=cls.other_commune, content=csv_bytes(ROWS[:1]))
        cls.khai_sinh = Procedure.objects.get(commune=cls.commune, code="1.001193")
        cls.copy = Procedure.objects.get(commune=cls.commune, code="2.000815")
        cls.other_copy = Procedure.objects.get(commune=cls.other_commune, code="1.001193")

    def test_detail_shows_time_fee_channels_department_and_raw_row(self):
        procedure_update(
            user=None,
            procedure=self.khai_sinh,
            changes={"documents": "Tờ khai đăng ký khai sinh\nGiấy chứng sinh"},
        )
        self.login(self.tuphap)
        response = self.client.get(reverse("procedures:detail", args=[self.khai_sinh.pk]))
        for text in (
            "3 ngày làm việc",
            "Miễn phí",
            "Trực tiếp, Trực tuyến",
            "Tư pháp – Hộ tịch",
            "Giấy chứng sinh",
            "163/QĐ-BTP",
            "time_unit",
            "working_days",
        ):
            self.assertContains(response, text)
        self.assertNotContains(response, ">Sửa</a>")  # a department officer reads only

    def test_other_communes_procedure_is_not_found(self):
        self.login(self.motcua)
        self.assertEqual(
            self.client.get(reverse("procedures:detail", args=[self.other_copy.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("procedures:edit", args=[self.other_copy.pk])).status_code, 404
        )

    def test_edit_permissions(self):
        url = reverse("procedures:edit", args=[self.khai_sinh.pk])
        for user in (self.tuphap, self.chutich, self.captren):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 403, user.username)
        self.login(self.captren)
        self.assertEqual(
            self.client.get(reverse("procedures:detail", args=[self.other_copy.pk])).status_code, 200
        )
        for user in (self.vanphong, self.motcua, self.admin):
            self.login(user)
            self.assertEqual(self.client.get(url).status_code, 200, user.username)

    def test_edit_validates_and_changes_nothing_on_error(self):
        self.login(self.motcua)
        url = reverse("procedures:edit", args=[self.khai_sinh.pk])
        data = {
            "name": "Thủ tục đăng ký khai sinh",
            "field": "Hộ tịch",
            "time_amount": "",
            "time_unit": "working_days",
            "fee_amount": "-5",
            "online_level": "full",
            "department": self.other_dept.pk,
        }
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors
        self.assertIn("department", errors)  # another commune's department is not a choice
        self.assertIn("fee_amount", errors)
        data |= {"department": self.dept_justice.pk, "fee_amount": "0", "in_person": "on"}
        response = self.client.post(url, data)
        errors = response.context["form"].errors
        self.assertIn("Cần nhập thời hạn khi đã chọn đơn vị.", str(errors))
        self.assertIn("online_level", errors)  # fully online needs the online channel
        # A processing time beyond the calendar's ten years is a typing error.
        response = self.client.post(url, data | {"time_amount": "100000", "online_level": "none"})
        self.assertEqual(
            response.context["form"].errors["time_amount"],
            ["Thời hạn quá dài: tối đa 2400 ngày làm việc (lịch tính hạn trong 10 năm)."],
        )
        self.khai_sinh.refresh_from_db()
        self.assertEqual((self.khai_sinh.time_amount, self.khai_sinh.manual_fields), (3, []))

    def test_two_officers_editing_one_procedure_the_second_is_told(self):
        url = reverse("procedures:edit", args=[self.khai_sinh.pk])
        self.login(self.motcua)
        opened = self.client.get(url).context["form"]["version"].value()
        self.login(self.vanphong)
        self.assertEqual(self.client.get(url).context["form"]["version"].value(), opened)
        data = {
            "name": "Thủ tục đăng ký khai sinh",
            "field": "Hộ tịch",
            "in_person": "on",
            "online_level": "none",
            "time_amount": "3",
            "time_unit": "working_days",
            "fee_amount": "0",
            "department": self.dept_justice.pk,
            "is_published": "on",
            "version": opened,
        }
        response = self.client.post(url, {**data, "decision": "QĐ của văn phòng"})
        self.assertRedirects(response, reverse("procedures:detail", args=[self.khai_sinh.pk]))
        self.login(self.motcua)
        response = self.client.post(url, {**data, "decision": "QĐ của một cửa"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Trong lúc bạn sửa, vanphong")
        self.khai_sinh.refresh_from_db()
        self.assertEqual(self.khai_sinh.decision, "QĐ của văn phòng")
        self.assertEqual(self.khai_sinh.version, opened + 1)
        # Without a version (an old form, an API client), nothing is checked.
        response = self.client.post(url, {**data, "version": "", "decision": "QĐ cuối"})
        self.assertEqual(response.status_code, 302)

    def test_edit_saves_marks_manual_and_is_audited(self):
        self.login(self.motcua)
        response = self.client.post(
            reverse("procedures:edit", args=[self.khai_sinh.pk]),
            {
                "name": "Thủ tục đăng ký khai sinh",
                "field": "Hộ tịch",
                "level": "Cấp xã",
                "decision": "163/QĐ-BTP",
                "in_person": "on",
                "online": "on",
                "online_level": "full",
                "time_unit": "same_day",
                "fee_amount": "0",
                "department": self.dept_justice.pk,
                "is_published": "on",
                "documents": "- Tờ khai\n- Giấy chứng sinh\n",
            },
        )
        self.assertRedirects(response, reverse("procedures:detail", args=[self.khai_sinh.pk]))
        self.khai_sinh.refresh_from_db()
        self.assertEqual(self.khai_sinh.time_unit, TimeUnit.SAME_DAY)
        self.assertEqual(self.khai_sinh.online_level, "full")
        self.assertEqual(self.khai_sinh.document_list, ["Tờ khai", "Giấy chứng sinh"])
        self.assertIn("time_unit", self.khai_sinh.manual_fields)
        self.assertIn("online_level", self.khai_sinh.manual_fields)
        log = AuditLog.objects.filter(
            model="procedure", object_id=str(self.khai_sinh.pk), action="update"
        ).first()
        self.assertEqual(log.actor, self.motcua)
        self.assertEqual(log.changes["time_unit"], ["working_days", "same_day"])

    def test_review_list_fix_and_clear(self):
        self.login(self.vanphong)
        response = self.client.get(reverse("procedures:review"))
        self.assertContains(response, "Chứng thực bản sao từ bản chính")
        self.assertContains(response, "Thời hạn:")
        self.assertNotContains(response, "Thủ tục đăng ký kết hôn")
        # Fixing the time through the edit form (coming from the review list) clears the flag.
        response = self.client.post(
            reverse("procedures:edit", args=[self.copy.pk]),
            {
                "name": self.copy.name,
                "field": self.copy.field,
                "in_person": "on",
                "online_level": "none",
                "time_amount": "1",
                "time_unit": "working_days",
                "fee_amount": "2000",
                "department": self.dept_justice.pk,
                "is_published": "on",
                "next": reverse("procedures:review"),
            },
        )
        self.assertRedirects(response, reverse("procedures:review"))
        self.copy.refresh_from_db()
        self.assertFalse(self.copy.needs_review)
        self.assertEqual(self.copy.reviewed_by, self.vanphong)
        remaining = self.client.get(reverse("procedures:review")).context["page"]
        self.assertEqual([p.code for p in remaining], ["3.000999"])

    def test_clear_flag_button(self):
        self.login(self.motcua)
        response = self.client.post(reverse("procedures:review_clear", args=[self.copy.pk]))
        self.assertRedirects(response, reverse("procedures:review"))
        self.copy.refresh_from_db()
        self.assertFalse(self.copy.needs_review)
        self.assertEqual(self.copy.review_notes, "")
        # Nothing to clear any more: a clear message, no change.
        response = self.client.post(reverse("procedures:review_clear", args=[self.copy.pk]), follow=True)
        self.assertContains(response, "không nằm trong danh sách cần rà soát")

    def test_review_needs_permission(self):
        self.login(self.tuphap)
        self.assertEqual(self.client.get(reverse("procedures:review")).status_code, 403)
        self.assertEqual(
            self.client.post(reverse("procedures:review_clear", args=[self.copy.pk])).status_code, 403
        )
        self.login(self.other)  # one-stop officer of another commune
        self.assertEqual(
            self.client.post(reverse("procedures:review_clear", args=[self.copy.pk])).status_code, 404
        )
        self.copy.refresh_from_db()
        self.assertTrue(self.copy.needs_review)

    def test_home_panel_counts_procedures_to_review(self):
        self.login(self.vanphong)
        self.assertContains(self.client.get(reverse("home")), "thủ tục cần rà soát")
        self.login(self.tuphap)
        self.assertNotContains(self.client.get(reverse("home")), "thủ tục cần rà soát")

    def test_nav_entry(self):
        self.login(self.tuphap)
        self.assertContains(self.client.get(reverse("procedures:list")), 'href="/thu-tuc/"')


class ImportPageTests(CatalogueTestCase):
    def test_upload_preview_confirm(self):
        self.login(self.motcua)
        upload = self._file(csv_bytes(ROWS), "danh-muc.csv")
        response = self.client.post(reverse("procedures:import"), {"file": upload, "commune": "ducxuong"})
        preview = ProcedureImport.objects.get()
        self.assertRedirects(response, reverse("procedures:import_preview", args=[preview.pk]))
        response = self.client.get(reverse("procedures:import_preview", args=[preview.pk]))
        self.assertContains(response, "tạo mới")
        self.assertEqual(response.context["counts"]["created"], 7)
        self.assertEqual(response.context["counts"]["flagged"], 2)
        self.assertEqual(Procedure.objects.count(), 0)
        response = self.client.post(reverse("procedures:import_confirm", args=[preview.pk]), follow=True)
        self.assertContains(response, "7 tạo mới, 0 cập nhật, 0 không đổi; 2 cần rà soát")
        self.assertEqual(Procedure.objects.filter(commune=self.commune).count(), 7)
        response = self.client.get(reverse("procedures:import_preview", args=[preview.pk]))
        self.assertContains(response, "Đã nhập")
        self.assertNotContains(response, "Xác nhận nhập")

    def test_bad_upload_shows_the_error_and_keeps_nothing(self):
        self.login(self.vanphong)
        response = self.client.post(
            reverse("procedures:import"),
            {"file": self._file(b"\x00\x01\x02", "x.csv"), "commune": "ducxuong"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "không phải CSV hoặc XLSX")
        self.assertEqual(ProcedureImport.objects.count(), 0)

    def test_a_file_over_the_upload_limit_is_refused(self):
        self.login(self.vanphong)
        content = csv_bytes(ROWS)
        with self.settings(UPLOAD_MAX_BYTES=len(content) - 1):
            response = self.client.post(
                reverse("procedures:import"),
                {"file": self._file(content, "danh-muc.csv"), "commune": "ducxuong"},
            )
        self.assertEqual(response.status_code, 200)
        self.assertIn("“danh-muc.csv” quá lớn", response.context["form"].errors["file"][0])
        self.assertEqual(ProcedureImport.objects.count(), 0)

    def test_only_own_commune_and_only_authorised_roles(self):
        self.login(self.motcua)
        response = self.client.post(
            reverse("procedures:import"), {"file": self._file(csv_bytes(ROWS), "a.csv"), "commune": "gialoc"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("commune", response.context["form"].errors)
        self.login(self.tuphap)
        self.assertEqual(self.client.get(reverse("procedures:import")).status_code, 403)
        self.assertEqual(ProcedureImport.objects.count(), 0)

    def test_discard(self):
        self.login(self.motcua)
        self.client.post(
            reverse("procedures:import"),
            {"file": self._file(csv_bytes(ROWS), "a.csv"), "commune": "ducxuong"},
        )
        preview = ProcedureImport.objects.get()
        self.client.post(reverse("procedures:import_discard", args=[preview.pk]))
        preview.refresh_from_db()
        self.assertEqual(preview.status, ProcedureImport.Status.DISCARDED)
        self.assertEqual(
            self.client.post(
                reverse("procedures:import_confirm", args=[preview.pk]), follow=True
            ).status_code,
            200,
        )
        self.assertEqual(Procedure.objects.count(), 0)

    def _file(self, content: bytes, name: str):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return SimpleUploadedFile(name, content, content_type="text/csv")


class RulesPageTests(CatalogueTestCase):
    def test_add_apply_and_delete_rules(self):
        procedures_import(commune=self.commune, content=csv_bytes(ROWS))
        poor = Procedure.objects.get(code="3.000999")
        self.assertEqual(poor.department, self.dept_one_stop)  # no culture department in the test commune
        self.login(self.vanphong)
        url = reverse("procedures:rules")
        response = self.client.get(url)
        self.assertContains(response, "Giảm nghèo")  # listed among fields without a rule
        response = self.client.post(
            url,
            {"commune": "ducxuong", "keyword": "giam ngheo", "department": self.dept_office.pk, "order": 5},
        )
        self.assertEqual(response.status_code, 302)
        self.client.post(reverse("procedures:rules_apply"), {"commune": "ducxuong"})
        poor.refresh_from_db()
        self.assertEqual(poor.department, self.dept_office)
        self.assertFalse(poor.needs_review)
        rule = poor.commune.procedure_department_rules.get(keyword="giam ngheo")
        self.client.post(reverse("procedures:rule_delete", args=[rule.pk]))
        self.assertFalse(poor.commune.procedure_department_rules.filter(pk=rule.pk).exists())

    def test_duplicate_keyword_is_refused_with_a_message(self):
        procedures_import(commune=self.commune, content=csv_bytes(ROWS))
        self.login(self.motcua)
        response = self.client.post(
            reverse("procedures:rules"), {"keyword": "HỘ TỊCH", "department": self.dept_office.pk, "order": 1}
        )
        self.assertContains(response, "đã có trong bảng phân công")

    def test_readers_cannot_change_rules(self):
        self.login(self.chutich)
        self.assertEqual(self.client.get(reverse("procedures:rules")).status_code, 200)
        response = self.client.post(
            reverse("procedures:rules"), {"keyword": "X", "department": self.dept_office.pk, "order": 1}
        )
        self.assertEqual(response.status_code, 403)
