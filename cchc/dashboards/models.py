"""The dashboards app keeps no rows of its own: it reads every number through the
figures catalogue. This model only carries the app's permissions (so that roles and
an administrator can grant them like any other)."""

from __future__ import annotations

from django.db import models


class DashboardAccess(models.Model):
    """No table: the permissions of the chairman's dashboard, the province's
    comparison and the figures by officer."""

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = "quyền xem bảng điều hành"
        permissions = [
            ("view_dashboard", "Xem bảng điều hành (chỉ tiêu, xu hướng, việc quá hạn)"),
            ("view_comparison", "Xem bảng so sánh các xã"),
            ("view_officer_figures", "Xem số liệu theo công chức và bộ phận"),
        ]

    def __str__(self) -> str:
        return "Bảng điều hành"
