"""The scoring rules of the service index's items, as pure functions of a measured
ratio (0–1, a `Decimal`) — docs/service-index.md gives each with its source.

- `ratio_linear`: points = max × r;
- `ratio_capped`: points = min(max, max × r ÷ threshold) — full points from the
  threshold on;
- `expression`: points = an arithmetic expression over named ratios (e.g. online
  payment: 6*A + min(2, 2.5*B) + 2.5*C), capped at the item's maximum;
- `track_only` and `unresolved`: not scored.

Points are rounded once, at the end, by the catalogue's rule (half up, 2 decimals).
"""

from __future__ import annotations

import ast
from decimal import Decimal

from cchc.core.figures import rounded

from .models import RuleKind

ZERO = Decimal(0)
ONE = Decimal(1)


class BadExpression(ValueError):
    """An item's expression uses something other than numbers, its ratios, + − × ÷,
    min and max."""


def linear(max_points: Decimal, ratio: Decimal) -> Decimal:
    return rounded(max_points * _clip(ratio))


def capped(max_points: Decimal, ratio: Decimal, threshold: Decimal | None) -> Decimal:
    limit = threshold if threshold else ONE
    return rounded(min(max_points, max_points * _clip(ratio) / limit))


def expression(max_points: Decimal, expr: str, ratios: dict[str, Decimal]) -> Decimal:
    value = evaluate_expression(expr, {k: _clip(v) for k, v in ratios.items()})
    return rounded(max(ZERO, min(max_points, value)))


def points(
    rule: str, max_points: Decimal, ratio: Decimal, threshold: Decimal | None = None
) -> Decimal | None:
    """The points of a ratio rule; None for rules that are not scored from one ratio."""
    if rule == RuleKind.RATIO_LINEAR:
        return linear(max_points, ratio)
    if rule == RuleKind.RATIO_CAPPED:
        return capped(max_points, ratio, threshold)
    return None


def _clip(ratio: Decimal) -> Decimal:
    return max(ZERO, min(ONE, ratio))


_FUNCTIONS = {"min": min, "max": max}


def expression_names(expr: str) -> set[str]:
    """The ratio names an expression uses (checked against the item's variables)."""
    tree = _parse(expr)
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id not in _FUNCTIONS}


def _parse(expr: str) -> ast.Expression:
    try:
        return ast.parse(expr, mode="eval")
    except SyntaxError:
        raise BadExpression(f"Biểu thức “{expr}” không hợp lệ.") from None


def evaluate_expression(expr: str, names: dict[str, Decimal]) -> Decimal:
    """Evaluate `expr` over `names` with Decimal arithmetic; only numbers, the names,
    + - * /, unary minus, min() and max() are allowed."""

    def ev(node: ast.AST) -> Decimal:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name) and node.id in names:
            return names[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        if isinstance(node, ast.BinOp):
            left, right = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            if isinstance(node.op, ast.Div):
                if right == 0:
                    raise BadExpression(f"Biểu thức “{expr}” chia cho 0.")
                return left / right
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _FUNCTIONS
            and node.args
            and not node.keywords
        ):
            return _FUNCTIONS[node.func.id](ev(a) for a in node.args)
        raise BadExpression(f"Biểu thức “{expr}” có phần không được hỗ trợ: {ast.dump(node)[:60]}.")

    return ev(_parse(expr))
