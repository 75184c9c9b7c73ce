from django.urls import path

from . import views

urlpatterns = [
    path("dong-bo/", views.reconciliation, name="interop-reconciliation"),
    path("dong-bo/<id:pk>/gui-lai/", views.send_again, name="interop-send-again"),
]
