from django.urls import path

from kefu.web import account, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("login/code/", account.two_factor, name="two_factor"),
    path("account/", account.account, name="account"),
    path("account/two-factor/", account.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/off/", account.two_factor_disable, name="two_factor_disable"),
    path("account/password/", account.password_change, name="password_change"),
    path("security/", account.security_admin, name="security"),
    path("security/<int:user_id>/<slug:action>/", account.security_action, name="security_action"),
    path("views/save/", views.save_view, name="save_view"),
    path("views/<int:view_id>/delete/", views.delete_view, name="delete_view"),
]
