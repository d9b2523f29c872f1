"""The project states the rules it implements in its own `docs/rules.md` and cites
it: every citation must point at a section that exists, and nothing may cite a
document that is not in the repository."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CITED = ("cchc", ".env.example", "README.md", "docs", "bench", "scripts")
SUFFIXES = {".py", ".html", ".md", ".txt", ".example", ".js", ".css", ""}


def _project_files():
    for name in CITED:
        path = ROOT / name
        if path.is_file():
            yield path
            continue
        for file in path.rglob("*"):
            if file.is_file() and file.suffix in SUFFIXES and "__pycache__" not in file.parts:
                yield file


def _sections() -> set[str]:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    return set(re.findall(r"^## §(\d+) ", text, flags=re.M))


def test_it_has_numbered_sections():
    assert {"4", "5", "7", "8", "12"} <= _sections()


def test_it_cites_no_document_outside_the_repository():
    offenders = [
        str(f.relative_to(ROOT))
        for f in _project_files()
        if re.search(r"DOMAIN\.md|\.\./shared/|/work/shared", f.read_text(encoding="utf-8", errors="ignore"))
        and f.name != "test_rules_doc.py"
    ]
    assert offenders == []


def test_every_citation_points_at_an_existing_section():
    sections = _sections()
    cited: dict[str, list[str]] = {}
    for f in _project_files():
        for match in re.finditer(
            r"docs/rules\.md((?:,? ?§\d+)+)", f.read_text(encoding="utf-8", errors="ignore")
        ):
            for number in re.findall(r"§(\d+)", match.group(1)):
                cited.setdefault(number, []).append(str(f.relative_to(ROOT)))
    assert cited, "the code cites docs/rules.md"
    missing = {n: files for n, files in cited.items() if n not in sections}
    assert missing == {}
