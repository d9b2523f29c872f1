from django.urls import path

from . import views

app_name = "satisfaction"
urlpatterns = [
    path("", views.stats, name="stats"),
    path("danh-sach/", views.rating_list, name="ratings"),
    path("phan-hoi/", views.followup_list, name="followups"),
    path("phan-hoi/<int:pk>/", views.followup_detail, name="followup_detail"),
    # Public: the signed link of the look-up page and of the QR code on the result.
    path("r/<str:token>/", views.rate, name="rate"),
    path("r/<str:token>/cam-on/", views.rate_thanks, name="rate_thanks"),
    # Counter kiosk (tablet at the one-stop desk, opened by an officer).
    path("quay/", views.kiosk, name="kiosk"),
    path("quay/cam-on/", views.kiosk_thanks, name="kiosk_thanks"),
    path("quay/<str:token>/", views.kiosk_rate, name="kiosk_rate"),
    path("qr/<str:code>.svg", views.rating_qr, name="qr"),
]
