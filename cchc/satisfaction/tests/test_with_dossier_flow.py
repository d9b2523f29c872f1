"""The rating follows a dossier handled through the real one-stop services."""

from django.core.exceptions import ValidationError

from cchc.dossiers.models import Action
from cchc.dossiers.services import Applicant, dossier_act, dossier_receive
from cchc.portal.services import dossier_lookup, public_view
from cchc.satisfaction import services
from cchc.satisfaction.models import RatingChannel

from .helpers import SCORES, FastTestCase, make_procedure


class DossierFlowTests(FastTestCase):
    def test_a_dossier_received_handled_and_returned_is_rated_and_credited(self):
        procedure = make_procedure(self.commune, department=self.dept_justice)
        dossier = dossier_receive(
            user=self.motcua,
            procedure=procedure,
            channel="in_person",
            applicant=Applicant(
                name="Phạm Thị Bình", id_number="001190123456", phone="0987654321", address="Thôn Tây"
            ),
        )
        self.assertIsNone(dossier_lookup(code=dossier.code, last4="0000"))
        self.assertEqual(public_view(dossier_lookup(code=dossier.code, last4="4321")).rating_url, "")
        with self.assertRaises(ValidationError):
            services.rating_submit(dossier=dossier, channel=RatingChannel.QR, scores=SCORES, satisfied=True)
        dossier_act(dossier=dossier, action=Action.TRANSFER, user=self.motcua, department=self.dept_justice)
        dossier_act(dossier=dossier, action=Action.FINISH, user=self.tuphap)
        dossier_act(dossier=dossier, action=Action.RETURN_RESULT, user=self.motcua)
        dossier.refresh_from_db()
        view = public_view(dossier_lookup(code=dossier.code, last4="4321"))
        self.assertEqual(view.status_text, "Đã trả kết quả")
        self.assertTrue(view.rating_url.startswith("/danh-gia/r/"))
        self.assertEqual([s.label for s in view.steps][-2:], ["Giải quyết xong, có kết quả", "Trả kết quả"])
        rating = services.rating_submit(
            dossier=dossier, channel=RatingChannel.LOOKUP, scores=SCORES, satisfied=True
        )
        self.assertEqual((rating.officer, rating.department), (self.motcua, self.dept_justice))
