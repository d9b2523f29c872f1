"""Reform news on the commune's public page: the public rows of its communication
register, public columns only, never another commune's or an internal row."""

from datetime import date

from cchc.registers.communication import services
from cchc.registers.communication.models import Channel
from cchc.testing import BaseTestCase


class NewsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()

        def item(commune, title, public, on):
            return services.communication_save(
                user=None,
                commune=commune,
                channel=Channel.NEWS,
                title=title,
                on=on,
                summary=f"Tóm tắt: {title}",
                body=f"Nội dung <b>{title}</b>",
                is_public=public,
            )

        cls.public = item(cls.commune, "Xã triển khai dịch vụ công trực tuyến", True, date(2024, 3, 12))
        cls.older = item(cls.commune, "Hội nghị triển khai kế hoạch CCHC", True, date(2024, 1, 15))
        cls.internal = item(cls.commune, "Ghi chú nội bộ về tuyên truyền", False, date(2024, 3, 13))
        cls.theirs = item(cls.other_commune, "Tin của xã Gia Lộc", True, date(2024, 3, 14))

    def test_the_commune_page_and_the_news_list_show_its_public_news_newest_first(self):
        for url in ("/cong-khai/ducxuong/", "/cong-khai/ducxuong/tin-cchc/"):
            page = self.client.get(url).content.decode()
            assert page.index("Xã triển khai dịch vụ công trực tuyến") < page.index(
                "Hội nghị triển khai kế hoạch CCHC"
            )
            assert "Ghi chú nội bộ" not in page and "Tin của xã Gia Lộc" not in page

    def test_a_news_item_opens_with_its_text_escaped_and_others_are_not_found(self):
        response = self.client.get(f"/cong-khai/ducxuong/tin-cchc/{self.public.pk}/")
        page = response.content.decode()
        assert response.status_code == 200
        assert "Nội dung &lt;b&gt;Xã triển khai dịch vụ công trực tuyến&lt;/b&gt;" in page
        assert self.client.get(f"/cong-khai/ducxuong/tin-cchc/{self.internal.pk}/").status_code == 404
        assert self.client.get(f"/cong-khai/ducxuong/tin-cchc/{self.theirs.pk}/").status_code == 404
        assert self.client.get(f"/cong-khai/gialoc/tin-cchc/{self.theirs.pk}/").status_code == 200
