"""Repair of Vietnamese text extracted from PDF files: glued syllables ("Côngtác",
"tổ chứcvà", "năm2024"), split ones ("ant oàn", "Tưp háp", "Xá cđịnh"), tone marks in
two styles (hoá/hóa, uỷ/ủy) and decomposed Unicode (NFD).

Rules (docs/plan-import.md):
- A word is *defective* when it is neither a well-formed syllable (`syllables`), nor a
  known abbreviation, nor a foreign word. Only defective words — and a pair of
  well-formed words whose join is one syllable forming a known word where the pair
  forms none ("ho ạch" → "hoạch") — are changed.
- A defective word is re-cut, alone or joined with the word before or after it, into
  syllables and abbreviations. Each way of cutting is scored: attested syllables (in the
  shipped word list) cost less than merely well-formed ones, and each pair of syllables
  that belongs to a known word earns a bonus, the neighbours included. The cheapest way
  wins only when it beats the next different one by a clear margin; otherwise the word is
  left as it is and reported as a doubt for the officer. Nothing is guessed silently:
  every change is returned as a `Repair` (before → after).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .syllables import is_syllable, normalise_syllable
from .words import ABBREVIATIONS, FOREIGN, attested_syllables, word_bigrams

# A run of letters (Vietnamese letters are single code points in NFC).
_TOKEN = re.compile(r"[^\W\d_]+|\d+|\s+|.", re.UNICODE)
_VN_LETTERS = set("abcdđeghiklmnopqrstuvxyăâêôơư")
_VOWELS = set("aăâeêioôơuưy")
_ROMAN = re.compile(r"[IVXLC]+")

ATTESTED_COST = 1.0
FORMED_COST = 2.6
ABBREVIATION_COST = 1.0
UNKNOWN_CAPS_COST = 4.5
BIGRAM_BONUS = 0.9
MARGIN = 0.6
MAX_PIECE = 7  # "nghiêng"


class Kind:
    JOIN = "join"  # a split syllable joined ("ant oàn" → "an toàn")
    SPLIT = "split"  # glued syllables separated ("Côngtác" → "Công tác")
    TONE = "tone"  # tone mark moved to the product's place ("hoá" → "hóa")
    PUNCT = "punct"  # spacing around punctuation or numbers
    UNICODE = "unicode"  # decomposed characters composed (NFD → NFC)


KIND_LABELS = {
    Kind.JOIN: "ghép chữ bị tách",
    Kind.SPLIT: "tách chữ bị dính",
    Kind.TONE: "đặt dấu thanh",
    Kind.PUNCT: "khoảng trắng quanh dấu câu, số",
    Kind.UNICODE: "chuẩn Unicode",
}


@dataclass(frozen=True)
class Repair:
    before: str
    after: str
    kind: str
    line: int = 0

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def as_dict(self) -> dict:
        return {"before": self.before, "after": self.after, "kind": self.kind, "line": self.line}


@dataclass(frozen=True)
class Doubt:
    text: str
    reason: str
    options: tuple[str, ...] = ()
    line: int = 0

    def as_dict(self) -> dict:
        return {"text": self.text, "reason": self.reason, "options": list(self.options), "line": self.line}


@dataclass
class Repaired:
    text: str
    repairs: list[Repair] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)


# --- classifying words --------------------------------------------------------
def _case_ok(word: str) -> bool:
    """Lower case, Capitalised or ALL CAPS: the shapes a syllable can take."""
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())


def _is_vietnamese_letters(word: str) -> bool:
    return all(ch in _VN_LETTERS for ch in _base_letters(word))


def _base_letters(word: str) -> str:
    nfd = unicodedata.normalize("NFD", word.lower())
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in nfd if ch not in ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323"))
    )


def is_sound(word: str) -> bool:
    """A word the repairer leaves alone: a syllable in a proper case shape, an
    abbreviation, a foreign word, or letters outside the Vietnamese alphabet."""
    if word in ABBREVIATIONS or word.lower() in FOREIGN:
        return True
    if len(word) == 1 or _ROMAN.fullmatch(word):
        return True  # list markers "b", "đ", initials "T.M", section numbers "IV"
    if not _is_vietnamese_letters(word):
        return True  # f, j, w, z or other scripts: not ours to judge
    if _case_ok(word) and is_syllable(word):
        return True
    if word.isupper():
        # Capitals that do not cut into known pieces are an abbreviation we do not know
        # ("ADN"), not glued syllables: leave them.
        cuts = _cuts(word, None, None)
        if not cuts or any(len(p) == 1 or _piece_cost(p) == UNKNOWN_CAPS_COST for p in cuts[0].pieces):
            return True
    return False


# --- cutting a run of letters ---------------------------------------------------
@dataclass(frozen=True)
class _Cut:
    cost: float
    pieces: tuple[str, ...]


def _piece_cost(piece: str) -> float | None:
    if piece in ABBREVIATIONS:
        return ABBREVIATION_COST
    if not _case_ok(piece):
        return None
    if is_syllable(piece):
        norm = normalise_syllable(piece).lower()
        return ATTESTED_COST if norm in attested_syllables() else FORMED_COST
    if piece.isupper() and len(piece) >= 2 and not (set(_base_letters(piece)) & _VOWELS):
        return UNKNOWN_CAPS_COST  # an unknown abbreviation such as "TTHĐ"
    return None


def _key(piece: str) -> str:
    return normalise_syllable(piece).lower()


def _bonus(a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    return BIGRAM_BONUS if (_key(a), _key(b)) in word_bigrams() else 0.0


@lru_cache(maxsize=4096)
def _cuts(run: str, before: str | None, after: str | None) -> tuple[_Cut, ...]:
    """The two cheapest ways (different texts) to cut `run` into pieces, with the
    bigram bonuses against the words `before` and `after` it."""
    n = len(run)
    # best[i] maps the last piece ending at i to the cheapest cuts of run[:i] (up to 2).
    best: list[dict[str | None, list[_Cut]]] = [{} for _ in range(n + 1)]
    best[0][before] = [_Cut(0.0, ())]
    for i in range(n):
        if not best[i]:
            continue
        for j in range(i + 1, min(n, i + MAX_PIECE) + 1):
            piece = run[i:j]
            cost = _piece_cost(piece)
            if cost is None:
                continue
            for last, cuts in best[i].items():
                for cut in cuts:
                    total = cut.cost + cost - _bonus(last, piece)
                    slot = best[j].setdefault(piece, [])
                    slot.append(_Cut(total, (*cut.pieces, piece)))
                    slot.sort(key=lambda c: c.cost)
                    del slot[2:]
    finals = []
    for last, cuts in best[n].items():
        for cut in cuts:
            finals.append(_Cut(cut.cost - _bonus(last, after), cut.pieces))
    finals.sort(key=lambda c: c.cost)
    out: list[_Cut] = []
    for cut in finals:
        if all(c.pieces != cut.pieces for c in out):
            out.append(cut)
        if len(out) == 2:
            break
    return tuple(out)


def _plain_cost(words: list[str], before: str | None, after: str | None) -> float | None:
    """The score of leaving `words` as they are (None when one is not a piece)."""
    total, last = 0.0, before
    for word in words:
        cost = _piece_cost(word)
        if cost is None:
            return None
        total += cost - _bonus(last, word)
        last = word
    return total - _bonus(last, after)


# --- repairing a line -----------------------------------------------------------
@dataclass
class _Tok:
    text: str
    kind: str  # "w" word, "n" number, "s" space, "p" punctuation


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(text):
        t = m.group(0)
        kind = "w" if t[0].isalpha() else "n" if t[0].isdigit() else "s" if t[0].isspace() else "p"
        out.append(_Tok(t, kind))
    return out


def _word_indexes(toks: list[_Tok]) -> list[int]:
    return [i for i, t in enumerate(toks) if t.kind == "w"]


def _neighbour(toks: list[_Tok], i: int, step: int) -> int | None:
    """The index of the word next to toks[i] across one run of spaces, or None."""
    j = i + step
    if 0 <= j < len(toks) and toks[j].kind == "s" and "\n" not in toks[j].text:
        k = j + step
        if 0 <= k < len(toks) and toks[k].kind == "w":
            return k
    return None


def _context(toks: list[_Tok], i: int, step: int) -> str | None:
    k = _neighbour(toks, i, step)
    return toks[k].text if k is not None else None


def _render(pieces: tuple[str, ...]) -> str:
    return " ".join(pieces)


def _repair_words(toks: list[_Tok], line: int, repairs: list[Repair], doubts: list[Doubt]) -> None:
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.kind != "w":
            i += 1
            continue
        left = _neighbour(toks, i, -1)
        right = _neighbour(toks, i, +1)
        if is_sound(tok.text):
            # A split that left two well-formed syllables ("ho ạch"): join only on
            # clear evidence from known words.
            if right is not None and _try_vowel_join(toks, i, right, line, repairs):
                continue
            i += 1
            continue
        options = []  # (cost, first index, last index, pieces)
        spans = [(i, i)]
        if left is not None:
            spans.append((left, i))
        if right is not None:
            spans.append((i, right))
        if left is not None and right is not None:
            spans.append((left, right))
        full_left = left if left is not None else i
        full_right = right if right is not None else i
        outer_before = _context(toks, full_left, -1)
        outer_after = _context(toks, full_right, +1)
        for a, b in spans:
            run = "".join(toks[k].text for k in range(a, b + 1) if toks[k].kind == "w")
            before = toks[full_left].text if a != full_left else outer_before
            after = toks[full_right].text if b != full_right else outer_after
            # Words of the full span left outside this window keep their own score.
            outside = 0.0
            if a != full_left:
                c = _plain_cost([toks[full_left].text], outer_before, None)
                if c is None:
                    continue
                outside += c
            if b != full_right:
                c = _plain_cost([toks[full_right].text], None, outer_after)
                if c is None:
                    continue
                outside += c
            for cut in _cuts(run, before, after):
                options.append((cut.cost + outside, a, b, cut.pieces))
        if not options:
            doubts.append(Doubt(tok.text, "Không nhận ra chữ này; giữ nguyên, cần xem lại.", (), line))
            i += 1
            continue
        options.sort(key=lambda o: o[0])
        best = options[0]
        texts = {}
        for cost, a, b, pieces in options:
            text = _span_text(toks, full_left, full_right, a, b, pieces)
            texts.setdefault(text, cost)
        ranked = sorted(texts.items(), key=lambda kv: kv[1])
        unattested = [p for p in best[3] if _piece_cost(p) not in (ATTESTED_COST, ABBREVIATION_COST)]
        if unattested or (len(ranked) > 1 and ranked[1][1] - ranked[0][1] < MARGIN):
            # Close alternatives, or a cut through syllables no known word uses
            # ("DUCXUONG" → "DUC XU ONG"): the officer decides.
            doubts.append(
                Doubt(
                    _span_text(toks, full_left, full_right, full_left, full_right, None),
                    "Có nhiều cách tách, ghép chữ gần như nhau; giữ nguyên, cần xem lại."
                    if not unattested
                    else "Tách ra được nhưng không thành từ quen thuộc; giữ nguyên, cần xem lại.",
                    tuple(t for t, _ in ranked[:2]),
                    line,
                )
            )
            i = full_right + 1
            continue
        cost, a, b, pieces = best
        # Neighbours that come out unchanged are not part of the repair.
        if a != b and pieces and pieces[0] == toks[a].text:
            pieces, a = pieces[1:], _neighbour(toks, a, +1)
        if a != b and pieces and pieces[-1] == toks[b].text:
            pieces, b = pieces[:-1], _neighbour(toks, b, -1)
        before_text = "".join(toks[k].text for k in range(a, b + 1))
        after_text = _render(pieces)
        # Across a space it is a join ("ant oàn" → "an toàn", "Xá cđịnh" → "Xác định").
        kind = Kind.JOIN if a != b else Kind.SPLIT
        if before_text != after_text:
            repairs.append(Repair(before_text, after_text, kind, line))
            toks[a : b + 1] = _re_tokens(after_text)
            i = a + len(_re_tokens(after_text))
        else:
            i = b + 1


def _re_tokens(text: str) -> list[_Tok]:
    return _tokens(text)


def _span_text(toks, lo, hi, a, b, pieces) -> str:
    parts = []
    k = lo
    while k <= hi:
        if pieces is not None and k == a:
            parts.append(_render(pieces))
            k = b + 1
            continue
        parts.append(toks[k].text)
        k += 1
    return "".join(parts)


def _try_vowel_join(toks: list[_Tok], i: int, j: int, line: int, repairs: list[Repair]) -> bool:
    first, second = toks[i].text, toks[j].text
    if _base_letters(second)[:1] not in _VOWELS or not is_sound(second):
        return False
    joined = first + second
    if not (_case_ok(joined) and is_syllable(joined)) or _key(joined) not in attested_syllables():
        return False
    before, after = _context(toks, i, -1), _context(toks, j, +1)
    plain = _plain_cost([first, second], before, after)
    fused = _plain_cost([joined], before, after)
    if plain is None or fused is None or fused + MARGIN > plain:
        return False
    # Evidence required: the joined syllable makes a known word with a neighbour.
    if not (_bonus(before, joined) or _bonus(joined, after)):
        return False
    repairs.append(Repair(f"{first}{toks[i + 1].text}{second}", joined, Kind.JOIN, line))
    toks[i : j + 1] = [_Tok(joined, "w")]
    return True


def _repair_tones(toks: list[_Tok], line: int, repairs: list[Repair]) -> None:
    for tok in toks:
        if tok.kind == "w" and _case_ok(tok.text) and is_syllable(tok.text):
            norm = normalise_syllable(tok.text)
            if norm != tok.text:
                repairs.append(Repair(tok.text, norm, Kind.TONE, line))
                tok.text = norm


def _repair_numbers(toks: list[_Tok], line: int, repairs: list[Repair]) -> None:
    """A word glued to a number: "năm2024" → "năm 2024", "ISO9001" → "ISO 9001"."""
    out: list[_Tok] = []
    for k, tok in enumerate(toks):
        if k and tok.kind == "n" and toks[k - 1].kind == "w":
            word = toks[k - 1].text
            if len(word) >= 2 and (word in ABBREVIATIONS or (_case_ok(word) and is_syllable(word))):
                repairs.append(Repair(word + tok.text, f"{word} {tok.text}", Kind.PUNCT, line))
                out.append(_Tok(" ", "s"))
        out.append(tok)
    toks[:] = out


# Punctuation spacing in the forms official documents use.
_PUNCT_RULES: list[tuple[re.Pattern, str]] = [
    # "108/2020/NĐ- CP", "32/2017/TT- BTTTT": a document symbol is written without spaces.
    (re.compile(r"(\d+/(?:(?:19|20)\d{2}/)?[A-ZĐ][A-Za-zĐđ]*)\s*-\s+([A-ZĐ][A-Za-zĐđ]+)"), r"\1-\2"),
    # "Quý I /2024" → "Quý I/2024"
    (re.compile(r"\b([IV]{1,3})\s+/\s*((?:19|20)\d{2})\b"), r"\1/\2"),
    # "9001: 2015" → "9001:2015" (standards)
    (re.compile(r"(ISO\s\d{4,5})\s*:\s+((?:19|20)\d{2})"), r"\1:\2"),
    # a comma or semicolon glued to the next word: "MỤC ĐÍCH,YÊU" → "MỤC ĐÍCH, YÊU"
    (re.compile(r"([^\W\d_]+)([,;])([^\W\d_]+)"), r"\1\2 \3"),
]


def _repair_punct(text: str, line: int, repairs: list[Repair]) -> str:
    for pattern, replacement in _PUNCT_RULES:

        def sub(m: re.Match, replacement=replacement) -> str:
            after = m.expand(replacement)
            if after != m.group(0):
                repairs.append(Repair(m.group(0), after, Kind.PUNCT, line))
            return after

        text = pattern.sub(sub, text)
    return text


def repair_line(text: str, line: int = 0) -> Repaired:
    """Repair one line or paragraph of text; returns the new text, the repairs and
    the doubts (text left as it was because the repairer was not sure)."""
    repairs: list[Repair] = []
    doubts: list[Doubt] = []
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        for word in text.split():
            if unicodedata.normalize("NFC", word) != word:
                repairs.append(Repair(word, unicodedata.normalize("NFC", word), Kind.UNICODE, line))
    text = _repair_punct(nfc, line, repairs)
    toks = _tokens(text)
    _repair_words(toks, line, repairs, doubts)
    _repair_numbers(toks, line, repairs)
    _repair_tones(toks, line, repairs)
    # Once words are cut apart, punctuation rules may apply anew ("ISO 9001: 2015").
    text = _repair_punct("".join(t.text for t in toks), line, repairs)
    return Repaired(text, repairs, doubts)


def repair_text(text: str) -> Repaired:
    """Repair every line of `text`, keeping the line structure."""
    result = Repaired("")
    lines = []
    for number, line in enumerate(text.split("\n"), start=1):
        fixed = repair_line(line, number)
        lines.append(fixed.text)
        result.repairs.extend(fixed.repairs)
        result.doubts.extend(fixed.doubts)
    result.text = "\n".join(lines)
    return result
