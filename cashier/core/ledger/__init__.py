"""The money side of the station: users and roles, shifts, payments, voids, reconnection orders.

Pure dataclasses and rules (stdlib only). Storage lives in ``cashier/db/ledger_store.py``; the use
cases in ``cashier/services/{users,shifts,collect,journal_service}.py``.

Rules kept here so that the service, the store (re-checking inside its transaction) and the UI
(previewing) apply exactly the same ones:

* :func:`plan_payment` - which bills a payment settles (oldest first, no newer bill while an older
  one is open, partial amounts on one bill only), the reconnection-fee line and the total.
* :func:`compute_change` / :func:`change_notes` - change and how to give it in VND notes.
* :func:`parse_denominations` / :func:`count_total` - a cash count by denomination.

What lives where (import the names from ``cashier.core.ledger``):

* ``permissions``   - roles, permissions, the role matrix, users and manager approvals;
* ``cash``          - denominations, cash counts, change;
* ``payments``      - payment lines, customer snapshots, payments, requests and plans;
* ``payment_rules`` - request checks, bill selection and :func:`plan_payment`;
* ``voids``, ``reconnection``, ``shifts`` - what follows payments: voids, reconnection orders,
  shifts and their X/Z reports;
* ``settings``      - the configurable rules (:class:`LedgerSettings`).
"""

from __future__ import annotations

from cashier.core.ledger.cash import (
    DENOMINATIONS,
    change_notes,
    compute_change,
    count_total,
    format_counts,
    parse_denominations,
    validate_counts,
)
from cashier.core.ledger.payment_rules import (
    bill_line,
    plan_payment,
    select_bills,
    validate_request,
)
from cashier.core.ledger.payments import (
    CustomerSnapshot,
    LineKind,
    Method,
    Payment,
    PaymentLine,
    PaymentPlan,
    PaymentRequest,
    PaymentStatus,
    clearing_method,
    format_verification,
    normalise_verification,
)
from cashier.core.ledger.permissions import (
    PERMISSION_USES,
    PERMISSION_VI,
    PERMISSIONS,
    Approval,
    Permission,
    Role,
    User,
    has_permission,
    minimum_role,
    role_matrix_markdown,
)
from cashier.core.ledger.reconnection import (
    OrderStatus,
    ReconnectionOrder,
)
from cashier.core.ledger.settings import LedgerSettings
from cashier.core.ledger.shifts import (
    Shift,
    ShiftReport,
    ShiftStatus,
    ShiftTotals,
    expected_cash,
)
from cashier.core.ledger.voids import Void
from cashier.core.messages import register

