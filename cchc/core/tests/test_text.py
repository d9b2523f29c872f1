import unicodedata
from datetime import date, datetime

import pytest

from cchc.core.text import clean_text, mask_digits, mask_name, search_key, search_terms, vn_date, vn_time_date


def test_it_ignores_diacritics_and_tone_placement():
    assert search_key("hòa") == search_key("hoà") == search_key("hoa") == "hoa"
    assert search_key("ủy ban") == search_key("uỷ ban") == "uy ban"
    assert search_key("Đăng ký khai sinh") == "dang ky khai sinh"


def test_it_treats_composed_and_decomposed_input_alike():
    decomposed = unicodedata.normalize("NFD", "Hộ tịch")
    assert decomposed != "Hộ tịch"
    assert search_key(decomposed) == search_key("Hộ tịch") == "ho tich"
    assert clean_text(decomposed) == "Hộ tịch"


def test_clean_text_folds_spaces():
    assert clean_text("  Văn   phòng\n HĐND ") == "Văn phòng HĐND"


def test_search_terms_split_words():
    assert search_terms("  Khai  SINH ") == ["khai", "sinh"]
    assert search_terms("") == []


def test_masks_keep_little():
    assert mask_name("Nguyễn Văn An") == "N***** V** An"
    assert mask_digits("0912345678") == "*******678"


@pytest.mark.django_db
def test_search_matches_word_starts_only():
    from cchc.core.text import filter_by_search
    from cchc.org.models import Department
    from cchc.testing import make_department, make_unit

    commune = make_unit("commune", "xa", make_unit("province", "tinh"))
    make_department(commune, "a", "Tư pháp – Hộ tịch")
    make_department(commune, "b", "Thông tin cho người dân")
    qs = Department.objects.all()
    assert [d.code for d in filter_by_search(qs, "ho tich")] == ["a"]
    assert [d.code for d in filter_by_search(qs, "hộ t")] == ["a"]
    assert [d.code for d in filter_by_search(qs, "thong")] == ["b"]
    assert [d.code for d in filter_by_search(qs, "hong")] == []


def test_dates_in_words_follow_nd30_zero_padding():
    # NĐ 30/2020: a zero before days 1–9 and before the months 1 and 2 only.
    assert vn_date(date(2025, 4, 5)) == "ngày 05 tháng 4 năm 2025"
    assert vn_date(date(2025, 2, 12)) == "ngày 12 tháng 02 năm 2025"
    assert vn_date(date(2025, 1, 9)) == "ngày 09 tháng 01 năm 2025"
    assert vn_date(date(2025, 3, 1)) == "ngày 01 tháng 3 năm 2025"
    assert vn_date(date(2025, 12, 25)) == "ngày 25 tháng 12 năm 2025"
    assert vn_date(date(2025, 10, 10)) == "ngày 10 tháng 10 năm 2025"
    assert vn_time_date(datetime(2025, 4, 5, 13, 30)) == "13 giờ 30 phút, ngày 05 tháng 4 năm 2025"
