from django.urls import path

from cplan.web import views

app_name = "web"
urlpatterns = [
    path("", views.scotland, name="scotland"),
    path("partnerships/", views.partnership_list, name="partnerships"),
    path("partnerships/<slug:slug>/", views.partnership, name="partnership"),
    path("data/", views.data, name="data"),
    path(
        "maps/council-areas.geojson",
        views.council_area_boundaries,
        name="council-area-boundaries",
    ),
]
