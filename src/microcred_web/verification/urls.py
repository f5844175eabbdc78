"""The public verification page."""

from django.urls import path

from microcred_web.verification import views

app_name = "verification"

urlpatterns = [path("verify/", views.verify_page, name="verify")]
