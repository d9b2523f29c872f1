"""Scoring rules of PAR-index criteria (docs/par-index.md, "Scoring rules").

Each criterion of a criteria set has one rule kind; a rule turns what was measured
(a ratio, a count of occurrences) into points, or checks points a person entered.
Everything is exact: `Decimal` arithmetic, and every comparison with a threshold or
a band is made on the unrounded ratio (numerator × 100 compared with threshold ×
denominator), so that 94,995 % is below 95 % even though it is shown as "95,00 %"
when rounded; the explanation then shows the extra decimals. Computed points are
rounded half up to two decimals at the criterion (the catalogue's one rounding
rule), and totals add the rounded points.

Kinds:
- `entered`: points entered within [0, maximum] in the set's step (by the commune,
  checked against evidence by the appraiser);
- `ratio`: maximum × numerator ÷ denominator;
- `ratio_threshold`: full points at or above the threshold, linear below it
  (maximum × rate ÷ threshold);
- `bands`: points by the band the rate falls in ("100 % → 2; 95 – < 100 % → 1;
  < 95 % → 0"); a band's lower bound is included;
- `deduction`: maximum − per occurrence × occurrences, never below the floor;
- `survey`: sociological-survey points, entered only by the appraiser.

"Nothing to count" (a denominator of 0, or no data at all) is not a rate of 0 %:
each data rule says what it then gives (`when_none`): points entered from the
evidence (default), full points (e.g. no petitions received), 0, or "not
applicable" — the criterion leaves the maximum and the total is rescaled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models

from cchc.core.figures import format_number

TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)
DEFAULT_STEP = Decimal("0.25")


class RuleKind(models.TextChoices):
    ENTERED = "entered", "Chấm theo minh chứng"
    RATIO = "ratio", "Theo tỷ lệ (điểm tối đa × tỷ lệ)"
    RATIO_THRESHOLD = "ratio_threshold", "Theo tỷ lệ, đạt ngưỡng là tối đa"
    BANDS = "bands", "Theo mức tỷ lệ"
    DEDUCTION = "deduction", "Trừ điểm theo số lần vi phạm"
    SURVEY = "survey", "Điều tra xã hội học (cấp trên chấm)"


# Kinds whose input is a ratio (numerator ÷ denominator) and kinds computed from data.
RATE_KINDS = (RuleKind.RATIO, RuleKind.RATIO_THRESHOLD, RuleKind.BANDS)
COMPUTED_KINDS = (*RATE_KINDS, RuleKind.DEDUCTION)


class WhenNone(models.TextChoices):
    """What a data rule gives when there is nothing to count."""

    ENTER = "enter", "Chấm theo minh chứng"
    FULL = "full", "Đạt điểm tối đa"
    ZERO = "zero", "0 điểm"
    NOT_APPLICABLE = "not_applicable", "Không áp dụng (loại khỏi điểm tối đa)"


def to_decimal(value, what: str = "Giá trị") -> Decimal:
    """A Decimal from a number or text ('2,5' and '2.5' alike); ValidationError otherwise."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise ValidationError(f"{what} phải là một số.")
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(str(value))
    else:
        text = str(value or "").strip().replace(" ", "").replace("%", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValidationError(f"{what} “{value}” không phải là số.") from None
    if not result.is_finite():
        raise ValidationError(f"{what} “{value}” không phải là số.")
    return result


def rounded(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def pts(value: Decimal | None) -> str:
    """Points as shown: '9,49', '10', '0,5'."""
    if value is None:
        return "—"
    value = rounded(Decimal(value))
    text = format_number(value, 2)
    return text.rstrip("0").rstrip(",") if "," in text else text


def pct(value: Decimal, places: int = 2, *, trim: bool = True) -> str:
    """A percentage as shown: a bound '95%', '92,5%'; a measured rate (trim=False)
    '94,90%', or with four decimals '94,9950%'."""
    text = format_number(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), places)
    if trim and "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text}%"


@dataclass(frozen=True)
class Band:
    """Rates from `lower` % (included) up to the next band's bound give `points`."""

    lower: Decimal
    points: Decimal


_BAND_ARROW = re.compile(r"^(?P<lhs>.+?)\s*(?:→|->|=>|:)\s*(?P<pts>[\d.,]+)\s*(?:điểm|đ)?\s*$", re.I)
_NUM = r"(\d+(?:[.,]\d+)?)"


def parse_bands(text: str) -> tuple[Band, ...]:
    """Bands from text as sets print them: "100% → 2; 95–<100% → 1; <95% → 0", or the
    short form "100:2; 95:1; 0:0" (lower bound : points). ValidationError otherwise."""
    bands = []
    for part in [p.strip() for p in re.split(r"[;\n]", text or "") if p.strip()]:
        match = _BAND_ARROW.match(part)
        if not match:
            raise ValidationError(f"Mức “{part}” không đúng dạng “95–<100% → 1” hoặc “95:1”.")
        lhs = match["lhs"].strip().replace(" ", "")
        points = to_decimal(match["pts"], "Số điểm của mức")
        if re.fullmatch(r"(<|dưới|duoi)" + _NUM + "%?", lhs, re.I):
            lower = Decimal(0)
        elif m := re.fullmatch(
            r"(?:≥|>=|từ|tu)?" + _NUM + r"%?(?:(?:–|-|đến|den)(?:<|dưới|duoi)?" + _NUM + "%?)?", lhs, re.I
        ):
            lower = to_decimal(m[1], "Cận dưới của mức")
        else:
            raise ValidationError(f"Không hiểu cận của mức “{part}”.")
        bands.append(Band(lower, points))
    return tuple(bands)


def format_bands(bands: Sequence[Band]) -> str:
    """ "100% → 2; 95% – dưới 100% → 1; dưới 95% → 0" (highest band first)."""
    ordered = sorted(bands, key=lambda b: b.lower, reverse=True)
    parts = []
    for i, band in enumerate(ordered):
        upper = ordered[i - 1].lower if i else None
        low = pct(band.lower)
        if upper is None:
            lhs = f"từ {low}" if band.lower < HUNDRED else low
        elif band.lower == 0:
            lhs = f"dưới {pct(upper)}"
        else:
            lhs = f"{low} – dưới {pct(upper)}"
        parts.append(f"{lhs} → {pts(band.points)}")
    return "; ".join(parts)


@dataclass(frozen=True)
class Outcome:
    """What a rule gives: points (None: to be entered by a person), whether the
    criterion is not applicable, and the arithmetic in words."""

    points: Decimal | None
    not_applicable: bool = False
    explanation: str = ""


@dataclass(frozen=True)
class Rule:
    kind: str = RuleKind.ENTERED
    step: Decimal | None = None  # entered / survey; None: the set's step
    threshold: Decimal | None = None  # ratio_threshold, in percent (90 = 90 %)
    bands: tuple[Band, ...] = field(default_factory=tuple)
    per_occurrence: Decimal | None = None  # deduction
    floor: Decimal = Decimal(0)  # deduction
    when_none: str = WhenNone.ENTER

    # --- storage -------------------------------------------------------------
    @classmethod
    def from_json(cls, kind: str, data: dict | None) -> Rule:
        data = data or {}

        def dec(name: str) -> Decimal | None:
            value = data.get(name)
            return None if value in (None, "") else to_decimal(value)

        return cls(
            kind=kind,
            step=dec("step"),
            threshold=dec("threshold"),
            bands=tuple(Band(to_decimal(a), to_decimal(b)) for a, b in data.get("bands") or ()),
            per_occurrence=dec("per_occurrence"),
            floor=dec("floor") or Decimal(0),
            when_none=data.get("when_none") or WhenNone.ENTER,
        )

    def to_json(self) -> dict:
        """The parameters that matter for the kind (numbers as text, exact)."""
        out: dict = {}
        if self.kind in (RuleKind.ENTERED, RuleKind.SURVEY) and self.step is not None:
            out["step"] = str(self.step)
        if self.kind == RuleKind.RATIO_THRESHOLD:
            out["threshold"] = str(self.threshold)
        if self.kind == RuleKind.BANDS:
            out["bands"] = [[str(b.lower), str(b.points)] for b in self.ordered_bands]
        if self.kind == RuleKind.DEDUCTION:
            out["per_occurrence"] = str(self.per_occurrence)
            out["floor"] = str(self.floor)
        if self.kind in COMPUTED_KINDS and self.when_none != WhenNone.ENTER:
            out["when_none"] = self.when_none
        return out

    @property
    def ordered_bands(self) -> tuple[Band, ...]:
        return tuple(sorted(self.bands, key=lambda b: b.lower, reverse=True))

    @property
    def is_rate(self) -> bool:
        return self.kind in RATE_KINDS

    @property
    def is_computed(self) -> bool:
        return self.kind in COMPUTED_KINDS

    @property
    def appraiser_only(self) -> bool:
        return self.kind == RuleKind.SURVEY

    def effective_step(self, set_step: Decimal | None) -> Decimal:
        return self.step or set_step or DEFAULT_STEP

    # --- validation ------------------------------------------------------------
    def problems(self, max_points: Decimal) -> list[str]:
        """Why this rule cannot score a criterion worth `max_points` (empty: fine)."""
        out = []
        if self.kind not in RuleKind.values:
            return [f"loại quy tắc “{self.kind}” không có (dùng: {', '.join(RuleKind.values)})"]
        if self.when_none not in WhenNone.values:
            out.append(f"“khi không có số liệu” phải là một trong {', '.join(WhenNone.values)}")
        if self.step is not None and (self.step <= 0 or self.step > max(max_points, Decimal("0.01"))):
            out.append(f"bước điểm {pts(self.step)} không hợp lệ")
        elif self.step is not None and max_points % self.step:
            out.append(f"điểm tối đa {pts(max_points)} không chia hết cho bước điểm {pts(self.step)}")
        if self.kind == RuleKind.RATIO_THRESHOLD:
            if self.threshold is None or not 0 < self.threshold <= HUNDRED:
                out.append("ngưỡng đạt tối đa phải trong khoảng (0%, 100%]")
        if self.kind == RuleKind.BANDS:
            lowers = [b.lower for b in self.bands]
            if not self.bands:
                out.append("chưa có các mức điểm")
            elif len(set(lowers)) != len(lowers):
                out.append("hai mức có cùng cận dưới")
            elif min(lowers) != 0:
                out.append("các mức phải phủ đến 0% (mức thấp nhất bắt đầu từ 0%)")
            if any(b.lower < 0 or b.lower > HUNDRED for b in self.bands):
                out.append("cận dưới của mức phải từ 0% đến 100%")
            if any(b.points < 0 or b.points > max_points for b in self.bands):
                out.append(f"điểm của mỗi mức phải từ 0 đến {pts(max_points)}")
        if self.kind == RuleKind.DEDUCTION:
            if self.per_occurrence is None or self.per_occurrence <= 0:
                out.append("số điểm trừ mỗi lần phải lớn hơn 0")
            if self.floor < 0 or self.floor > max_points:
                out.append(f"điểm sàn phải từ 0 đến {pts(max_points)}")
        return out

    # --- describing -------------------------------------------------------------
    def describe(self, max_points: Decimal) -> str:
        """The rule in one Vietnamese sentence, for pages, exports and the appraiser."""
        m = pts(max_points)
        if self.kind == RuleKind.ENTERED:
            text = f"Chấm theo minh chứng, từ 0 đến {m} điểm"
            text += f", bước {pts(self.step)}" if self.step else ""
        elif self.kind == RuleKind.SURVEY:
            text = f"Điểm điều tra xã hội học do cấp trên chấm, từ 0 đến {m} điểm"
        elif self.kind == RuleKind.RATIO:
            text = f"Điểm = {m} × tỷ lệ"
        elif self.kind == RuleKind.RATIO_THRESHOLD:
            text = f"Tỷ lệ từ {pct(self.threshold)} trở lên: {m} điểm; dưới đó: {m} × tỷ lệ ÷ {pct(self.threshold)}"
        elif self.kind == RuleKind.BANDS:
            text = f"Theo mức: {format_bands(self.bands)}"
        elif self.kind == RuleKind.DEDUCTION:
            text = (
                f"{m} điểm, trừ {pts(self.per_occurrence)} điểm mỗi lần vi phạm, thấp nhất {pts(self.floor)}"
            )
        else:
            text = self.kind
        if self.is_computed and self.when_none != WhenNone.ENTER:
            nothing = (
                "không có vi phạm" if self.kind == RuleKind.DEDUCTION else "không có gì để tính (mẫu số 0)"
            )
            text += f"; {nothing}: {WhenNone(self.when_none).label.lower()}"
        return text + "."

    # --- scoring ------------------------------------------------------------------
    def check_entered(self, max_points: Decimal, points, *, set_step: Decimal | None = None) -> Decimal:
        """Points a person entered, checked: within [0, maximum] and a multiple of the step."""
        value = to_decimal(points, "Điểm")
        step = self.effective_step(set_step)
        if value < 0 or value > max_points:
            raise ValidationError(f"Điểm phải từ 0 đến {pts(max_points)}.")
        if value % step:
            raise ValidationError(f"Điểm phải là bội số của {pts(step)} (ví dụ {pts(max_points - step)}).")
        return value

    def _nothing(self, max_points: Decimal, why: str) -> Outcome:
        if self.when_none == WhenNone.FULL:
            return Outcome(max_points, explanation=f"{why}: đạt điểm tối đa {pts(max_points)}.")
        if self.when_none == WhenNone.ZERO:
            return Outcome(Decimal(0), explanation=f"{why}: 0 điểm.")
        if self.when_none == WhenNone.NOT_APPLICABLE:
            return Outcome(
                None,
                not_applicable=True,
                explanation=f"{why}: tiêu chí không áp dụng, loại {pts(max_points)} điểm khỏi điểm tối đa.",
            )
        return Outcome(None, explanation=f"{why}: chấm theo minh chứng.")

    def apply(
        self,
        max_points: Decimal,
        *,
        numerator: Decimal | int | None = None,
        denominator: Decimal | int | None = None,
        occurrences: Decimal | int | None = None,
    ) -> Outcome:
        """The outcome of a computed rule for what was measured. A rate rule needs
        numerator and denominator (a known percentage p is p ÷ 100); a deduction
        needs the number of occurrences. Entered and survey rules give no points."""
        if not self.is_computed:
            return Outcome(None, explanation="Chấm theo minh chứng.")
        if self.kind == RuleKind.DEDUCTION:
            if occurrences is None:
                return self._nothing(max_points, "Chưa có số liệu")
            n = to_decimal(occurrences, "Số lần vi phạm")
            if n < 0:
                raise ValidationError("Số lần vi phạm không thể âm.")
            if n == 0 and self.when_none != WhenNone.ENTER:
                return self._nothing(max_points, "Không có vi phạm")
            raw = max_points - self.per_occurrence * n
            points = rounded(max(raw, self.floor))
            text = f"{pts(max_points)} − {pts(self.per_occurrence)} × {format_number(n)} lần = {pts(raw)}"
            if raw < self.floor:
                text += f", không thấp hơn {pts(self.floor)}: {pts(points)}"
            return Outcome(points, explanation=text + " điểm.")

        if numerator is None or denominator is None:
            return self._nothing(max_points, "Chưa có số liệu")
        num = to_decimal(numerator, "Tử số")
        den = to_decimal(denominator, "Mẫu số")
        if num < 0 or den < 0:
            raise ValidationError("Tử số và mẫu số không thể âm.")
        if den == 0:
            return self._nothing(max_points, "Không có gì để tính (mẫu số 0)")
        if num > den:
            raise ValidationError(
                f"Tử số ({format_number(num)}) lớn hơn mẫu số ({format_number(den)}): tỷ lệ không thể quá 100%."
            )
        # Exact rate in percent for display; comparisons below never divide.
        rate = num * HUNDRED / den
        ratio = f"{format_number(num)}/{format_number(den)}"

        if self.kind == RuleKind.RATIO:
            points = rounded(max_points * num / den)
            return Outcome(
                points,
                explanation=f"Tỷ lệ {ratio} = {self._rate(rate)}; điểm = {pts(max_points)} × {self._rate(rate)} = {pts(points)}.",
            )

        if self.kind == RuleKind.RATIO_THRESHOLD:
            t = self.threshold
            shown = self._rate(rate, (t,))
            if num * HUNDRED >= t * den:
                return Outcome(
                    max_points,
                    explanation=f"Tỷ lệ {ratio} = {shown} ≥ ngưỡng {pct(t)}: đạt tối đa {pts(max_points)} điểm.",
                )
            points = rounded(max_points * num * HUNDRED / (den * t))
            return Outcome(
                points,
                explanation=f"Tỷ lệ {ratio} = {shown} < ngưỡng {pct(t)}: điểm = {pts(max_points)} × {shown} ÷ {pct(t)} = {pts(points)}.",
            )

        # Bands: the highest band whose lower bound the rate reaches (bound included).
        ordered = self.ordered_bands
        shown = self._rate(rate, tuple(b.lower for b in ordered))
        for i, band in enumerate(ordered):
            if num * HUNDRED >= band.lower * den:
                upper = ordered[i - 1].lower if i else None
                if upper is None:
                    where = f"từ {pct(band.lower)}"
                elif band.lower == 0:
                    where = f"dưới {pct(upper)}"
                else:
                    where = f"{pct(band.lower)} – dưới {pct(upper)}"
                return Outcome(
                    band.points,
                    explanation=f"Tỷ lệ {ratio} = {shown}, mức “{where}”: {pts(band.points)} điểm.",
                )
        # Unreachable for a valid rule (the lowest band starts at 0 %).
        return Outcome(Decimal(0), explanation=f"Tỷ lệ {ratio} = {shown}: dưới mọi mức, 0 điểm.")

    @staticmethod
    def _rate(rate: Decimal, bounds: Iterable[Decimal] = ()) -> str:
        """The rate with two decimals, or four when two would round it onto a bound
        it does not reach (94,995 % next to a 95 % threshold)."""
        two = rate.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
        if two != rate and any(two == b or (rate < b <= two) or (two < b <= rate) for b in bounds):
            return pct(rate, 4, trim=False)
        return pct(rate, trim=False)
