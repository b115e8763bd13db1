from django.urls import path

from shegong.purchasing import views

app_name = "purchasing"

urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("export.xlsx", views.project_export, name="project_export"),
    path("new/", views.project_create, name="project_create"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/sign/", views.project_sign, name="project_sign"),
    path("<int:pk>/change/", views.contract_change, name="contract_change"),
    path("<int:pk>/evaluators/", views.evaluator_assign, name="evaluator_assign"),
    path("<int:pk>/evaluate/", views.evaluation_new, name="evaluation_new"),
    path("tranches/<int:pk>/pay/", views.tranche_pay, name="tranche_pay"),
    path("payable/", views.payable, name="payable"),
    path("rectifications/", views.rectification_list, name="rectification_list"),
    path("rectifications/<int:pk>/close/", views.rectification_close, name="rectification_close"),
    path("budgets/", views.budget_list, name="budget_list"),
    path("budgets/export.xlsx", views.budget_export, name="budget_export"),
    path("budgets/new/", views.budget_create, name="budget_create"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio/export.xlsx", views.portfolio_export, name="portfolio_export"),
]
