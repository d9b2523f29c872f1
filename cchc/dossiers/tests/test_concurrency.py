"""Codes stay unique and gap-free when many officers receive at once."""

import threading
import unittest

from django.db import connection, connections
from django.test import TransactionTestCase

from cchc.dossiers.models import Dossier
from cchc.org.models import Role
from cchc.testing import make_department, make_unit, make_user

from .helpers import at, make_procedure, receive


class ConcurrentCodeTests(TransactionTestCase):
    def setUp(self) -> None:
        province = make_unit("province", "tinh", code="000.00.00.H99")
        self.commune = make_unit("commune", "xa", province, code="000.01.01.H99")
        one_stop = make_department(self.commune, "mot-cua", "Một cửa", is_one_stop=True)
        self.users = [
            make_user(f"motcua{i}", Role.ONE_STOP_OFFICER, self.commune, one_stop) for i in range(6)
        ]
        self.proc = make_procedure(self.commune)

    def test_sequential_receipts_are_gap_free(self):
        codes = [receive(self.users[0], self.proc, at(2025, 6, 2, 8, i)).code for i in range(10)]
        self.assertEqual([int(c[-4:]) for c in codes], list(range(1, 11)))

    @unittest.skipUnless(connection.vendor == "postgresql", "threads need a server database")
    def test_concurrent_receipts_get_unique_consecutive_serials(self):
        per_thread, errors = 8, []
        barrier = threading.Barrier(len(self.users))

        def work(user):
            try:
                barrier.wait()
                for i in range(per_thread):
                    receive(user, self.proc, at(2025, 6, 2, 9, i))
            except Exception as exc:  # reported below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=work, args=(u,)) for u in self.users]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        serials = sorted(Dossier.objects.values_list("serial", flat=True))
        self.assertEqual(serials, list(range(1, len(self.users) * per_thread + 1)))
        self.assertEqual(Dossier.objects.values("code").distinct().count(), len(serials))
