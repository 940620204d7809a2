"""The default ticket types of TK1 with their custom fields. Installed by a data migration; editable after."""

from kefu.tickets.lifecycle import COMPLAINT_TRANSITIONS, INQUIRY_TRANSITIONS, Status

CALLBACK_TRANSITIONS = {
    Status.NEW: [Status.ASSIGNED, Status.IN_PROGRESS, Status.CLOSED],
    Status.ASSIGNED: [Status.IN_PROGRESS, Status.CLOSED],
    Status.IN_PROGRESS: [Status.WAITING_CUSTOMER, Status.RESOLVED, Status.CLOSED],
    Status.WAITING_CUSTOMER: [Status.IN_PROGRESS, Status.CLOSED],
    Status.WAITING_OTHER: [Status.IN_PROGRESS],
    Status.RESOLVED: [Status.CLOSED],
    Status.CALLBACK: [Status.CLOSED],
    Status.CLOSED: [],
}


def _f(key, label, label_en, kind="text", required=False, choices=None):
    return {"key": key, "label": label, "label_en": label_en, "kind": kind, "required": required,
            "choices": choices or []}


DEFAULT_TYPES = [
    {"code": "inquiry", "name": "咨询", "name_en": "Inquiry", "transitions": INQUIRY_TRANSITIONS, "fields": [
        _f("topic", "咨询类别", "Topic", "choice", False, ["业务办理", "资费", "产品", "政策", "其他"]),
    ]},
    {"code": "repair", "name": "报修", "name_en": "Repair", "fields": [
        _f("device_no", "设备/表号", "Device or meter number"),
        _f("fault", "故障现象", "Fault", "choice", True, ["无法使用", "漏气/漏水", "计量异常", "噪音", "其他"]),
    ]},
    {"code": "complaint", "name": "投诉", "name_en": "Complaint", "is_complaint": True,
     "transitions": COMPLAINT_TRANSITIONS, "fields": [
        _f("category", "投诉类别", "Category", "choice", True,
           ["服务态度", "服务质量", "收费", "工期", "产品质量", "其他"]),
        _f("responsible_party", "责任人", "Responsible party"),
        _f("source_deadline", "来源时限", "Deadline set by source", "date"),
    ]},
    {"code": "survey", "name": "勘察", "name_en": "Site survey", "fields": [
        _f("site_area", "勘察区域", "Area to survey", "text", True),
    ]},
    {"code": "audit", "name": "稽查", "name_en": "Audit", "fields": [
        _f("audit_subject", "稽查对象", "Subject of the audit", "text", True),
    ]},
    {"code": "after_sales", "name": "售后", "name_en": "After-sales", "fields": [
        _f("order_no", "订单号", "Order number", "text", True),
        _f("request_kind", "售后类型", "Request", "choice", True, ["退货", "换货", "维修", "发票", "其他"]),
    ]},
    {"code": "suggestion", "name": "建议", "name_en": "Suggestion", "transitions": INQUIRY_TRANSITIONS,
     "fields": []},
    {"code": "bug", "name": "Bug 反馈", "name_en": "Bug report", "fields": [
        _f("severity", "严重程度", "Severity", "choice", True, ["致命", "严重", "一般", "轻微"]),
        _f("app_version", "版本", "Version"),
    ]},
    {"code": "emergency", "name": "抢修", "name_en": "Emergency repair", "is_emergency": True, "fields": [
        _f("hazard", "险情", "Hazard", "choice", True, ["燃气泄漏", "停气", "爆管", "其他"]),
    ]},
    {"code": "callback", "name": "回访", "name_en": "Callback", "transitions": CALLBACK_TRANSITIONS, "fields": [
        _f("original_ticket", "原工单号", "Original ticket"),
    ]},
]


def install_default_types(ticket_type_model, ticket_field_model) -> None:
    """Create the default types that do not exist yet (by code); takes models so migrations can pass theirs."""
    for position, spec in enumerate(DEFAULT_TYPES):
        if ticket_type_model.objects.filter(code=spec["code"]).exists():
            continue
        ticket_type = ticket_type_model.objects.create(
            code=spec["code"], name=spec["name"], name_en=spec["name_en"],
            transitions={str(k): [str(s) for s in v] for k, v in spec.get("transitions", {}).items()},
            is_complaint=spec.get("is_complaint", False), is_emergency=spec.get("is_emergency", False),
            position=position,
        )
        for field_position, field in enumerate(spec["fields"]):
            ticket_field_model.objects.create(ticket_type=ticket_type, position=field_position, **field)
