"""A suggested score from the demo's own data equals the hand computation: the demo
commune's dossiers over the 2025 window, counted straight from the rows."""

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.test import TestCase, override_settings

from cchc.core.demo import DemoLog
from cchc.dossiers import demo as dossiers_demo
from cchc.dossiers.models import Channel, Dossier, Outcome, SupplementRequest
from cchc.org import demo as org_demo
from cchc.org.models import Unit
from cchc.parindex import demo, services
from cchc.parindex.models import Assessment
from cchc.procedures import demo as procedures_demo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class DemoFigureTests(TestCase):
    def test_the_on_time_and_online_suggestions_equal_a_count_of_the_rows(self):
        quiet = DemoLog(write=lambda _: None)
        org_demo.load(quiet)
        procedures_demo.load(quiet)
        dossiers_demo.load(quiet, start=date(2024, 12, 1), volumes={"ducxuong": 1.5, "gialoc": 0.3})
        demo.load(quiet)
        commune = Unit.objects.get(slug="ducxuong")
        a = Assessment.objects.get(commune=commune, year=2025)
        c32 = a.criteria_set.criteria.get(code="3.2")
        c61 = a.criteria_set.criteria.get(code="6.1")
        self.assertEqual((c32.figure, c61.figure), ("dossiers.progress_rate", "dossiers.online_rate"))

        # By hand: the window 15/12/2024 00:00 – 15/12/2025 00:00, local time. QĐ 766's
        # progress, row by row: of the dossiers received in it, those finished early or on
        # time before its end, or still open at its end and not past their due date
        # (a dossier waiting for a supplement then is within time), unless flagged late.
        start = datetime.combine(date(2024, 12, 15), time.min, TZ)
        end = datetime.combine(date(2025, 12, 14) + timedelta(days=1), time.min, TZ)
        received_rows = Dossier.objects.filter(commune=commune, received_at__gte=start, received_at__lt=end)
        waiting_at_end = {
            r.dossier_id
            for r in SupplementRequest.objects.filter(dossier__commune=commune, requested_at__lt=end)
            if r.answered_at is None or r.answered_at >= end
        }

        def in_time_at_end(d):
            if d.finished_at is not None and d.finished_at < end:
                return d.finish_outcome in (Outcome.EARLY, Outcome.ON_TIME)
            still_open = d.closed_at is None or d.closed_at >= end
            within = d.due_date is not None and d.due_date >= end.date()
            return still_open and not d.is_late_flagged and (within or d.pk in waiting_at_end)

        in_time = sum(1 for d in received_rows if in_time_at_end(d))
        total = received_rows.count()
        self.assertGreater(total, 100)
        self.assertLess(in_time, total)
        on_time_points = (Decimal(10) * in_time / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        received = Dossier.objects.filter(commune=commune, received_at__gte=start, received_at__lt=end)
        online, all_received = received.filter(channel=Channel.ONLINE).count(), received.count()
        rate = Decimal(online) * 100 / all_received
        online_points = (
            Decimal(6)
            if rate >= 50
            else (Decimal(6) * rate / 50).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        )

        suggestions = services.suggestions_for(a)
        s32, s61 = suggestions[c32.pk], suggestions[c61.pk]
        self.assertEqual((s32.numerator, s32.denominator, s32.points), (in_time, total, on_time_points))
        self.assertEqual((s61.numerator, s61.denominator, s61.points), (online, all_received, online_points))
        # The demo accepted them: the draft's self-scores are those numbers.
        self.assertEqual(a.scores.get(criterion=c32).self_points, on_time_points)
        self.assertEqual(a.scores.get(criterion=c32).self_origin, "suggested")
        self.assertEqual(a.scores.get(criterion=c61).self_points, online_points)

        # The records counted, from the criterion: the finished dossiers, and those in time.
        from django.contrib.auth import get_user_model
        from django.urls import reverse

        self.client.force_login(get_user_model().objects.get(username="captren"))
        url = reverse("parindex:records", args=[a.pk, "3.2"])
        page = self.client.get(url)
        self.assertContains(page, f"({total} dòng)")
        first = received_rows.order_by("pk").first()
        self.assertContains(page, f'href="{reverse("dossiers:detail", args=[first.code])}"')
        other = Dossier.objects.exclude(commune=commune).order_by("pk").first()
        self.assertIsNotNone(other)
        self.assertNotContains(page, other.code)
        self.assertContains(self.client.get(url + "?phan=tu-so"), f"({in_time} dòng)")
