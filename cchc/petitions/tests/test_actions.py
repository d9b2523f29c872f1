"""The event labels are the model's `Action` choices, and the move table is built from
them: no label lives in two places, and the model does not import its services."""

from django.test import SimpleTestCase

from cchc.petitions.models import Action, PetitionEvent
from cchc.petitions.services import WORKFLOW


class ActionLabelTests(SimpleTestCase):
    def test_every_move_is_an_action_with_the_same_label(self):
        self.assertEqual({m.action for m in WORKFLOW} | {Action.RECEIVE.value}, set(Action.values))
        for move in WORKFLOW:
            self.assertEqual(move.label, Action(move.action).label)

    def test_an_event_shows_its_label(self):
        self.assertEqual(PetitionEvent(action="accept").action_label, "Phân loại: thuộc thẩm quyền")
        self.assertEqual(PetitionEvent(action="receive").action_label, "Tiếp nhận")
        self.assertEqual(PetitionEvent(action="cũ").action_label, "cũ")
