from django.urls import path

from cplan.audit import api, views

app_name = "audit"
urlpatterns = [
    path("audit/", views.index, name="index"),
    path("audit/recommendations/", views.recommendation_list, name="recommendations"),
    path("audit/recommendations/<str:code>/", views.recommendation_detail, name="recommendation"),
    path("audit/recommendations/<str:code>/respond/", views.respond, name="respond"),
    path("audit/recommendations/<str:code>/assess/", views.assess, name="assess"),
    path("audit/recommendations/<str:code>/follow-up/", views.follow_up, name="follow-up"),
    path("audit/reports/new/", views.report_create, name="report-create"),
    path("audit/reports/<str:code>/", views.report_detail, name="report"),
    path("audit/reports/<str:code>/publish/", views.report_publish, name="report-publish"),
    path(
        "audit/reports/<str:code>/recommendations/new/",
        views.recommendation_create,
        name="recommendation-create",
    ),
    path("audit/reports/<str:code>/impact/", views.impact, name="impact"),
    path("audit/reports/<str:code>/impact.pdf", views.impact_pdf, name="impact-pdf"),
    path("audit/reports/<str:code>/impact.xlsx", views.impact_xlsx, name="impact-xlsx"),
    path("api/audit/reports/", api.ReportListApi.as_view(), name="api-reports"),
    path("api/audit/reports/<str:code>/", api.ReportDetailApi.as_view(), name="api-report"),
    path(
        "api/audit/recommendations/",
        api.RecommendationListApi.as_view(),
        name="api-recommendations",
    ),
    path(
        "api/audit/recommendations/<str:code>/",
        api.RecommendationDetailApi.as_view(),
        name="api-recommendation",
    ),
    path("api/audit/dashboard/", api.DashboardApi.as_view(), name="api-dashboard"),
]
