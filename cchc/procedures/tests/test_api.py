import json

from cchc.procedures.models import Procedure
from cchc.procedures.services import procedures_import

from .helpers import ROWS, CatalogueTestCase, csv_bytes

URL = "/api/v1/procedures"


class ProcedureApiTests(CatalogueTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        procedures_import(commune=cls.commune, content=csv_bytes())
        procedures_import(commune=cls.other_commune, content=csv_bytes(ROWS[:2]))

    def get(self, user, url, **params):
        return self.client.get(url, params, headers=self.api_headers(user))

    def post(self, user, payload):
        return self.client.post(
            URL, json.dumps(payload), content_type="application/json", headers=self.api_headers(user)
        )

    def test_it_requires_authentication(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 401)
        self.assertIn("detail", response.json())

    def test_list_is_scoped_and_diacritic_insensitive(self):
        response = self.get(self.motcua, URL, q="dang ky khai sinh")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["count"], 1)
        item = data["results"][0]
        self.assertEqual(item["code"], "1.001193")
        self.assertEqual(item["commune"], "ducxuong")
        self.assertEqual(item["channels"], ["in_person", "online", "postal"])
        self.assertEqual(item["time"]["amount"], 3)
        self.assertEqual(item["time"]["unit"], "working_days")
        self.assertEqual(item["online_level"], "partial")
        self.assertEqual(item["department"], "tu-phap-ho-tich")
        self.assertFalse(item["needs_review"])
        self.assertEqual(self.get(self.motcua, URL, q="HỘ TỊCH").json()["count"], 2)

    def test_list_pagination_and_filters(self):
        data = self.get(self.vanphong, URL, page_size=2, page=3).json()
        self.assertEqual((data["count"], data["pages"], len(data["results"])), (5, 3, 1))
        self.assertEqual(self.get(self.vanphong, URL, needs_review="true").json()["count"], 3)
        self.assertEqual(self.get(self.vanphong, URL, online_level="none").json()["count"], 2)
        response = self.get(self.vanphong, URL, page_size=1000)
        self.assertEqual(response.status_code, 422)
        self.assertIn("page_size", response.json()["detail"])

    def test_province_user_sees_all_and_can_pick_a_commune(self):
        self.assertEqual(self.get(self.captren, URL).json()["count"], 7)
        self.assertEqual(self.get(self.captren, URL, commune="gialoc").json()["count"], 2)
        self.assertEqual(self.get(self.motcua, URL, commune="gialoc").status_code, 404)

    def test_get_by_code(self):
        response = self.get(self.tuphap, f"{URL}/2.000815")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["fee"]["amount"], 2000)
        self.assertIsNone(data["time"]["unit"])
        self.assertTrue(data["needs_review"])
        self.assertEqual(self.get(self.tuphap, f"{URL}/9.999999").status_code, 404)
        self.assertEqual(self.get(self.other, f"{URL}/2.000815").status_code, 404)  # not in gialoc

    def test_get_by_code_for_province_users_needs_a_commune_when_ambiguous(self):
        response = self.get(self.captren, f"{URL}/1.001193")
        self.assertEqual(response.status_code, 422)
        self.assertIn("commune=", response.json()["detail"])
        response = self.get(self.captren, f"{URL}/1.001193", commune="gialoc")
        self.assertEqual(response.json()["commune"], "gialoc")
        self.assertEqual(self.get(self.captren, f"{URL}/2.000815").json()["commune"], "ducxuong")

    def payload(self, **extra):
        return {
            "code": "9.000001",
            "name": "Xác nhận đơn đề nghị hỗ trợ",
            "commune": "ducxuong",
            "field": "Hộ tịch",
            "channels": ["in_person", "online"],
            "time": {"amount": 2, "unit": "working_days"},
            "fee_amount": 0,
            "documents": ["Đơn đề nghị", "Giấy tờ tùy thân"],
        } | extra

    def test_admin_creates_a_procedure(self):
        response = self.post(self.admin, self.payload())
        self.assertEqual(response.status_code, 201, response.content)
        data = response.json()
        self.assertEqual(data["channels"], ["in_person", "online"])
        self.assertEqual(data["online_level"], "partial")
        self.assertEqual(data["department"], "tu-phap-ho-tich")  # from the field table
        self.assertEqual(data["documents"], ["Đơn đề nghị", "Giấy tờ tùy thân"])
        self.assertFalse(data["needs_review"])
        procedure = Procedure.objects.get(commune=self.commune, code="9.000001")
        self.assertIn("time_amount", procedure.manual_fields)
        self.assertNotIn("department", procedure.manual_fields)

    def test_non_administrators_get_403(self):
        for user in (self.motcua, self.vanphong, self.chutich, self.captren):
            response = self.post(user, self.payload())
            self.assertEqual(response.status_code, 403, user.username)
            self.assertIn("quản trị viên", response.json()["detail"])
        self.assertFalse(Procedure.objects.filter(code="9.000001").exists())

    def test_duplicate_code_in_the_commune_is_409(self):
        response = self.post(self.admin, self.payload(code="1.001193"))
        self.assertEqual(response.status_code, 409)
        self.assertIn("đã có thủ tục mã 1.001193", response.json()["detail"])
        self.assertEqual(Procedure.objects.filter(code="1.001193").count(), 2)

    def test_bad_data_is_422_in_vietnamese(self):
        cases = [
            self.payload(time={"amount": None, "unit": "working_days"}),
            self.payload(code="mã có dấu cách"),
            self.payload(online_level="full", channels=["in_person"]),
            self.payload(department="khong-co"),
            self.payload(commune=None),
        ]
        messages = [
            "Cần nhập thời hạn",
            "Mã TTHC không hợp lệ",
            "mức dịch vụ công",
            "không có bộ phận mã",
            "Cần chỉ rõ xã",
        ]
        for payload, message in zip(cases, messages, strict=True):
            response = self.post(self.admin, payload)
            self.assertEqual(response.status_code, 422, payload)
            self.assertIn(message, response.json()["detail"])
        response = self.post(self.admin, self.payload(channels=["fax"]))
        self.assertEqual(response.status_code, 422)
        self.assertTrue(response.json()["detail"].startswith("Dữ liệu không hợp lệ"))
        self.assertFalse(Procedure.objects.filter(code="9.000001").exists())
