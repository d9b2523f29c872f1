from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView

from cchc.api import api
from cchc.core import views as core_views

admin.site.site_header = "Quản trị hệ thống CCHC"
admin.site.site_title = "Quản trị CCHC"
admin.site.index_title = "Cấu hình"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url=static("cchc/favicon.svg"), permanent=True)),
    path("", include("cchc.core.urls")),
    path("thu-tuc/", include("cchc.procedures.urls")),
    path("ho-so/", include("cchc.dossiers.urls")),
    path("ho-so/", include("cchc.satisfaction.dossier_urls")),  # the rating slip of a dossier
    path("danh-gia/", include("cchc.satisfaction.urls")),
    path("phan-anh/", include("cchc.petitions.urls")),
    path("ke-hoach/", include("cchc.plans.urls")),
    path("chi-so-phuc-vu/", include("cchc.serviceindex.urls")),
    path("bao-cao/", include("cchc.reports.urls")),
    path("so-theo-doi/", include("cchc.registers.urls")),
    path("chi-so-cchc/", include("cchc.parindex.urls")),
    path("dieu-hanh/", include("cchc.dashboards.urls")),
    path("cong-khai/", include("cchc.portal.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler403 = "cchc.core.views.error_403"
handler404 = "cchc.core.views.error_404"
handler500 = "cchc.core.views.error_500"
