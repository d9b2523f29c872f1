from django.urls import path

from . import views

app_name = "parindex"
urlpatterns = [
    path("", views.index, name="index"),
    path("bo-tieu-chi/", views.set_list, name="sets"),
    path("bo-tieu-chi/nhap/", views.set_import, name="set_import"),
    path("bo-tieu-chi/<int:pk>/", views.set_detail, name="set"),
    path("bo-tieu-chi/<int:pk>/cai-dat/", views.set_settings, name="set_settings"),
    path("bo-tieu-chi/<int:pk>/ap-dung/", views.set_open, name="set_open"),
    path("bo-tieu-chi/<int:pk>/phien-ban-moi/", views.set_new_version, name="set_new_version"),
    path("bo-tieu-chi/<int:pk>/nhap-lai/", views.set_replace, name="set_replace"),
    path("bo-tieu-chi/<int:pk>/xoa/", views.set_delete, name="set_delete"),
    path("bo-tieu-chi/<int:pk>/tai-ve.<str:fmt>", views.set_export, name="set_export"),
    path("bo-tieu-chi/<int:pk>/tieu-chi/<str:code>/", views.criterion_edit, name="criterion_edit"),
    path("bo-tieu-chi/<int:pk>/xep-hang/", views.ranking_page, name="ranking"),
    path("danh-gia/tao/", views.assessment_create, name="assessment_create"),
    path("danh-gia/<int:pk>/", views.assessment_detail, name="assessment"),
    path("danh-gia/<int:pk>/thao-tac/", views.assessment_move, name="move"),
    path("danh-gia/<int:pk>/cong-van/", views.assessment_letter, name="letter"),
    path("danh-gia/<int:pk>/chuyen-phien-ban/", views.assessment_switch, name="switch_version"),
    path("danh-gia/<int:pk>/dong-y-con-lai/", views.appraise_rest, name="appraise_rest"),
    path("danh-gia/<int:pk>/ket-qua/", views.results, name="results"),
    path("danh-gia/<int:pk>/bang-tong-hop.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("danh-gia/<int:pk>/cong-van.docx", views.letter_docx, name="letter_docx"),
    path("danh-gia/<int:pk>/tieu-chi/<str:code>/", views.criterion_page, name="criterion"),
    path("danh-gia/<int:pk>/tieu-chi/<str:code>/cham/", views.score_self, name="score_self"),
    path("danh-gia/<int:pk>/tieu-chi/<str:code>/thuyet-minh/", views.score_note, name="score_note"),
    path("danh-gia/<int:pk>/tieu-chi/<str:code>/tham-dinh/", views.score_appraise, name="score_appraise"),
    path("danh-gia/<int:pk>/tieu-chi/<str:code>/minh-chung/", views.evidence_upload, name="evidence_upload"),
    path("danh-gia/<int:pk>/tieu-chi/<str:code>/lien-ket/", views.evidence_link, name="evidence_link"),
    path(
        "danh-gia/<int:pk>/tieu-chi/<str:code>/yeu-cau-giai-trinh/",
        views.explanation_add,
        name="explanation_add",
    ),
    path("danh-gia/<int:pk>/tieu-chi/<str:code>/so-lieu/", views.records, name="records"),
    path("danh-gia/<int:pk>/minh-chung/<int:item_pk>/", views.evidence_download, name="evidence_download"),
    path("danh-gia/<int:pk>/minh-chung/<int:item_pk>/bo/", views.evidence_remove, name="evidence_remove"),
    path(
        "danh-gia/<int:pk>/giai-trinh/<int:request_pk>/", views.explanation_answer, name="explanation_answer"
    ),
    path(
        "danh-gia/<int:pk>/giai-trinh/<int:request_pk>/rut/",
        views.explanation_withdraw,
        name="explanation_withdraw",
    ),
]
