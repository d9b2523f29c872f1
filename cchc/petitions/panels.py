"""The home-page panel: what the user has to do on petitions."""

from __future__ import annotations

from django.utils import timezone

from .models import Petition, Status
from .services import due_soon_until


def home_panel_context(user) -> dict:
    today = timezone.localdate()
    visible = Petition.objects.visible_to(user)
    todo = []
    if user.has_perm("petitions.classify_petition"):
        todo += [
            ("Chờ phân loại", Status.RECEIVED),
            ("Chờ người gửi bổ sung", Status.INFO_REQUESTED),
            ("Chờ giao bộ phận xử lý", Status.ACCEPTED),
        ]
    if user.has_perm("petitions.answer_petition") and user.department_id:
        todo.append(("Bộ phận đang xử lý", Status.ASSIGNED))
    if user.has_perm("petitions.approve_petition"):
        todo.append(("Chờ duyệt trả lời", Status.ANSWERED))
    if user.has_perm("petitions.publish_petition"):
        todo.append(("Chờ công khai", Status.APPROVED))
    rows = []
    for label, status in todo:
        qs = visible.filter(status=status)
        if status == Status.ASSIGNED:
            qs = qs.filter(department_id=user.department_id)
        query = f"status={status.value}"
        if status == Status.ASSIGNED:
            query += f"&department={user.department_id}"
        rows.append({"label": label, "status": status.value, "query": query, "count": qs.count()})
    return {
        "rows": rows,
        "overdue": visible.overdue(today).count(),
        "due_soon": visible.due_soon(today, due_soon_until(today)).count(),
    }
