from django.urls import path

from . import views

urlpatterns = [path("tra-cuu/<str:code>/", views.track, name="dossier-track")]
