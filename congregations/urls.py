from django.urls import path

from . import views, views_dues

app_name = "congregations"
urlpatterns = [
    path("", views.congregation_list, name="list"),
    path("<slug:slug>/", views.congregation_detail, name="detail"),
    path("<slug:slug>/edit/", views.congregation_edit, name="edit"),
    path("<slug:slug>/dues/", views_dues.congregation_dues, name="dues"),
    path("<slug:slug>/dues/statement.csv", views_dues.congregation_dues_csv, name="dues_csv"),
    path("<slug:slug>/dues/payments/new/", views_dues.payment_new, name="payment_new"),
    path("<slug:slug>/dues/adjustments/new/", views_dues.adjustment_new, name="adjustment_new"),
    path(
        "<slug:slug>/dues/entries/<int:pk>/reverse/",
        views_dues.entry_reverse,
        name="entry_reverse",
    ),
]
