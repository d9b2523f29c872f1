import unicodedata

from cchc.core.text import clean_text, mask_digits, mask_name, search_key, search_terms


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
