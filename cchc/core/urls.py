from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import LoginForm, OwnPasswordForm

urlpatterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(template_name="core/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "doi-mat-khau/",
        views.PasswordChange.as_view(template_name="core/password_change.html", form_class=OwnPasswordForm),
        name="password_change",
    ),
    path("thong-bao/", views.notifications, name="notifications"),
    path("thong-bao/<int:pk>/da-doc/", views.notification_read, name="notification_read"),
    path("nhat-ky/", views.audit_log, name="audit_log"),
    path("lich-lam-viec/", views.calendar, name="calendar"),
    path("lich-lam-viec/dieu-chinh/", views.calendar_override_add, name="calendar_override_add"),
    path(
        "lich-lam-viec/dieu-chinh/<int:pk>/xoa/",
        views.calendar_override_remove,
        name="calendar_override_remove",
    ),
]
