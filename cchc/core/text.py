"""Vietnamese text helpers: every input is stored in NFC, and every search in the
product compares *search keys* that ignore diacritics, tone-mark placement and case
(hòa = hoà = hoa, ủy = uỷ, Đ ~ d).
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# C0 control characters (NUL included) and DEL, except tab, line feed and carriage
# return: nothing a person types, refused by XML (.docx, .xlsx) and, for NUL, by
# PostgreSQL. The one rule for input: `clean_input` drops them.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def nfc(value: str) -> str:
    """Unicode NFC form, the one Vietnamese text is stored in."""
    return unicodedata.normalize("NFC", value)


def strip_controls(value: str) -> str:
    """The text without control characters (see `_CONTROLS`)."""
    return _CONTROLS.sub("", value)


def clean_input(value: str) -> str:
    """What every submitted value (form field, query parameter, API body) is turned
    into before any code sees it: NFC, without control characters. Applied once, by
    `core.middleware.NfcInputMiddleware` and the API's parser; the document
    builders apply `strip_controls` again for text stored before this rule."""
    return strip_controls(nfc(value))


def too_long_message(limit: int) -> str:
    return f"Một ô nhập quá dài: tối đa {limit:,} ký tự. Chưa có gì được lưu.".replace(",", ".")


def clean_text(value: str) -> str:
    """NFC, trimmed, inner runs of white space folded to one space."""
    return _SPACES.sub(" ", nfc(value)).strip()


def search_key(value: str | None) -> str:
    """A key for accent-insensitive search: lower case, no combining marks, đ → d.

    Decomposing (NFD) first makes the result independent of where the tone mark
    was typed ("hoà" vs "hòa") and of whether the input was composed or not.
    """
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped.lower()).strip()


def search_terms(query: str) -> list[str]:
    """Split a user's query into search-key words (empty words dropped)."""
    return [w for w in search_key(query).split(" ") if w]


def filter_by_search(queryset, query: str, field: str = "search_key"):
    """Keep rows whose `field` (a stored search key) has every word of `query` at
    the start of a word; every word but the last (which may still be being typed)
    must be a whole word. "ho tich" finds "Hộ tịch" but not "cho", "thong tin".

    The plain `contains` filter narrows the rows first (cheap, index-friendly on
    PostgreSQL trigram indexes); the regular expression then checks word starts.
    """
    terms = search_terms(query)
    for index, term in enumerate(terms):
        end = "" if index == len(terms) - 1 else "([^a-z0-9]|$)"
        queryset = queryset.filter(**{f"{field}__contains": term}).filter(
            **{f"{field}__regex": f"(^|[^a-z0-9]){re.escape(term)}{end}"}
        )
    return queryset


def mask_name(name: str) -> str:
    """'Nguyễn Văn An' → 'N*** V** An': enough for the applicant to recognise, not to identify."""
    parts = clean_text(name).split(" ")
    if not parts or parts == [""]:
        return ""
    masked = [p[0] + "*" * max(len(p) - 1, 1) for p in parts[:-1]]
    return " ".join([*masked, parts[-1]])


def mask_digits(value: str, keep: int = 3) -> str:
    """'0912345678' → '*******678'."""
    value = value or ""
    return "*" * max(len(value) - keep, 0) + value[-keep:]


def vn_date(day) -> str:
    """'ngày 05 tháng 4 năm 2025', 'ngày 12 tháng 02 năm 2025' (NĐ 30/2020/NĐ-CP,
    docs/rules.md §12): a leading zero for days below 10 and for the months 1 and 2
    only. Every date written in words on a form or document goes through here."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def vn_time_date(moment) -> str:
    """'14 giờ 05 phút, ngày 05 tháng 4 năm 2025' for a local (aware) datetime."""
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút, {vn_date(moment)}"
