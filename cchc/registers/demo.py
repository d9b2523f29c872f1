"""Demo registers of xã Đức Xương (and a few rows of xã Gia Lộc), in the spirit of
its 2024 plan. Re-runnable: rows that exist are left as they are."""

from __future__ import annotations

from django.utils import timezone

from cchc.core.demo import DemoLog

from .communication import demo as communication
from .inspections import demo as inspections
from .legal import demo as legal
from .reviews import demo as reviews
from .spending import demo as spending
from .training import demo as training


def load(log: DemoLog) -> None:
    today = timezone.localdate()
    legal.load(log, today)
    inspections.load(log, today)
    reviews.load(log, today)
    training.load(log, today)
    communication.load(log, today)
    spending.load(log, today)
