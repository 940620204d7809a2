from django.urls import path

from kefu.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("run/", views.run_status, name="run"),
    path("do/<str:action>/", views.act, name="act"),
    path("mine/", views.mine, name="mine"),
    path("forecast/", views.forecast, name="forecast"),
    path("forecast/backtest/", views.backtest_status, name="backtest"),
    path("forecast/do/<str:action>/", views.forecast_act, name="forecast_act"),
    path("mine.ics", views.ics, name="ics"),
]
