"""The digitisation items on real documents (bound to the online/digitisation
figures): digitised 4 of 5 → 4 × 0,8 = 3,20 (full only at 100 %); reuse 1 of 5 →
2 × 0,2 ÷ 0,8 = 0,50 (full at 80 %); electronic results: no result returned → no data."""

import atexit
import shutil
import tempfile
from datetime import date
from decimal import Decimal as D

from django.test import override_settings

from cchc.dossiers.online import document_add, document_reuse, reusable_documents
from cchc.dossiers.tests.helpers import at, make_procedure, pdf, receive
from cchc.serviceindex.results import EMPTY, index_for
from cchc.testing import BaseTestCase

MEDIA_ROOT = tempfile.mkdtemp(prefix="cchc-serviceindex-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
MAY = (date(2025, 4, 15), date(2025, 5, 14))


@override_settings(MEDIA_ROOT=MEDIA_ROOT)
class DigitisationItemTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        m = cls.motcua
        proc = make_procedure(cls.commune, department=cls.dept_justice)
        with override_settings(MEDIA_ROOT=MEDIA_ROOT):
            d1, d2, d3, d4, cls.d5 = [receive(m, proc, at(2025, 5, 5, 8 + n)) for n in range(5)]
            for d in (d1, d3, d4):
                document_add(user=m, dossier=d, upload=pdf(), label="Tờ khai", now=at(2025, 5, 5, 14))
            # d2: the same applicant's form reused from an earlier dossier instead of a new scan.
            (source,) = reusable_documents(d2)
            document_reuse(user=m, dossier=d2, source=source, now=at(2025, 5, 5, 15))

    def test_digitised_and_reused_shares_are_scored(self):
        r = index_for(commune_ids=[self.commune.pk], date_from=MAY[0], date_to=MAY[1], now=at(2025, 6, 1))
        digitised = r.item("SO_HOA_GIAY_TO_GIAI_QUYET")
        self.assertEqual((digitised.ratio, digitised.points), (D("0.8"), D("3.20")))
        reused = r.item("REUSED_DIGITIZED_DATA")
        self.assertEqual((reused.ratio, reused.points), (D("0.2"), D("0.50")))
        self.assertEqual(r.item("ORIGINAL_RESULT_AVAILABLE").state, EMPTY)

    def test_another_commune_has_none_of_them(self):
        r = index_for(
            commune_ids=[self.other_commune.pk], date_from=MAY[0], date_to=MAY[1], now=at(2025, 6, 1)
        )
        self.assertEqual(r.item("SO_HOA_GIAY_TO_GIAI_QUYET").state, EMPTY)  # nothing received there
