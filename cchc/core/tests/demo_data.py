"""The demo, made small enough for tests that need a whole commune's worth of real-
looking data (every app's rows, plan evidence files, ratings, petitions): the last
40 working days of dossiers instead of three years."""

from __future__ import annotations

import importlib
from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from cchc.core.audit import acting_as
from cchc.core.demo import DemoLog


def load_small_demo() -> DemoLog:
    log = DemoLog(write=lambda line: None)
    start = timezone.localdate() - timedelta(days=60)
    with acting_as(None, "command:demo"):
        for config in apps.get_app_configs():
            if not config.name.startswith("cchc."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.demo":
                    continue
                raise
            if config.name == "cchc.dossiers":
                module.load(log, start=start, volumes={"ducxuong": 6.0, "gialoc": 3.0})
            elif hasattr(module, "load"):
                module.load(log)
    return log
