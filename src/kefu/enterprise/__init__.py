"""Enterprise customers (集团客户, IN6, CU2, CU3, SL5): tiers, account managers, green channel, 重保, 巡检."""

PACK = "enterprise"
