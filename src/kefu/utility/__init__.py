"""The utility industry pack (燃气/水务/有线): meter reading, read rates, abnormal meters, arrears, the billing desk."""

PACK = "utility"
