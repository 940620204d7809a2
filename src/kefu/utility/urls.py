from django.urls import path

from kefu.utility.views import desk, field, office

app_name = "utility"
urlpatterns = [
    path("day/", field.day, name="day"),
    path("accounts/", office.accounts, name="accounts"),
    path("accounts/<int:account_id>/", office.account, name="account"),
    path("accounts/<int:account_id>/<str:name>/", office.account_action, name="account_action"),
    path("read-rates/", office.read_rates, name="read_rates"),
    path("abnormal/", office.abnormal, name="abnormal"),
    path("abnormal/detect/", office.detect, name="detect"),
    path("abnormal/<int:case_id>/outcome/", office.case_outcome, name="case_outcome"),
    path("arrears/", office.arrears, name="arrears"),
    path("arrears/remind/", office.remind, name="remind"),
    path("arrears/import/", office.import_arrears, name="import_arrears"),
    path("desk/", desk.desk, name="desk"),
    path("desk/sales/", desk.sales, name="sales"),
    path("desk/<str:name>/", desk.desk_action, name="desk_action"),
]
