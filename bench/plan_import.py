"""Plan import benchmark: over the plan documents in bench/plan_import_cases/, with
expected structures made by hand, print the share of tasks recovered with the right
area, departments (lead and coordinating) and dates, and the share of spacing defects
(glued / split words, tone placement) repaired, with the count of wrong repairs.

    python bench/plan_import.py [--case NAME] [--no-pdf] [--verbose]

Each case folder holds plan.txt (the document's text; lines starting with "|" are table
rows), meta.json (the format to build: docx, txt, or a path to an existing source) and
expected.json (year, repairs as [before, after] pairs, areas with their tasks: the first
words, lead and coordinating department codes, [time frame, start, end, recurrence]).
.docx files are built from plan.txt with python-docx; a PDF of each .docx case is
printed through Chromium when it is installed, to measure the PDF path too. Nothing is
written to any database: departments are the demo commune's, in memory.
"""

from __future__ import annotations

import argparse
import atexit
import html
import io
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
if "CCHC_DATA_DIR" not in os.environ:
    # Settings want a data folder; nothing is written there (no database is opened).
    _TMP = tempfile.mkdtemp(prefix="cchc-bench-plan-import-")
    os.environ["CCHC_DATA_DIR"] = _TMP
    atexit.register(shutil.rmtree, _TMP, ignore_errors=True)

import django  # noqa: E402

django.setup()

from cchc.core.text import search_key  # noqa: E402
from cchc.org.demo import DEPARTMENTS  # noqa: E402
from cchc.plans.importing.extract import extract  # noqa: E402
from cchc.plans.importing.parse import parse_plan  # noqa: E402

CASES = Path(__file__).with_name("plan_import_cases")
DEPTS = [
    SimpleNamespace(pk=i, name=name, code=code) for i, (code, name, _f) in enumerate(DEPARTMENTS, start=1)
]
CODE = {d.pk: d.code for d in DEPTS}
OFFICE = next(i for i, (_c, _n, f) in enumerate(DEPARTMENTS, start=1) if f.get("is_cchc_office"))


