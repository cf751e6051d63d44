from django.urls import path

from cplan.partnerships import views

app_name = "partnerships"
urlpatterns = [
    path("partnerships/<slug:slug>/governance/", views.governance, name="governance"),
    path("partnerships/<slug:slug>/governance/bodies/new/", views.body_create, name="body-create"),
    path(
        "partnerships/<slug:slug>/governance/bodies/<slug:body_slug>/",
        views.body_detail,
        name="body",
    ),
    path(
        "partnerships/<slug:slug>/governance/bodies/<slug:body_slug>/edit/",
        views.body_edit,
        name="body-edit",
    ),
    path(
        "partnerships/<slug:slug>/governance/bodies/<slug:body_slug>/members/new/",
        views.member_add,
        name="member-add",
    ),
    path(
        "partnerships/<slug:slug>/governance/bodies/<slug:body_slug>/meetings/new/",
        views.meeting_create,
        name="meeting-create",
    ),
    path("governance/members/<int:pk>/remove/", views.member_remove, name="member-remove"),
    path(
        "partnerships/<slug:slug>/organisations/new/",
        views.organisation_create,
        name="organisation-create",
    ),
    path(
        "partnerships/<slug:slug>/organisations/add/",
        views.membership_add,
        name="membership-add",
    ),
    path(
        "partnerships/<slug:slug>/memberships/<int:pk>/end/",
        views.membership_end,
        name="membership-end",
    ),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation-edit"),
]
