from django.urls import path

from cplan.web import views

app_name = "web"
urlpatterns = [
    path("", views.scotland, name="scotland"),
    path("partnerships/<slug:slug>/", views.partnership, name="partnership"),
]
