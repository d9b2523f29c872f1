"""API plumbing shared by every router: bearer-token auth, NFC parsing, errors."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from . import audit, periods
from .models import ApiToken
from .periods import Period
from .text import clean_input
from .workflow import Conflict


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <token>`; tokens are created with `cchc api-token create`."""

    def authenticate(self, request: HttpRequest, token: str):
        from .auth import token_failed, token_lock, token_lock_message

        lock = token_lock(request)
        if lock is not None:  # too many unknown tokens from this address: not even looked up
            raise HttpError(429, token_lock_message(lock))
        try:
            api_token = (
                ApiToken.objects.active().select_related("user__unit").get(key_hash=ApiToken.hash_key(token))
            )
        except ApiToken.DoesNotExist:
            token_failed(request)
            return None
        user = api_token.user
        if not user.is_active:
            token_failed(request)
            return None
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            # Throttled so that a busy client does not write on every request.
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = user
        audit.set_actor(user, "api")
        return user


class SessionUserAuth(SessionAuth):
    """A logged-in browser session also works (CSRF-checked for writes). Without a
    logged-in session this method does not apply at all — so an anonymous call,
    POST included, answers 401, never a CSRF 403."""

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        if user:
            audit.set_actor(user, "api")
        return user


AUTH = [BearerAuth(), SessionUserAuth()]


def _nfc(value: Any) -> Any:
    """NFC without control characters, the one input rule (`text.clean_input`).
    (Strings beyond `settings.MAX_INPUT_CHARS` never get here: the input middleware
    refuses them with 422.)"""
    if isinstance(value, str):
        return clean_input(value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    return value


class NfcParser(Parser):
    def parse_body(self, request: HttpRequest):
        return _nfc(super().parse_body(request))


def install_error_handlers(api) -> None:
    @api.exception_handler(AuthenticationError)
    def _unauthorized(request, exc):
        return api.create_response(
            request, {"detail": "Chưa xác thực: cần khóa API hợp lệ (Authorization: Bearer …)."}, status=401
        )

    @api.exception_handler(HttpError)
    def _http_error(request, exc):
        message = str(exc)
        if message.startswith("Cannot parse request body"):  # django-ninja's own words
            message = "Nội dung gửi lên không phải JSON hợp lệ."
        return api.create_response(request, {"detail": message}, status=exc.status_code)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return api.create_response(request, {"detail": str(exc) or "Không có quyền."}, status=403)

    @api.exception_handler(Conflict)
    def _conflict(request, exc):
        return api.create_response(request, {"detail": exc.message}, status=409)

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return api.create_response(request, {"detail": str(exc) or "Không tìm thấy."}, status=404)

    @api.exception_handler(ValidationError)
    def _invalid(request, exc):
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        text = "; ".join(f"{'' if k == '__all__' else k + ': '}{' '.join(v)}" for k, v in messages.items())
        return api.create_response(request, {"detail": text, "errors": messages}, status=422)

    @api.exception_handler(NinjaValidationError)
    def _schema_invalid(request, exc):
        parts = []
        for err in exc.errors:
            loc = ".".join(
                str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "filters")
            )
            parts.append(f"{loc}: {schema_error_text(err)}" if loc else schema_error_text(err))
        return api.create_response(
            request, {"detail": "Dữ liệu không hợp lệ: " + "; ".join(parts), "errors": exc.errors}, status=422
        )


