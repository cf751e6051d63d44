from django.urls import path, register_converter

from cplan.plans import api, views


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "plans"
urlpatterns = [
    path("plans/", views.plan_list, name="list"),
    path("plans/new/", views.plan_create, name="create"),
    path("plans/<int:plan_id>/", views.plan_detail, name="detail"),
    path("plans/<int:plan_id>/new-version/", views.version_new, name="version-new"),
    path("plans/<int:plan_id>/v<int:number>/", views.version_detail, name="version"),
    path("plans/<int:plan_id>/v<int:number>/changes/", views.version_changes, name="changes"),
    path("plans/<int:plan_id>/v<int:number>/edit/", views.version_edit, name="version-edit"),
    path(
        "plans/<int:plan_id>/v<int:number>/priorities/new/",
        views.priority_create,
        name="priority-create",
    ),
    path(
        "plans/<int:plan_id>/v<int:number>/<slug:transition>/",
        views.version_transition,
        name="transition",
    ),
    path("plans/priorities/<int:pk>/outcomes/new/", views.outcome_create, name="outcome-create"),
    path(
        "plans/priorities/<int:pk>/commitments/new/",
        views.commitment_create,
        name="commitment-create",
    ),
    path(
        "plans/priorities/<int:pk>/responsibilities/new/",
        views.responsibility_create,
        name="responsibility-create",
    ),
    path(
        "plans/responsibilities/<int:pk>/remove/",
        views.responsibility_delete,
        name="responsibility-delete",
    ),
    path("plans/outcomes/<int:pk>/measures/new/", views.measure_create, name="measure-create"),
    path("plans/<slug:kind>/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("plans/<slug:kind>/<int:pk>/remove/", views.item_delete, name="item-delete"),
    path("plans/measures/", views.measure_list, name="measures"),
    path("plans/measures/<int:pk>/", views.measure_detail, name="measure"),
    path("plans/commitments/", views.commitment_list, name="commitments"),
    path("plans/commitments/<int:pk>/", views.commitment_detail, name="commitment"),
    path("plans/commitments/<int:pk>/progress/new/", views.progress_create, name="progress-create"),
    path("plans/challenges/", views.challenge_list, name="challenges"),
    path("plans/challenges/<int:pk>/", views.challenge_detail, name="challenge"),
    path("plans/challenges/<int:pk>/close/", views.challenge_close, name="challenge-close"),
    path("plans/<slug:kind>/<int:pk>/challenge/", views.challenge_create, name="challenge-create"),
    path("plans/scrutiny/<slug:slug>/", views.scrutiny_index, name="scrutiny"),
    path("plans/scrutiny/<slug:slug>/<isodate:on>/", views.scrutiny_pack, name="scrutiny-pack"),
    path(
        "plans/scrutiny/<slug:slug>/<isodate:on>/pdf/",
        views.scrutiny_pack_pdf,
        name="scrutiny-pack-pdf",
    ),
    path("api/plans/", api.PlanListApi.as_view(), name="api-plans"),
    path(
        "api/plans/<int:plan_id>/versions/<int:number>/",
        api.PlanVersionApi.as_view(),
        name="api-version",
    ),
    path("api/plans/measures/", api.PlanMeasureListApi.as_view(), name="api-measures"),
    path("api/plans/measures/<int:pk>/", api.PlanMeasureDetailApi.as_view(), name="api-measure"),
    path("api/plans/commitments/", api.PlanCommitmentListApi.as_view(), name="api-commitments"),
    path(
        "api/plans/commitments/<int:pk>/",
        api.PlanCommitmentDetailApi.as_view(),
        name="api-commitment",
    ),
    path(
        "api/plans/commitments/<int:pk>/progress/",
        api.PlanProgressCreateApi.as_view(),
        name="api-progress-create",
    ),
    path(
        "api/plans/challenges/<int:pk>/response/",
        api.PlanChallengeRespondApi.as_view(),
        name="api-challenge-respond",
    ),
]
