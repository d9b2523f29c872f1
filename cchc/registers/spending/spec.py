"""The reform-budget register's columns and import. A task is named in the sheet
as the plan's appendix numbers it ("2.a) Rà soát văn bản…": area number, task
letter) or by its title, with the plan's year."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from cchc.core import sheets
from cchc.core.figures import format_number
from cchc.core.sheets import Column, SheetRow
from cchc.core.text import search_key
from cchc.plans.models import Plan, Task

from ..common import registry
from ..common.registry import ImportContext, ImportItem, RegisterSpec
from ..common.services import same
from . import services
from .models import Expense, ExpenseKind

KIND_ALIASES = {
    "du toan": ExpenseKind.ESTIMATE,
    "du toan giao": ExpenseKind.ESTIMATE,
    "dieu chinh du toan": ExpenseKind.ESTIMATE,
    "thuc chi": ExpenseKind.SPENT,
    "chi": ExpenseKind.SPENT,
    "da chi": ExpenseKind.SPENT,
    "quyet toan": ExpenseKind.SPENT,
}
TASK_CODE = re.compile(r"^\s*(\d+)\s*\.\s*([a-zđ])\s*\)?\s*(.*)$", re.IGNORECASE)

COLUMNS = [
    Column("year", "Năm kế hoạch", ("năm",), sheets.integer, needed=True, empty=None),
    Column(
        "task", "Nhiệm vụ", ("nhiệm vụ cchc", "mục", "nội dung nhiệm vụ"), sheets.text_of(400), needed=True
    ),
    Column("kind", "Loại", ("loại kinh phí",), sheets.choice(ExpenseKind, KIND_ALIASES), needed=True),
    Column(
        "amount",
        "Số tiền (đồng)",
        ("số tiền", "kinh phí", "thành tiền"),
        sheets.amount,
        needed=True,
        empty=None,
    ),
    Column(
        "on", "Ngày", ("ngày chi", "ngày chứng từ", "ngày quyết định"), sheets.day, needed=True, empty=None
    ),
    Column("voucher", "Số chứng từ, quyết định", ("số chứng từ", "chứng từ"), sheets.text_of(100)),
    Column("note", "Nội dung", ("ghi chú", "diễn giải"), sheets.text_of(300)),
]


def task_code(task: Task, numbers: dict[int, int]) -> str:
    return f"{numbers[task.area_id]}.{task.letter}) {task.title}"


def area_numbers(plan: Plan) -> dict[int, int]:
    return {pk: number for number, pk in enumerate(plan.areas.values_list("pk", flat=True), start=1)}


def export_rows(qs) -> list[list]:
    numbers: dict[int, dict[int, int]] = {}
    rows = []
    for e in qs.select_related("task__area__plan"):
        plan = e.task.area.plan
        if plan.pk not in numbers:
            numbers[plan.pk] = area_numbers(plan)
        rows.append(
            [
                plan.year,
                task_code(e.task, numbers[plan.pk]),
                e.get_kind_display(),
                e.amount,
                e.on,
                e.voucher,
                e.note,
            ]
        )
    return rows


class Tasks:
    """The tasks of the commune's plans, found by year and code or title."""

    def __init__(self, commune) -> None:
        self.by_year: dict[int, dict[str, Task]] = {}
        self.titles: dict[int, dict[str, list[Task]]] = {}
        for plan in Plan.objects.filter(commune=commune):
            numbers = area_numbers(plan)
            codes, titles = {}, {}
            for task in Task.objects.filter(area__plan=plan).select_related("area__plan"):
                codes[f"{numbers[task.area_id]}.{task.letter}"] = task
                titles.setdefault(search_key(task.title), []).append(task)
            self.by_year[plan.year], self.titles[plan.year] = codes, titles

    def find(self, year: int, text: str, row: SheetRow) -> Task | None:
        if year not in self.by_year:
            row.error(f"xã chưa có kế hoạch CCHC năm {year}.")
            return None
        match = TASK_CODE.match(text)
        if match:
            code = f"{int(match[1])}.{match[2].lower()}"
            task = self.by_year[year].get(code)
            if task is not None:
                return task
            row.error(f"kế hoạch CCHC năm {year} không có nhiệm vụ {code}).")
            return None
        found = self.titles[year].get(search_key(text), [])
        if len(found) == 1:
            return found[0]
        if found:
            row.error(
                f"có {len(found)} nhiệm vụ tên “{text[:60]}”: ghi theo số thứ tự trong phụ lục (ví dụ 2.a)."
            )
        else:
            row.error(f"kế hoạch CCHC năm {year} không có nhiệm vụ “{text[:60]}” (ghi số thứ tự, ví dụ 2.a).")
        return None


def plan_import(ctx: ImportContext) -> list[ImportItem]:
    tasks = Tasks(ctx.commune)
    existing = {
        (e.task_id, e.kind, e.on, e.amount, e.voucher): e for e in Expense.objects.filter(commune=ctx.commune)
    }
    seen: dict[tuple, int] = {}
    items: list[ImportItem] = []
    for row in ctx.sheet.rows:
        if row.errors:
            continue
        task = tasks.find(row["year"], row["task"], row)
        if row.errors:
            continue
        values = {"task": task, **{k: row[k] for k in ("kind", "amount", "on", "voucher", "note")}}
        try:
            values = services.clean_values(values, commune=ctx.commune)
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                for message in messages:
                    row.error(message[0].lower() + message[1:])
            continue
        key = (task.pk, values["kind"], values["on"], values["amount"], values["voucher"])
        if key in seen:
            row.error(f"trùng với dòng {seen[key]} (cùng nhiệm vụ, loại, ngày, số tiền, chứng từ).")
            continue
        seen[key] = row.line
        record = existing.get(key)
        text = f"{ExpenseKind(values['kind']).label} {format_number(int(values['amount']))} đ – {task.title[:80]}"
        if record is None:
            items.append(ImportItem(row.line, "create", text, _creator(ctx, values)))
        elif same(record, values):
            items.append(ImportItem(row.line, "unchanged", text))
        else:
            items.append(ImportItem(row.line, "update", text, _updater(ctx, record, values)))
    return items


def _creator(ctx: ImportContext, values: dict):
    return lambda: services.expense_save(user=ctx.user, commune=ctx.commune, **values)


def _updater(ctx: ImportContext, record: Expense, values: dict):
    return lambda: services.expense_save(user=ctx.user, expense=record, **values)


SPEC = registry.register(
    RegisterSpec(
        key="spending",
        label="Sổ theo dõi kinh phí thực hiện nhiệm vụ CCHC",
        short_label="Kinh phí CCHC",
        model=Expense,
        manage_perm="registers.manage_spending",
        columns=COLUMNS,
        export_row=lambda e: export_rows(Expense.objects.filter(pk=e.pk))[0],
        export_rows=export_rows,
        plan_import=plan_import,
        export_title="SỔ THEO DÕI KINH PHÍ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH",
        export_widths=[9, 60, 20, 16, 12, 20, 40],
        import_help=(
            "Mỗi dòng một khoản: dự toán được giao (hoặc điều chỉnh, có thể âm) hoặc một lần chi cho một nhiệm vụ "
            "của kế hoạch CCHC. Nhiệm vụ ghi theo số thứ tự trong phụ lục kế hoạch (ví dụ “2.a”) hoặc đúng tên "
            "nhiệm vụ. Kế hoạch phải đã được phê duyệt."
        ),
        nav_order=66,
    )
)