def schema_error_text(err: dict) -> str:
    """A Vietnamese sentence for a pydantic validation error."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "missing":
        return "thiếu, bắt buộc phải có"
    if kind in ("literal_error", "enum"):
        return f"phải là một trong các giá trị {ctx.get('expected', '')}".strip()
    if kind in ("string_type", "string_unicode"):
        return "phải là chuỗi ký tự"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "phải là số nguyên"
    if kind in ("float_type", "float_parsing", "decimal_parsing", "decimal_type"):
        return "phải là số"
    if kind in ("bool_type", "bool_parsing"):
        return "phải là true hoặc false"
    if kind.startswith("datetime"):
        return "phải là thời điểm ISO 8601, ví dụ 2026-11-27T09:30:00+07:00"
    if kind.startswith("date"):
        return "phải là ngày dạng YYYY-MM-DD"
    if kind == "string_too_short":
        return f"phải có ít nhất {ctx.get('min_length', 1)} ký tự"
    if kind == "string_too_long":
        return f"không được dài quá {ctx.get('max_length')} ký tự"
    if kind in ("greater_than_equal", "greater_than"):
        return f"phải lớn hơn{' hoặc bằng' if kind.endswith('equal') else ''} {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"phải nhỏ hơn{' hoặc bằng' if kind.endswith('equal') else ''} {ctx.get('le', ctx.get('lt'))}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "phải là một đối tượng JSON"
    if kind in ("list_type",):
        return "phải là một danh sách"
    if kind == "value_error":
        # Our own validators raise ValueError with a Vietnamese message.
        return str(ctx.get("error", err.get("msg", ""))).removeprefix("Value error, ")
    if kind == "json_invalid":
        return "nội dung không phải JSON hợp lệ"
    return err.get("msg", "không hợp lệ")


# Lists of the API: a page number and a page size with limits (a page beyond
# MAX_PAGE, or a size beyond a list's own cap, is refused with 422 and a message).
MAX_PAGE = 100_000


def page_field(default: int = 1):
    return Field(default, ge=1, le=MAX_PAGE, description=f"Trang (1–{MAX_PAGE:,})".replace(",", "."))


def page_size_field(default: int, cap: int):
    return Field(default, ge=1, le=cap, description=f"Số dòng mỗi trang (1–{cap})")


class PeriodQuery(Schema):
    """The window of a figures call (docs/figures.md): a reporting period code or a
    range of days; without either, the current reporting year."""

    period: str | None = Field(
        None, description="Kỳ báo cáo: 2024-05 (tháng), 2024-Q1 (quý), 2024-H1, 2024-9M, 2024 (năm)"
    )
    date_from: date | None = Field(
        None, alias="from", description="Từ ngày (YYYY-MM-DD), nếu không dùng period"
    )
    date_to: date | None = Field(None, alias="to", description="Đến ngày (YYYY-MM-DD), nếu không dùng period")


class WindowOut(Schema):
    """The window the figures were computed over."""

    period: str = Field(..., description="Mã kỳ (hoặc YYYY-MM-DD..YYYY-MM-DD với khoảng ngày)")
    label: str
    date_from: date
    date_to: date


def period_of(query: PeriodQuery, *, default: Period | None = None) -> Period:
    """The window asked for; 422 with a Vietnamese message when it is not valid."""
    try:
        return periods.resolve(
            period=query.period,
            date_from=query.date_from,
            date_to=query.date_to,
            default=default or periods.current(timezone.localdate()),
        )
    except ValueError as exc:
        raise HttpError(422, str(exc)) from None


def window_out(period: Period) -> dict:
    return {
        "period": period.code,
        "label": period.label,
        "date_from": period.date_from,
        "date_to": period.date_to,
    }


# --- errors in the OpenAPI document -------------------------------------------------
# Every error the API answers has the same body (`ErrorOut`). The handlers above are
# shared by every route, so the codes they produce are declared on every operation of
# the document (`declare_errors`): 400 (body not JSON, control character in the
# path), 401 (no or unknown key), 403 (no permission), 404 (unknown record, or one of
# another commune), 422 (invalid input), 429 (a throttled address), and 409 (the
# record's state forbids it) on the writing methods.


class ErrorOut(Schema):
    detail: str = Field(..., description="Thông báo lỗi bằng tiếng Việt")
    errors: Any = Field(None, description="Chi tiết theo trường (lỗi dữ liệu, 422)")


ERROR_CODES = {
    400: "Yêu cầu không đọc được (nội dung không phải JSON, ký tự điều khiển trong đường dẫn)",
    401: "Chưa xác thực: thiếu khóa API hoặc khóa không hợp lệ",
    403: "Không có quyền",
    404: "Không tìm thấy (hoặc thuộc xã khác)",
    409: "Trạng thái hiện tại của bản ghi không cho phép thao tác này",
    422: "Dữ liệu không hợp lệ",
    429: "Quá nhiều lần thử sai từ địa chỉ này: tạm thời bị từ chối",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def declare_errors(schema: dict) -> dict:
    """Add the shared error responses to every operation of an OpenAPI document."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    ref = {"$ref": "#/components/schemas/ErrorOut"}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            declared = {str(code) for code in responses}
            for code, text in ERROR_CODES.items():
                if str(code) in declared or (code == 409 and method not in WRITE_METHODS):
                    continue
                responses[code] = {"description": text, "content": {"application/json": {"schema": ref}}}
    return schema


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    unit: str | None = Field(None, description="Định danh URL của đơn vị")
    department: str | None = Field(None, description="Mã bộ phận")


router = Router(tags=["Hệ thống"])


@router.get("/me", response=MeOut, summary="Người dùng hiện tại")
def me(request):
    user = request.auth
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "unit": user.unit.slug if user.unit else None,
        "department": user.department.code if user.department else None,
    }


class PeriodOut(Schema):
    """A reporting period of NĐ 09/2019/NĐ-CP with its window and report deadline."""

    code: str = Field(
        ..., description="Mã kỳ dùng trong tham số period= (2024-05, 2024-Q1, 2024-H1, 2024-9M, 2024)"
    )
    kind: str = Field(..., description="month | quarter | half | nine_months | year")
    label: str = Field(..., description="Tên kỳ, ví dụ “Quý I/2024”")
    date_from: date = Field(..., description="Ngày đầu cửa sổ số liệu (tính cả ngày này)")
    date_to: date = Field(..., description="Ngày chốt số liệu (tính cả ngày này)")
    window: str = Field(..., description="Cửa sổ số liệu dạng dd/mm/yyyy")
    deadline: date = Field(
        ...,
        description="Ngày cuối cùng gửi báo cáo của kỳ (mặc định ngày 15 tháng cuối kỳ; CCHC_REPORT_DEADLINE_DAY)",
    )


class PeriodsOut(Schema):
    year: int
    periods: list[PeriodOut]


def period_out(period: Period) -> dict:
    return {
        "code": period.code,
        "kind": str(period.kind),
        "label": period.label,
        "date_from": period.date_from,
        "date_to": period.date_to,
        "window": f"{period.date_from:%d/%m/%Y} – {period.date_to:%d/%m/%Y}",
        "deadline": period.deadline(settings.REPORT_DEADLINE_DAY),
    }


@router.get("/periods", response=PeriodsOut, summary="Các kỳ báo cáo của một năm")
def periods_of_year(request, year: int | None = None):
    """Every reporting period of a reporting year (12 months, 4 quarters, the first
    half, nine months, the year) with its window and report deadline, in the order of
    the deadlines. Without `year`: the reporting year of today (from 15/12 it is the
    next calendar year)."""
    if year is None:
        year = periods.containing(timezone.localdate(), periods.PeriodKind.YEAR).year
    if not 2000 <= year <= 2100:
        raise HttpError(422, f"Năm {year} không hợp lệ: ghi năm từ 2000 đến 2100.")
    return {"year": year, "periods": [period_out(p) for p in periods.for_year(year)]}
