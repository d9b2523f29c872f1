"""Vietnamese syllables: which letter strings are syllables, and where the tone mark goes.

The inventory is generated here from the rules of Vietnamese orthography (onset ×
rhyme × tone, with the spelling rules c/k/q, g/gh, ng/ngh, gi, qu, and the rule that
rhymes ending in -c, -ch, -p, -t take only the sắc and nặng tones), so nothing is
downloaded or copied: the rules are public knowledge of the written language (see
docs/plan-import.md). The generated set is deliberately a little generous ("chiện" is
well formed but not a word); `words.py` adds the attested syllables and words that the
spacing repairer prefers.

Tone placement is normalised to the style used everywhere in this product ("hóa",
"thủy", "ủy", "khỏe"): in an open syllable of two vowels the mark sits on the first
(the traditional style); a vowel with a quality mark (ă â ê ô ơ ư) always carries it;
with a final consonant, the last vowel does.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Combining tone marks: huyền, sắc, hỏi, ngã, nặng.
TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
STOP_TONES = ("\u0301", "\u0323")  # the only tones of -c, -ch, -p, -t rhymes

ONSETS = (
    "",
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gh",
    "gi",
    "h",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "ngh",
    "nh",
    "p",
    "ph",
    "qu",
    "r",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
)

# Every rhyme (vowel nucleus with its glide and final), written as after most onsets.
RHYMES = """
a ai ao au ay an am ang anh ac ach ap at
ăn ăm ăng ăc ăp ăt
âu ây ân âm âng âc âp ât
e eo en em eng ec ep et
ê êu ên êm ênh êch êp êt
i ia iu in im inh ich ip it
iêu iên iêm iêng iêc iêp iêt
yêu yên yêm yêt y
o oi on om ong oc op ot oong ooc
ô ôi ôn ôm ông ôc ôp ôt
ơ ơi ơn ơm ơp ơt
u ua ui un um ung uc up ut
uôi uôn uôm uông uôc uôt
ư ưa ưi ưu ưn ưm ưng ưc ưt
ươi ươu ươn ươm ương ươc ươp ươt
oa oai oay oan oang oanh oac oach oat oăn oăng oăc oăt oam oap
oe oeo oen oet
uê uênh uêch uân uâng uât uây uy uya uyu uyn uynh uych uyt uyên uyêt uơ
""".split()

# Rhymes spelt without their glide after "qu" (qua, quy, quyết, quê, quân, quốc…).
QU_RHYMES = """
a ai ay an ang anh ac ach at ăn ăng ăc ăt âm ân ât ây âng
e en et eo em ê ênh êch ên êt
y ya yu yn ynh ych yt yên yêt yêu
ơ ơi ơn ôc ôn ông ang i in inh it
""".split()

_VOWELS = set("aăâeêioôơuưy")
_QUALITY = set("ăâêôơư")
_FRONT = ("i", "e", "ê", "y")  # k, gh, ngh go before these; c, g, ng before the rest
_STOP_FINALS = ("c", "ch", "p", "t")


def _strip_tone(nfd_lower: str) -> tuple[str, str]:
    """('hoa', '\u0301') from the NFD form of 'hoá'; raises ValueError on two tone marks."""
    tone = ""
    base = []
    for ch in nfd_lower:
        if ch in TONES:
            if tone:
                raise ValueError("two tone marks")
            tone = ch
        else:
            base.append(ch)
    return unicodedata.normalize("NFC", "".join(base)), tone


def _spelling_ok(onset: str, rhyme: str) -> bool:
    front = rhyme.startswith(_FRONT) or rhyme.startswith("iê")
    if onset in ("k", "gh", "ngh"):
        return front
    if onset in ("c", "g", "ng"):
        return not front
    return True


@lru_cache(maxsize=1)
def base_syllables() -> frozenset[str]:
    """Every toneless syllable (lower case, NFC) that Vietnamese spelling allows."""
    out: set[str] = set()
    for onset in ONSETS:
        if onset == "qu":
            out.update("qu" + r for r in QU_RHYMES)
            continue
        for rhyme in RHYMES:
            if onset and rhyme.startswith("y") and rhyme != "y":
                continue  # "yêu", "yên" only stand alone or after the u-glide (uyên)
            if onset == "gi":
                # gi + i… is written with one i: gì, giêng, gìn.
                out.add("g" + rhyme if rhyme.startswith("i") else "gi" + rhyme)
                continue
            if not _spelling_ok(onset, rhyme):
                continue
            out.add(onset + rhyme)
    # Syllables whose spelling is an exception to the rules above.
    out.update({"gi", "gin", "giết", "giếng", "quốc", "quơ", "quờ", "quở", "quăng"})
    return frozenset(out)


def split_tone(word: str) -> tuple[str, str] | None:
    """(toneless base, tone mark) of a lower- or upper-case word, or None when it has two marks."""
    nfd = unicodedata.normalize("NFD", word.lower())
    try:
        return _strip_tone(nfd)
    except ValueError:
        return None


def is_syllable(word: str) -> bool:
    """True when `word` (any case, NFC or NFD, any tone placement) is a well-formed syllable."""
    if not word or not word.isalpha():
        return False
    parts = split_tone(word)
    if parts is None:
        return False
    base, tone = parts
    if base not in base_syllables():
        return False
    if tone and base.endswith(_STOP_FINALS):
        return tone in STOP_TONES
    return True


def _vowel_cluster(base: str) -> tuple[int, int]:
    """[start, end) of the vowel nucleus of a toneless syllable, after the onset's
    own glide letters (the u of "qu", the i of "gi" when another vowel follows)."""
    start = 0
    if base.startswith("qu") and len(base) > 2:
        start = 2
    elif base.startswith("gi") and len(base) > 2 and base[2] in _VOWELS:
        start = 2
    while start < len(base) and base[start] not in _VOWELS:
        start += 1
    end = start
    while end < len(base) and base[end] in _VOWELS:
        end += 1
    return start, end


def tone_position(base: str) -> int:
    """Index in `base` of the vowel carrying the tone mark (product style: hóa, thủy)."""
    start, end = _vowel_cluster(base)
    if start >= end:  # "gi" alone
        return 1 if base.startswith("gi") else 0
    cluster = base[start:end]
    marked = [i for i, ch in enumerate(cluster) if ch in _QUALITY]
    if marked:
        return start + marked[-1]
    if end < len(base):  # a final consonant follows
        return end - 1
    if len(cluster) == 1:
        return start
    if len(cluster) == 2:
        return start
    return start + 1


def normalise_syllable(word: str) -> str:
    """The NFC form of a syllable with its tone mark in the product's place, case kept
    letter by letter ("hoá" → "hóa", "UỶ" → "ỦY", "Thuỷ" → "Thủy"). A word that is not a
    well-formed syllable is returned in NFC, unchanged otherwise."""
    nfc = unicodedata.normalize("NFC", word)
    if not is_syllable(nfc):
        return nfc
    base, tone = split_tone(nfc)  # type: ignore[misc]
    if not tone:
        return nfc
    pos = tone_position(base)
    chars = list(base)
    chars[pos] = unicodedata.normalize("NFC", chars[pos] + tone)
    lower = "".join(chars)
    # Keep the case pattern of the original, letter by letter (syllables keep their length).
    if len(lower) != len(nfc):
        return nfc
    return "".join(c.upper() if o.isupper() else c for c, o in zip(lower, nfc, strict=True))
