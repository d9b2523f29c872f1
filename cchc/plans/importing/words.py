"""The shipped word list (data/words_vi.txt), the abbreviations of administrative
documents, and the few foreign words they use: what the spacing repairer knows."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .syllables import normalise_syllable

WORDS_FILE = Path(__file__).with_name("data") / "words_vi.txt"

# Abbreviations written in capitals (with their usual mixed-case ones), as they appear
# in plans: they are words of their own, never split and never flagged.
ABBREVIATIONS = frozenset(
    """
    UBND HĐND CCHC TTHC QPPL TCVN ISO NSNN CNTT BTTTT VP BTV ĐU TT KH QĐ NĐ CP TTg TW NQ
    UBMTTQ MTTQ BCH BCĐ HU TU CT PCT DVC DVCTT PCI PAPI SIPAS PAR CSDL VNPT VNeID
    KT XH LĐTBXH TBXH TN MT NN PTNT VH TDTT GD ĐT YT CA QS BHXH BHYT KCN HTX THCS THPT
    MN TH VPĐU BNV BTC BTP NHNN KBNN UB MT TTHĐND TTĐU BCHQS UBKT ĐTN HLHPN HND HCCB
    CTĐ BCS TTCP CV BC TB HD TTr QC QH UBTVQH CNH HĐH KTXH NTM VSATTP ATTP ATGT
    """.split()
)

# Foreign words that appear in Vietnamese plans; left as they are.
FOREIGN = frozenset(
    """
    wifi email website web online internet zalo facebook video camera smartphone app
    kiosk ki-ốt fanpage youtube tiktok qr code hotline server
    """.split()
)


def _normal(words: str) -> tuple[str, ...]:
    return tuple(normalise_syllable(w).lower() for w in words.split())


@lru_cache(maxsize=1)
def word_list() -> frozenset[tuple[str, ...]]:
    """Every word of the list as a tuple of normalised lower-case syllables."""
    out = set()
    for line in WORDS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.add(_normal(line))
    return frozenset(out)


@lru_cache(maxsize=1)
def attested_syllables() -> frozenset[str]:
    """Syllables that occur in some word of the list (preferred by the repairer)."""
    return frozenset(s for word in word_list() for s in word)


@lru_cache(maxsize=1)
def word_bigrams() -> frozenset[tuple[str, str]]:
    """Pairs of syllables that follow each other inside some word of the list."""
    pairs = set()
    for word in word_list():
        pairs.update(zip(word, word[1:], strict=False))
    return frozenset(pairs)
