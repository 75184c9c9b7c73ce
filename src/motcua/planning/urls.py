from django.urls import path

from .views import fieldwork, recognition, remediation

urlpatterns = [
    path("ke-hoach/", fieldwork.plans, name="planning-plans"),
    path("ke-hoach/<id:pk>/", fieldwork.plan, name="planning-plan"),
    path("ke-hoach/<id:pk>/<str:name>/", fieldwork.plan_action, name="planning-plan-action"),
    path("lich-tuan/", fieldwork.week, name="planning-week"),
    path("lich-tuan/cong-bo/", fieldwork.publish, name="planning-publish"),
    path("lich-tuan/<id:pk>/sua/", fieldwork.change_engagement, name="planning-engagement"),
    path("lich-tuan/<id:pk>/hoan/", fieldwork.cancel_engagement, name="planning-engagement-cancel"),
    path("kiem-tra/", remediation.inspections, name="planning-inspections"),
    path("kiem-tra/<id:pk>/", remediation.inspection, name="planning-inspection"),
    path(
        "kiem-tra/<id:pk>/ket-thuc/",
        remediation.close_inspection,
        name="planning-inspection-close",
    ),
    path("kiem-tra/han-che/<id:finding_pk>/giao/", remediation.assign, name="planning-assign"),
    path("khac-phuc/", remediation.tasks, name="planning-tasks"),
    path("khac-phuc/<id:pk>/", remediation.task, name="planning-task"),
    path(
        "khac-phuc/<id:pk>/minh-chung/<id:evidence_pk>/",
        remediation.evidence_file,
        name="planning-evidence",
    ),
    path(
        "kiem-tra/han-che/<id:pk>/minh-chung/",
        remediation.finding_file,
        name="planning-finding-file",
    ),
    path("chi-dao/moi/", remediation.directive, name="planning-directive"),
    path("sang-kien/", recognition.initiatives, name="planning-initiatives"),
    path("sang-kien/<id:pk>/", recognition.initiative, name="planning-initiative"),
    path(
        "sang-kien/<id:pk>/<str:name>/",
        recognition.initiative_action,
        name="planning-initiative-action",
    ),
    path("tuyen-truyen/", recognition.activities, name="planning-activities"),
    path("tac-phong/", recognition.conduct, name="planning-conduct"),
    path("tac-phong/khieu-nai/<id:pk>/", recognition.settle, name="planning-settle"),
]
