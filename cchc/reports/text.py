"""Section text as blocks: paragraphs and bullet lists. Officers type plain text
(one paragraph per line, "- " or "+ " for bullets, as Vietnamese administrative
documents write them); pages and the .docx render the same blocks."""

from __future__ import annotations

from dataclasses import dataclass, field

BULLETS = ("- ", "+ ", "• ", "* ")


@dataclass
class Block:
    kind: str  # "p" or "ul"
    text: str = ""
    items: list[tuple[int, str]] = field(default_factory=list)  # (level, text)


def blocks(text: str) -> list[Block]:
    out: list[Block] = []
    for raw in (text or "").split("\n"):
        line = raw.strip()
        if not line:
            continue
        bullet = next((b for b in BULLETS if line.startswith(b)), None)
        if bullet:
            level = 1 if bullet == "+ " else 0
            if not out or out[-1].kind != "ul":
                out.append(Block("ul"))
            out[-1].items.append((level, line[len(bullet) :].strip()))
        else:
            out.append(Block("p", line))
    return out


def docx_lines(text: str) -> list[tuple[str, int]]:
    """(line, indent level) for the Word document: bullets keep their dash, as in
    printed administrative documents."""
    out = []
    for block in blocks(text):
        if block.kind == "p":
            out.append((block.text, 0))
        else:
            out += [(("+ " if level else "- ") + item, level) for level, item in block.items]
    return out
