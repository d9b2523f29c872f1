"""The registers' overview: each register with its headline figures for the
current reporting year (NĐ 09/2019 window), over the communes the user may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cchc.core.figures import Scope, evaluate
from cchc.core.periods import PeriodKind, containing

from . import figures, specs


@login_required
def index(request: HttpRequest) -> HttpResponse:
    period = containing(timezone.localdate(), PeriodKind.YEAR)
    commune_ids = request.user.commune_ids()
    rows = []
    for spec in specs.ALL:
        if not request.user.has_perm(spec.view_perm):
            continue
        headline = figures.HEADLINES.get(spec.key, [])
        values = {}
        if commune_ids and headline:
            scope = Scope.of(commune_ids=commune_ids, date_from=period.date_from, date_to=period.date_to)
            values = evaluate(headline, scope)
        rows.append({"spec": spec, "figures": [(f, values.get(f)) for f in headline]})
    return render(request, "registers/index.html", {"rows": rows, "period": period})
