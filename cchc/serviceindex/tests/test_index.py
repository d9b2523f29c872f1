"""A commune's index from its own data: each bound item with its hand-computed
points, the items the product cannot measure shown as such (never 0), the two
totals, the rules for empty windows, versions and scoping."""

from datetime import date
from decimal import Decimal as D

from django.core.management import call_command

from cchc.dossiers.tests.helpers import make_procedure
from cchc.dossiers.tests.test_progress import AFTER, MAY, ProgressHistory
from cchc.procedures.models import Procedure
from cchc.serviceindex import loader
from cchc.serviceindex.models import IndexGroup, IndexItem, IndexVersion
from cchc.serviceindex.results import EMPTY, NOT_MEASURED, SCORED, UNRESOLVED, index_by_commune, index_for


class IndexTests(ProgressHistory):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Two procedures in the commune's catalogue, one published completely: 50 %.
        published = make_procedure(cls.commune, "2.000001", name="Thủ tục công khai đủ")
        # The flag follows the reviewed parts (procedures app); set it as a review would.
        Procedure.objects.filter(pk=published.pk).update(publication_complete=True)

    def result(self, commune=None, **kw):
        cid = (commune or self.commune).pk
        return index_for(commune_ids=[cid], date_from=MAY[0], date_to=MAY[1], now=AFTER, **kw)

    def test_the_shipped_version_is_loaded_by_the_migration(self):
        v = IndexVersion.objects.get(code="2026")
        self.assertEqual(v.effective_from, date(2025, 12, 15))
        self.assertEqual(v.max_total, D(100))
        self.assertEqual(IndexGroup.objects.filter(version=v).count(), 6)
        self.assertEqual(IndexItem.objects.filter(group__version=v).count(), 19)
        capped = IndexItem.objects.get(group__version=v, code="DOSSIER_RECEIVING_SATISFACTION")
        self.assertEqual((capped.threshold, capped.if_empty), (D("0.9"), "zero"))

    def test_each_measurable_item_has_its_points(self):
        r = self.result()
        points = {i.item.code: i.points for i in r.items if i.state == SCORED}
        self.assertEqual(
            points,
            {
                "PUBLIC_CONTENT_FULL": D("1.00"),  # 2 × 1/2 published completely
                "ON_TIME": D("10.00"),  # 20 × 3/6
                "PETITION_PROCESSING_ON_TIME": D("6.00"),  # no petition: full points
                "PETITION_HANDLING_SATISFACTION": D("6.00"),  # no petition rated: full points
                "DOSSIER_RECEIVING_SATISFACTION": D("0"),  # nothing rated: 0
                "SO_HOA_GIAY_TO_GIAI_QUYET": D("0.00"),  # 0 of 6 received dossiers digitised
                "REUSED_DIGITIZED_DATA": D("0.00"),  # 0 of 6 reused digitised documents
            },
        )
        on_time = r.item("ON_TIME")
        self.assertEqual(on_time.ratio, D("0.5"))
        self.assertEqual(on_time.value, D("50.00"))
        # The on-time rate of finished dossiers is shown beside it, different (1/3).
        self.assertEqual([(f.key, v) for f, v in on_time.shown], [("dossiers.on_time_rate", D("33.33"))])

    def test_the_totals_over_measurable_items_and_the_maximum_attainable(self):
        r = self.result()
        self.assertEqual(r.points, D("23.00"))
        self.assertEqual(r.measured_max, D(46))  # 2 + 20 + 6 + 6 + 6 + digitised 4 + reuse 2
        self.assertEqual(r.unmeasured_max, D(54))
        self.assertEqual(r.max_attainable, D("77.00"))
        self.assertEqual(r.measured_percent, D("50.00"))
        # No result returned in the window: electronic results have no data (not 0).
        self.assertEqual(r.item("ORIGINAL_RESULT_AVAILABLE").state, EMPTY)

    def test_items_it_cannot_measure_have_no_points_and_say_why(self):
        r = self.result()
        for code in ("PUBLISH_ON_TIME", "DOSSIER_SYNC", "CITIZEN_DATA_CONNECTED_DOSSIER", "ONLINE_PAYMENT"):
            item = r.item(code)
            self.assertEqual(item.state, NOT_MEASURED, code)
            self.assertIsNone(item.points)
            self.assertTrue(item.note)
        online = r.item("FULL_ONLINE_DOSSIER")
        self.assertEqual(online.state, UNRESOLVED)
        self.assertIsNone(online.points)
        self.assertEqual(
            [f.key for f, _ in online.shown],
            [
                "dossiers.online_full_rate",
                "dossiers.online_partial_rate",
                "dossiers.online_rate",
                "procedures.online_rate",
                "procedures.online_full",
            ],
        )

    def test_a_window_with_nothing_received_has_no_progress_points(self):
        r = index_for(commune_ids=[self.commune.pk], date_from=date(2025, 1, 1), date_to=date(2025, 1, 31))
        self.assertEqual(r.item("ON_TIME").state, EMPTY)
        self.assertIsNone(r.item("ON_TIME").points)
        self.assertEqual(r.measured_max, D(20))  # content 2 + petitions 12 + satisfaction 6

    def test_another_communes_dossiers_never_count(self):
        other = self.result(commune=self.other_commune)
        self.assertEqual(other.item("ON_TIME").points, D("0.00"))  # its one dossier is overdue
        self.assertEqual(self.result().item("ON_TIME").parts[1][2], 6)  # ours: 6 received, not 7
        grouped = index_by_commune(
            commune_ids=[self.commune.pk, self.other_commune.pk], date_from=MAY[0], date_to=MAY[1], now=AFTER
        )
        self.assertEqual(grouped[self.commune.pk].points, D("23.00"))
        self.assertEqual(grouped[self.other_commune.pk].points, other.points)
        self.assertEqual(other.points, D("12.00"))  # petitions 6 + 6; catalogue 0/1 published

    def test_the_version_in_force_is_chosen_by_the_windows_end(self):
        self.assertFalse(self.result().applies)  # May 2025 is before 15/12/2025
        later = IndexVersion.objects.create(
            code="test", name="Bộ thử", year=2027, effective_from=date(2026, 12, 15), max_total=0,
            data_file="-", loaded_at=AFTER,
        )  # fmt: skip
        self.assertEqual(IndexVersion.for_day(date(2026, 12, 14)).code, "2026")
        self.assertEqual(IndexVersion.for_day(date(2026, 12, 15)), later)
        self.assertEqual(IndexVersion.for_day(date(2020, 1, 1)).code, "2026")

    def test_reloading_the_shipped_file_changes_nothing(self):
        before = list(IndexItem.objects.values_list("pk", "code", "max_points", "threshold"))
        call_command("serviceindex_load", stdout=open("/dev/null", "w"))
        self.assertEqual(list(IndexItem.objects.values_list("pk", "code", "max_points", "threshold")), before)

    def test_a_file_whose_points_do_not_add_up_is_refused(self):
        data = loader.read(loader.shipped_files()[0])
        data["groups"][0]["metrics"][0]["max"] = 7
        with self.assertRaisesMessage(
            loader.BadIndexFile, "nhóm CKMB tối đa 18 điểm nhưng các chỉ tiêu cộng lại 19"
        ):
            loader.check(data, "x.json")
        data = loader.read(loader.shipped_files()[0])
        data["groups"][1]["metrics"][0]["rule"]["type"] = "magic"
        with self.assertRaisesMessage(loader.BadIndexFile, "không được hỗ trợ"):
            loader.check(data, "x.json")