def build_docx(text: str) -> bytes:
    from docx import Document

    doc = Document()
    table = None
    for line in text.split("\n"):
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if table is None:
                table = doc.add_table(rows=0, cols=len(cells))
            row = table.add_row()
            for cell, value in zip(row.cells, cells, strict=False):
                cell.text = value
            continue
        table = None
        if line.strip():
            doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def build_pdf(text: str) -> bytes | None:
    """The plan printed to PDF by Chromium (tables as tables), or None without Chromium."""
    chromium = os.environ.get("CCHC_CHROMIUM") or "/usr/bin/chromium"
    if not os.path.exists(chromium):
        return None
    from playwright.sync_api import sync_playwright

    parts, rows = [], []
    for line in text.split("\n") + [""]:
        if line.startswith("|"):
            rows.append([html.escape(c.strip()) for c in line.strip().strip("|").split("|")])
            continue
        if rows:
            body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
            parts.append(f"<table border=1 cellspacing=0 cellpadding=4>{body}</table>")
            rows = []
        if line.strip():
            parts.append(f"<p>{html.escape(line)}</p>")
    page_html = (
        "<html><head><meta charset='utf-8'><style>body{font-family:'Times New Roman','Liberation Serif',serif;"
        "font-size:13pt;text-align:justify} table{border-collapse:collapse;font-size:11pt}</style></head>"
        f"<body>{''.join(parts)}</body></html>"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.set_content(page_html)
        data = page.pdf(format="A4")
        browser.close()
    return data


def load_case(folder: Path) -> list[tuple[str, str, bytes]]:
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    if meta.get("source"):
        path = (folder / meta["source"]).resolve()
        return [(folder.name, path.name, path.read_bytes())]
    text = (folder / "plan.txt").read_text(encoding="utf-8")
    if meta["format"] == "docx":
        return [(folder.name, "plan.docx", build_docx(text))]
    return [(folder.name, "plan.txt", text.encode("utf-8"))]


def time_tuple(time: dict | None) -> list:
    time = time or {}
    return [
        time.get("time_frame"),
        time.get("start_date") if time.get("time_frame") != "deadline" else None,
        time.get("end_date"),
        time.get("recurrence") or "",
    ]


def score(parsed, expected: dict, verbose: bool) -> dict:
    tasks_total = tasks_found = area_ok = dept_ok = time_ok = all_ok = 0
    problems = []
    areas = parsed.areas
    for a_index, exp_area in enumerate(expected["areas"]):
        got_area = areas[a_index] if a_index < len(areas) else None
        for exp in exp_area["tasks"]:
            tasks_total += 1
            key = search_key(exp["start"])
            candidates = [(a, t) for a in areas for t in a.tasks if search_key(t.content).startswith(key)]
            if not candidates:
                problems.append(f"not found: {exp['start']}")
                continue
            tasks_found += 1
            area, task = candidates[0]
            right_area = area is got_area and area.kind == exp_area["kind"]
            lead = CODE.get(task.lead.department_id) if task.lead else None
            coord = sorted(CODE[c.department_id] for c in task.coordinating if c.department_id)
            right_depts = lead == exp["lead"] and coord == sorted(exp["coordinating"])
            got_time = time_tuple(task.time.as_dict() if task.time else None)
            right_time = got_time == exp["time"]
            area_ok += right_area
            dept_ok += right_depts
            time_ok += right_time
            if right_area and right_depts and right_time:
                all_ok += 1
            else:
                problems.append(
                    f"{exp['start']}: area {'ok' if right_area else area.kind}, "
                    f"depts {'ok' if right_depts else (lead, coord)}, time {'ok' if right_time else got_time}"
                )
    expected_repairs = Counter(tuple(p) for p in expected.get("repairs", []))
    made = Counter((r.before, r.after) for r in parsed.repairs)
    repaired = sum(min(n, made[pair]) for pair, n in expected_repairs.items())
    wrong = sum(
        n - expected_repairs.get(pair, 0) for pair, n in made.items() if n > expected_repairs.get(pair, 0)
    )
    missed = [pair for pair, n in expected_repairs.items() if made[pair] < n]
    extra = [pair for pair, n in made.items() if n > expected_repairs.get(pair, 0)]
    if verbose:
        for line in problems:
            print("   task:", line)
        for pair in missed:
            print("   missed repair:", pair)
        for pair in extra:
            print("   WRONG repair:", pair)
        for d in parsed.doubts:
            print("   doubt:", d.text, d.options)
    return {
        "tasks": tasks_total,
        "found": tasks_found,
        "area": area_ok,
        "depts": dept_ok,
        "time": time_ok,
        "right": all_ok,
        "defects": sum(expected_repairs.values()),
        "repaired": repaired,
        "wrong": wrong,
        "year_ok": parsed.year == expected["year"],
        "extra_tasks": parsed.task_count - tasks_found,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case")
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    runs = []
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        if args.case and folder.name != args.case:
            continue
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        docs = load_case(folder)
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        if not args.no_pdf and meta.get("format") == "docx":
            pdf = build_pdf((folder / "plan.txt").read_text(encoding="utf-8"))
            if pdf:
                # Printed from Word, the tone marks are those of the text: same expectations.
                docs.append((f"{folder.name} (pdf)", "plan.pdf", pdf))
        for label, name, data in docs:
            started = time.perf_counter()
            parsed = parse_plan(extract(name, data), departments=DEPTS, year=None, cchc_office_id=OFFICE)
            seconds = time.perf_counter() - started
            if args.verbose:
                print(f"== {label} ({parsed.shape}, {seconds:.2f} s)")
            result = score(parsed, expected, args.verbose)
            runs.append((label, parsed.shape, seconds, result))
    print(
        f"{'case':28} {'shape':9} {'tasks':>5} {'found':>5} {'area':>5} {'depts':>5} {'dates':>5} {'right':>5} "
        f"{'extra':>5} {'defects':>7} {'fixed':>5} {'wrong':>5} {'year':>4} {'sec':>5}"
    )
    total = Counter()
    for label, shape, seconds, r in runs:
        print(
            f"{label:28} {shape:9} {r['tasks']:5} {r['found']:5} {r['area']:5} {r['depts']:5} {r['time']:5} "
            f"{r['right']:5} {r['extra_tasks']:5} {r['defects']:7} {r['repaired']:5} {r['wrong']:5} "
            f"{'ok' if r['year_ok'] else 'NO':>4} {seconds:5.2f}"
        )
        total.update({k: v for k, v in r.items() if isinstance(v, int) and not isinstance(v, bool)})
    if not runs:
        print("no case")
        return
    share = lambda a, b: f"{100 * a / b:.1f}%" if b else "—"  # noqa: E731
    print()
    print(
        f"tasks recovered with the right area, departments and dates: {total['right']}/{total['tasks']} "
        f"= {share(total['right'], total['tasks'])} (found {share(total['found'], total['tasks'])}, "
        f"area {share(total['area'], total['tasks'])}, departments {share(total['depts'], total['tasks'])}, "
        f"dates {share(total['time'], total['tasks'])})"
    )
    print(
        f"spacing and tone defects repaired: {total['repaired']}/{total['defects']} = "
        f"{share(total['repaired'], total['defects'])}; wrong repairs: {total['wrong']}"
    )


if __name__ == "__main__":
    main()