register(
    {
        "shift.already_open": (
            "A shift is already open at station {station} (by {user})",
            "Đã có ca đang mở tại quầy {station} (của {user})",
        ),
        "shift.closed": ("Shift {shift} is closed", "Ca {shift} đã đóng"),
        "users.exists": ("User {username} already exists", "Người dùng {username} đã tồn tại"),
        "users.not_first": (
            "Users already exist: adding one needs an administrator",
            "Đã có người dùng: cần quản trị viên để thêm người dùng",
        ),
        "users.unknown": ("No user {username}", "Không có người dùng {username}"),
        "order.unknown": ("No reconnection order {order}", "Không có lệnh đóng điện {order}"),
        "ledger.db_refused": (
            "The database refused the payment ({detail}); nothing was recorded",
            "Cơ sở dữ liệu từ chối lần thu ({detail}); chưa ghi nhận gì",
        ),
        "ledger.unknown_customer": (
            "No customer {code} in the debt data",
            "Không có khách hàng {code} trong dữ liệu nợ",
        ),
        "ledger.no_bills": (
            "Customer {code} has no unpaid bill",
            "Khách hàng {code} không còn hóa đơn nợ",
        ),
        "ledger.unknown_bill": (
            "Bill {bill} is not a bill of customer {code}",
            "Hóa đơn {bill} không thuộc khách hàng {code}",
        ),
        "ledger.already_collected": (
            "Bill {bill} is already collected (receipt {receipt})",
            "Hóa đơn {bill} đã được thu (biên nhận {receipt})",
        ),
        "ledger.paid_elsewhere": (
            "Bill {bill} was already paid elsewhere (bank or intermediary)",
            "Hóa đơn {bill} đã được thanh toán ở nơi khác (ngân hàng/trung gian)",
        ),
        "ledger.not_collectable": (
            "Bill {bill} cannot be collected (status {status})",
            "Hóa đơn {bill} không thu được (trạng thái {status})",
        ),
        "ledger.oldest_first": (
            "Bill {bill} ({period}) cannot be paid while the older bill {older} ({older_period}) is open",
            "Không thể thu hóa đơn {bill} ({period}) khi hóa đơn cũ hơn {older} ({older_period}) còn nợ",
        ),
        "ledger.partial_one_bill": (
            "A partial amount can only be paid on one bill at a time",
            "Chỉ được thu một phần cho một hóa đơn mỗi lần",
        ),
        "ledger.partial_range": (
            "Partial amount {amount} must be more than 0 and less than the {remaining} due on bill {bill}",
            "Số tiền thu một phần {amount} phải lớn hơn 0 và nhỏ hơn số còn nợ {remaining} của hóa đơn {bill}",
        ),
        "ledger.tendered_short": (
            "Tendered {tendered} is less than the {total} due",
            "Khách đưa {tendered} ít hơn số phải thu {total}",
        ),
        "ledger.change_absurd": (
            "Tendered {tendered} for {total} due would mean {change} change: check the amount typed",
            "Khách đưa {tendered} cho {total} phải thu thì tiền thừa {change}: kiểm tra lại số tiền nhập",
        ),
        "ledger.transfer_amount": (
            "A bank transfer must be for exactly {total} (got {tendered})",
            "Chuyển khoản phải đúng {total} (nhận {tendered})",
        ),
        "ledger.transfer_ref": (
            "A bank transfer needs the bank reference",
            "Chuyển khoản cần mã tham chiếu của ngân hàng",
        ),
        "ledger.split_range": (
            "The bank-transfer part {transfer} of a split payment must be more than 0 and less than the {total} due",
            "Phần chuyển khoản {transfer} phải lớn hơn 0 và nhỏ hơn số phải thu {total}",
        ),
        "ledger.split_cash_short": (
            "Cash tendered {tendered} is less than the cash part {cash} ({total} due - {transfer} by transfer)",
            "Tiền mặt khách đưa {tendered} ít hơn phần tiền mặt {cash} ({total} phải thu - {transfer} chuyển khoản)",
        ),
        "ledger.split_method": (
            "A split payment is cash plus a bank transfer: use method cash with a transfer part",
            "Thanh toán kết hợp là tiền mặt cộng chuyển khoản: chọn tiền mặt và nhập phần chuyển khoản",
        ),
        "ledger.split_ref": (
            "The bank-transfer part of a split payment needs the bank reference",
            "Phần chuyển khoản cần mã tham chiếu của ngân hàng",
        ),
        "ledger.method": (
            "Unknown payment method {method!r} (cash or transfer)",
            "Hình thức thanh toán không hợp lệ \"{method}\" (tiền mặt hoặc chuyển khoản)",
        ),
        "ledger.denomination": (
            "Not a VND note: {value!r} (expected 500 ... 500000, e.g. 500000x3,200000x1)",
            "Không phải mệnh giá tiền: \"{value}\" (500 ... 500000, ví dụ 500000x3,200000x1)",
        ),
        "ledger.count_syntax": (
            "Cannot read the cash count {value!r} (expected e.g. 500000x3,200000x1)",
            "Không đọc được bảng kê tiền \"{value}\" (ví dụ 500000x3,200000x1)",
        ),
        "ledger.receipt_unknown": ("No receipt {receipt}", "Không có biên nhận {receipt}"),
        "ledger.already_voided": (
            "Receipt {receipt} is already voided",
            "Biên nhận {receipt} đã bị hủy",
        ),
        "ledger.void_reason": ("A void needs a reason", "Hủy biên nhận cần ghi lý do"),
        "ledger.key_reused": (
            "Idempotency key {key!r} was already used for a different payment ({receipt})",
            "Mã giao dịch {key} đã dùng cho một lần thu khác ({receipt})",
        ),
        "ledger.permission": (
            "Permission denied: {user} ({role}) may not {action}",
            "Không có quyền: {user} ({role}) không được phép {action_vi}",
        ),
        "ledger.nothing_to_pay": (
            "Nothing to pay: select at least one bill",
            "Chưa chọn hóa đơn nào để thu",
        ),
    }
)

__all__ = [
    "Role",
    "Permission",
    "PERMISSION_VI",
    "PERMISSIONS",
    "has_permission",
    "PERMISSION_USES",
    "role_matrix_markdown",
    "minimum_role",
    "User",
    "Approval",
    "DENOMINATIONS",
    "parse_denominations",
    "validate_counts",
    "count_total",
    "format_counts",
    "compute_change",
    "change_notes",
    "Method",
    "PaymentStatus",
    "LineKind",
    "PaymentLine",
    "CustomerSnapshot",
    "Payment",
    "clearing_method",
    "format_verification",
    "normalise_verification",
    "PaymentRequest",
    "PaymentPlan",
    "validate_request",
    "select_bills",
    "bill_line",
    "plan_payment",
    "Void",
    "OrderStatus",
    "ReconnectionOrder",
    "ShiftStatus",
    "Shift",
    "ShiftTotals",
    "ShiftReport",
    "expected_cash",
    "LedgerSettings",
]
