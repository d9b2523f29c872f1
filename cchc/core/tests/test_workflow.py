"""The one workflow shape: moves, capabilities, 409 for illegal moves everywhere."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from cchc.core.middleware import ConflictMiddleware
from cchc.core.workflow import RESUME, SAME, Conflict, IllegalMove, Move, Workflow

LABELS = {"draft": "Dự thảo", "sent": "Đã gửi", "paused": "Tạm dừng"}
FLOW = Workflow(
    [
        Move("send", "Gửi", ("draft",), "sent", allowed={"approve"}),
        Move("pause", "Tạm dừng", ("draft", "sent"), "paused"),
        Move("resume", "Tiếp tục", ("paused",), RESUME),
        Move("note", "Ghi chú", ("draft", "sent"), SAME, allowed={"edit", "approve"}),
    ],
    status_label=LABELS.__getitem__,
)


def test_it_allows_a_move_from_its_sources_with_a_capability():
    assert FLOW.check("send", "draft", {"approve"}).target == "sent"
    assert FLOW.check("pause", "sent", set()).target == "paused"  # no capability needed


def test_an_illegal_move_is_a_conflict_with_a_vietnamese_message():
    with pytest.raises(IllegalMove) as exc:
        FLOW.check("send", "sent", {"approve"})
    assert isinstance(exc.value, Conflict)
    assert str(exc.value) == "Không thể “gửi” khi đang ở trạng thái “Đã gửi”."
    with pytest.raises(IllegalMove, match="không tồn tại"):
        FLOW.check("fly", "draft", {"approve"})


def test_the_message_can_name_the_record():
    flow = Workflow(
        [Move("send", "Gửi", ("draft",), "sent")], status_label=LABELS.__getitem__, noun="báo cáo"
    )
    with pytest.raises(IllegalMove) as exc:
        flow.check("send", "sent")
    assert str(exc.value) == "Không thể “gửi” khi báo cáo đang ở trạng thái “Đã gửi”."


def test_a_missing_capability_is_permission_denied():
    with pytest.raises(PermissionDenied, match="Gửi"):
        FLOW.check("send", "draft", {"edit"})
    # None skips the capability check (commands, the domain's own checks).
    assert FLOW.check("send", "draft", None).action == "send"


def test_available_lists_the_buttons_a_user_may_press():
    assert [m.action for m in FLOW.available("draft", {"edit"})] == ["pause", "note"]
    assert [m.action for m in FLOW.available("draft", {"approve"})] == ["send", "pause", "note"]


def test_same_and_resume_targets_resolve():
    assert FLOW.target(FLOW.get("note"), "sent") == "sent"
    assert FLOW.target(FLOW.get("resume"), "paused", resume=lambda: "draft") == "draft"
    with pytest.raises(ValueError):
        FLOW.target(FLOW.get("resume"), "paused")
    assert FLOW.statuses() == {"draft", "sent", "paused"}


def test_a_table_cannot_name_an_action_twice():
    with pytest.raises(ValueError):
        Workflow([Move("a", "A", ("x",), "y"), Move("a", "B", ("y",), "x")], status_label=str)


def test_pages_answer_a_conflict_with_409_and_its_message(db):
    request = RequestFactory().post("/ho-so/X/", HTTP_REFERER="http://testserver/ho-so/X/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = ConflictMiddleware(lambda r: None).process_exception(request, IllegalMove("Đã gửi rồi."))
    assert response.status_code == 409
    body = response.content.decode()
    assert "Đã gửi rồi." in body and 'href="http://testserver/ho-so/X/"' in body
    # Other errors and API paths are left to their own handlers.
    assert ConflictMiddleware(lambda r: None).process_exception(request, ValueError("x")) is None
    api_request = RequestFactory().post("/api/v1/x")
    assert ConflictMiddleware(lambda r: None).process_exception(api_request, Conflict("x")) is None
