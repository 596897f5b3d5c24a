"""Web map URLs."""

from django.urls import path

from . import views

urlpatterns = [path("", views.map_page, name="map")]
