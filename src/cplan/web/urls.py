from django.urls import path

from cplan.web import views

app_name = "web"
urlpatterns = [
    path("", views.scotland, name="scotland"),
    path("partnerships/", views.partnership_list, name="partnerships"),
    path("partnerships/<slug:slug>/", views.partnership, name="partnership"),
    path(
        "partnerships/<slug:slug>/outcomes/",
        views.partnership_outcomes,
        name="partnership-outcomes",
    ),
    path(
        "partnerships/<slug:slug>/outcomes.csv",
        views.partnership_outcomes_csv,
        name="partnership-outcomes-csv",
    ),
    path(
        "partnerships/<slug:slug>/outcomes/<slug:code>.csv",
        views.partnership_measure_csv,
        name="partnership-measure-csv",
    ),
    path(
        "partnerships/<slug:slug>/communities/",
        views.partnership_communities,
        name="partnership-communities",
    ),
    path(
        "partnerships/<slug:slug>/communities.csv",
        views.partnership_communities_csv,
        name="partnership-communities-csv",
    ),
    path(
        "partnerships/<slug:slug>/inequality/",
        views.partnership_inequality,
        name="partnership-inequality",
    ),
    path("communities/<slug:code>/", views.community, name="community"),
    path("communities/<slug:code>.csv", views.community_csv, name="community-csv"),
    path("national/", views.national_picture, name="national"),
    path("national.csv", views.national_picture_csv, name="national-csv"),
    path("data/", views.data, name="data"),
    path(
        "maps/council-areas.geojson",
        views.council_area_boundaries,
        name="council-area-boundaries",
    ),
]
