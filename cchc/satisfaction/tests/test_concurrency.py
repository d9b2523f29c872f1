"""Two submissions for one dossier at the same moment store one rating."""

import threading
from datetime import date

import pytest
from django.db import connection

from cchc.satisfaction import services
from cchc.satisfaction.models import Rating, RatingChannel
from cchc.testing import make_unit

from .helpers import SCORES, make_dossier, make_procedure


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_store_one_rating():
    if connection.vendor == "sqlite":
        # The in-memory SQLite test database is shared between threads in "shared
        # cache" mode, which answers "table is locked" at once instead of waiting;
        # the file database the product uses waits (IMMEDIATE + timeout). The
        # unique-constraint path is tested on both databases in test_rating.py.
        pytest.skip("threads need the PostgreSQL test database")
    province = make_unit("province", "p-race")
    commune = make_unit("commune", "c-race", province)
    dossier = make_dossier(commune, make_procedure(commune), received=date(2026, 3, 2))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(channel: str) -> None:
        try:
            barrier.wait(timeout=10)
            services.rating_submit(dossier=dossier, channel=channel, scores=SCORES, satisfied=True)
            outcomes.append("stored")
        except services.AlreadyRated:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(c,)) for c in (RatingChannel.QR, RatingChannel.KIOSK)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["refused", "stored"]
    assert Rating.objects.filter(dossier=dossier).count() == 1
