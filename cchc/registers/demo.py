"""Demo registers of xã Đức Xương (and a few rows of xã Gia Lộc), in the spirit of
its 2024 plan. Re-runnable: rows that exist are left as they are."""

from __future__ import annotations

from django.utils import timezone

from cchc.core.demo import DemoLog

from .communication import demo as communication
from .reviews import demo as reviews
from .training import demo as training


def load(log: DemoLog) -> None:
    today = timezone.localdate()
    reviews.load(log, today)
    training.load(log, today)
    communication.load(log, today)
