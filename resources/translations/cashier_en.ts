<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="vi_VN">
<context>
    <name>App</name>
    <message>
        <source>Máy mới: dữ liệu thử (demo), máy in xem trước (preview); tài khoản {accounts}</source>
        <translation>New machine: demo data, preview printer; accounts {accounts}</translation>
    </message>
    <message>
        <source>Quầy thu tiền điện</source>
        <translation>Electricity bill counter</translation>
    </message>
    <message>
        <source>Không khởi động được chương trình:
{error}</source>
        <translation>The program could not start:
{error}</translation>
    </message>
</context>
<context>
    <name>BasketController</name>
    <message>
        <source>Quét thẻ hoặc nhập mã khách hàng.</source>
        <translation>Scan a card or type a customer code.</translation>
    </message>
    <message>
        <source>Khách hàng {code} đã có trong giỏ (dòng {line}): không thêm lần nữa.</source>
        <translation>Customer {code} is already in the basket (line {line}): not added again.</translation>
    </message>
    <message>
        <source>{code}: {why}</source>
        <translation>{code}: {why}</translation>
    </message>
    <message>
        <source>Đã thêm {name} ({code}): {amount}</source>
        <translation>Added {name} ({code}): {amount}</translation>
    </message>
    <message>
        <source>Quét ít nhất 2 thẻ khách hàng để thu gộp.</source>
        <translation>Scan at least 2 customer cards for a basket.</translation>
    </message>
    <message>
        <source>Chưa mở ca: bấm F9 để mở ca.</source>
        <translation>No shift open: press F9 to open a shift.</translation>
    </message>
    <message>
        <source>ĐÃ THU GỘP {n} khách {total} — giỏ {code} — TIỀN THỪA {change}</source>
        <translation>COLLECTED {n} customers together {total} — basket {code} — CHANGE {change}</translation>
    </message>
</context>
<context>
    <name>BasketDialog</name>
    <message>
        <source>Thu gộp: một người trả cho nhiều khách hàng</source>
        <translation>Basket: one payer for several customers</translation>
    </message>
    <message>
        <source>Quét thẻ hoặc nhập mã khách hàng rồi Enter</source>
        <translation>Scan a card or type a customer code, then Enter</translation>
    </message>
    <message>
        <source>STT</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>Mã KH</source>
        <translation>Customer code</translation>
    </message>
    <message>
        <source>Tên khách hàng</source>
        <translation>Customer name</translation>
    </message>
    <message>
        <source>Số tiền</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>Bỏ dòng đã chọn (Delete)</source>
        <translation>Remove the selected line (Delete)</translation>
    </message>
    <message>
        <source>đủ tiền</source>
        <translation>exact money</translation>
    </message>
    <message>
        <source>KHÁCH ĐƯA (nghìn đồng)</source>
        <translation>TENDERED (thousands of đồng)</translation>
    </message>
    <message>
        <source>TIỀN THỪA</source>
        <translation>CHANGE</translation>
    </message>
    <message>
        <source>Thu gộp (Ctrl+Enter)</source>
        <translation>Collect the basket (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Tổng {n} khách: {amount}</source>
        <extracomment>the customer&apos;s screen follows the basket (the counter window&apos;s, when there is one)</extracomment>
        <translation>Total, {n} customers: {amount}</translation>
    </message>
</context>
<context>
    <name>BasketPage</name>
    <message>
        <source>(và {n} khách hàng ở trên)</source>
        <translation>(and {n} customers above)</translation>
    </message>
    <message>
        <source>THU GỘP NHIỀU KHÁCH HÀNG</source>
        <translation>SEVERAL CUSTOMERS, ONE PAYMENT</translation>
    </message>
    <message>
        <source>Một người trả cho {n} khách hàng</source>
        <translation>One payer for {n} customers</translation>
    </message>
    <message>
        <source>Xin mời đưa lần lượt các thẻ khách hàng cho thu ngân</source>
        <translation>Please hand the customer cards to the cashier one by one</translation>
    </message>
    <message>
        <source>BN {receipt} · {amount}</source>
        <translation>Receipt {receipt} · {amount}</translation>
    </message>
    <message>
        <source>TỔNG CỘNG</source>
        <translation>TOTAL</translation>
    </message>
    <message>
        <source>KHÁCH ĐƯA</source>
        <translation>TENDERED</translation>
    </message>
    <message>
        <source>CÒN THIẾU</source>
        <translation>STILL DUE</translation>
    </message>
    <message>
        <source>TIỀN THỪA</source>
        <translation>CHANGE</translation>
    </message>
    <message>
        <source>ĐÃ THANH TOÁN</source>
        <translation>PAID</translation>
    </message>
    <message>
        <source>Thu gộp {n} khách hàng — mã giỏ {code}</source>
        <translation>{n} customers paid together — basket {code}</translation>
    </message>
    <message>
        <source>Khách đưa {tendered} — Tiền thừa {change}
Cảm ơn quý khách!</source>
        <translation>Tendered {tendered} — Change {change}
Thank you!</translation>
    </message>
</context>
<context>
    <name>CloseShiftDialog</name>
    <message>
        <source>Đóng ca — kiểm tiền</source>
        <translation>Close shift — cash count</translation>
    </message>
    <message>
        <source>Ca {id} — {name} — mở lúc {time}</source>
        <translation>Shift {id} — {name} — opened {time}</translation>
    </message>
    <message>
        <source>Mệnh giá</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Số tờ</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>Thành tiền</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>Phải có (đầu ca + thu tiền mặt)</source>
        <translation>Expected (float + cash taken)</translation>
    </message>
    <message>
        <source>Đếm được</source>
        <translation>Counted</translation>
    </message>
    <message>
        <source>Chênh lệch</source>
        <translation>Variance</translation>
    </message>
    <message>
        <source>Xem báo cáo X</source>
        <translation>Show X report</translation>
    </message>
    <message>
        <source>Đóng ca và in báo cáo Z (Ctrl+Enter)</source>
        <translation>Close shift and print Z report (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Chênh lệch vượt giới hạn: khi đóng ca sẽ cần quản lý duyệt.</source>
        <translation>Variance over the limit: closing will need a manager&apos;s approval.</translation>
    </message>
    <message>
        <source>đóng ca khi tiền lệch quá giới hạn</source>
        <translation>closing a shift with a variance over the limit</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>Chờ đóng điện</source>
        <translation>Waiting for reconnection</translation>
    </message>
    <message>
        <source>Đã đóng điện</source>
        <translation>Reconnected</translation>
    </message>
    <message>
        <source>Đã hủy</source>
        <translation>Voided</translation>
    </message>
    <message>
        <source>Số lệnh</source>
        <translation>Order no.</translation>
    </message>
    <message>
        <source>Thời gian</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Mã khách hàng</source>
        <translation>Customer code</translation>
    </message>
    <message>
        <source>Tên khách hàng</source>
        <translation>Customer name</translation>
    </message>
    <message>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Biên nhận</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <source>Phí đóng điện</source>
        <translation>Reconnection fee</translation>
    </message>
    <message>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Dòng</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>Cột</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>Giá trị</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Thu ngân</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <source>Quản lý</source>
        <translation>Manager</translation>
    </message>
    <message>
        <source>Quản trị</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>Vô hiệu</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <source>Bị khóa</source>
        <translation>Locked</translation>
    </message>
    <message>
        <source>Khóa tạm đến {t}</source>
        <translation>Locked until {t}</translation>
    </message>
    <message>
        <source>Hoạt động</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>Tên đăng nhập</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Họ tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <source>Vai trò</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Mã thu ngân</source>
        <translation>Cashier code</translation>
    </message>
    <message>
        <source>Còn nợ</source>
        <translation>Unpaid</translation>
    </message>
    <message>
        <source>Đã thu tại quầy</source>
        <translation>Collected here</translation>
    </message>
    <message>
        <source>Đã thu, đã gạch nợ</source>
        <translation>Collected, cleared</translation>
    </message>
    <message>
        <source>Đã trả nơi khác</source>
        <translation>Paid elsewhere</translation>
    </message>
    <message>
        <source>Kỳ {ky} T{month:02d}/{year}</source>
        <translation>Period {ky}, {month:02d}/{year}</translation>
    </message>
    <message>
        <source>Thu cùng hóa đơn</source>
        <translation>Collected with the bills</translation>
    </message>
    <message>
        <source>Kỳ</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Mã hóa đơn</source>
        <translation>Bill ID</translation>
    </message>
    <message>
        <source>Điện năng (kWh)</source>
        <translation>Energy (kWh)</translation>
    </message>
    <message>
        <source>Tiền điện</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>Thuế GTGT</source>
        <translation>VAT</translation>
    </message>
    <message>
        <source>Tổng cộng</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Sổ GCS</source>
        <translation>Meter book</translation>
    </message>
    <message>
        <source>Số HĐ nợ</source>
        <translation>Unpaid bills</translation>
    </message>
    <message>
        <source>Tổng nợ</source>
        <translation>Total due</translation>
    </message>
    <message>
        <source>Tiền mặt</source>
        <translation>Cash</translation>
    </message>
    <message>
        <source>Chuyển khoản</source>
        <translation>Bank transfer</translation>
    </message>
    <message>
        <source>Chưa in được</source>
        <translation>Not printed</translation>
    </message>
    <message>
        <source>Đã thu</source>
        <translation>Collected</translation>
    </message>
    <message>
        <source>Giờ</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Số tiền</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>Hình thức</source>
        <translation>Method</translation>
    </message>
</context>
<context>
    <name>CounterController</name>
    <message>
        <source>Đã quét: {code}</source>
        <translation>Scanned: {code}</translation>
    </message>
    <message>
        <source>(đã sửa lỗi bộ gõ từ &quot;{raw}&quot;)</source>
        <extracomment>the customer on screen changed (Lookup or None, CustomerState or None) (kind, text): kind is one of the Banner kinds (&quot;good&quot;|&quot;error&quot;|&quot;info&quot;, text) for the status bar / feedback a payment was committed (Payment) printing state of a receipt: (receipt_no, state) with state printing|printed|failed payments of the current shift changed the customer and bills are painted (for the benchmark: seconds since the scan) reads the tendered field (set by the window): None = exact money the last refusal shown (dialogs that call collect show it in their own error line)</extracomment>
        <translation>(repaired from input-method mangling &quot;{raw}&quot;)</translation>
    </message>
    <message>
        <source>(thẻ {card})</source>
        <translation>(card {card})</translation>
    </message>
    <message>
        <source>Chưa đăng nhập — bấm F9 để đăng nhập và mở ca (quét thẻ chỉ để xem)</source>
        <translation>Not logged in — press F9 to log in and open a shift (scans only show customers)</translation>
    </message>
    <message>
        <source>Chưa mở ca — bấm F9 → Mở ca để thu tiền (quét thẻ chỉ để xem)</source>
        <translation>No shift open — press F9 → Open shift to collect (scans only show customers)</translation>
    </message>
    <message>
        <source>Sẵn sàng — quét thẻ khách hàng (hoặc F3 để tìm)</source>
        <translation>Ready — scan the customer&apos;s card (or F3 to search)</translation>
    </message>
    <message>
        <source>CÒN NỢ {n} hóa đơn — Tổng phải thu {amount}</source>
        <translation>UNPAID: {n} bills — total due {amount}</translation>
    </message>
    <message>
        <source>ĐANG CẮT ĐIỆN — thu thêm phí đóng điện {fee}; tổng phải thu {amount}</source>
        <translation>DISCONNECTED — reconnection fee {fee} added; total due {amount}</translation>
    </message>
    <message>
        <source>ĐÃ THU TẠI QUẦY — biên nhận {receipts}. Không thu lại (F5: in lại).</source>
        <translation>ALREADY COLLECTED HERE — receipt {receipts}. Do not collect again (F5: reprint).</translation>
    </message>
    <message>
        <source>CMIS báo khách cũng đã trả nơi khác: có thể thu trùng — báo quản lý.</source>
        <translation>CMIS says the customer also paid elsewhere: possible double collection — tell the manager.</translation>
    </message>
    <message>
        <source>ĐÃ THANH TOÁN NƠI KHÁC (ngân hàng/ví điện tử) sau lần lấy dữ liệu — KHÔNG THU. Nếu khách có chứng từ, hướng dẫn khách giữ lại.</source>
        <translation>PAID ELSEWHERE (bank / e-wallet) after the last extract — DO NOT COLLECT. If the customer has a proof of payment, tell them to keep it.</translation>
    </message>
    <message>
        <source>Khách hàng không còn nợ.</source>
        <translation>The customer owes nothing.</translation>
    </message>
    <message>
        <source>Chưa mở ca: bấm F9 để mở ca rồi mới thu tiền</source>
        <translation>No shift open: press F9 to open a shift before collecting</translation>
    </message>
    <message>
        <source>Quét lại thẻ để thu đủ tiền</source>
        <translation>Scan the card again to collect the full amount</translation>
    </message>
    <message>
        <source>Bấm Enter (hoặc F2) để thu đủ tiền</source>
        <translation>Press Enter (or F2) to collect the full amount</translation>
    </message>
    <message>
        <source>Quét lại thẻ hoặc bấm Enter để thu đủ tiền</source>
        <translation>Scan the card again or press Enter to collect the full amount</translation>
    </message>
    <message>
        <source>Chưa có khách hàng: quét thẻ trước.</source>
        <translation>No customer: scan a card first.</translation>
    </message>
    <message>
        <source>Chưa mở ca: bấm F9 để mở ca.</source>
        <translation>No shift open: press F9 to open one.</translation>
    </message>
    <message>
        <source>ĐÃ THU {total} — biên nhận {receipt} — TIỀN THỪA {change}</source>
        <translation>COLLECTED {total} — receipt {receipt} — CHANGE {change}</translation>
    </message>
    <message>
        <source>Đã in biên nhận {receipt}</source>
        <translation>Receipt {receipt} printed</translation>
    </message>
    <message>
        <source>Máy in lỗi: {error}. Tiền đã thu và đã lưu (biên nhận {receipt}); kiểm tra máy in rồi bấm F5 để in lại.</source>
        <translation>Printer error: {error}. The payment is collected and saved (receipt {receipt}); check the printer, then press F5 to print it again.</translation>
    </message>
</context>
<context>
    <name>CounterView</name>
    <message>
        <source>Khách hàng</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Mã KH</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Tên</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Địa chỉ</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Điện thoại</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Sổ GCS / STT</source>
        <translation>Meter book / no.</translation>
    </message>
    <message>
        <source>Thanh toán</source>
        <translation>Payment</translation>
    </message>
    <message>
        <source>TỔNG PHẢI THU</source>
        <translation>TOTAL DUE</translation>
    </message>
    <message>
        <source>KHÁCH ĐƯA</source>
        <translation>TENDERED</translation>
    </message>
    <message>
        <source>Gõ số nghìn đồng khách đưa: 500 = 500.000 đ, 2000 = 2.000.000 đ; để trống = đủ tiền</source>
        <translation>Type the amount handed over in thousands of dong: 500 = 500,000 đ, 2000 = 2,000,000 đ; empty = exact</translation>
    </message>
    <message>
        <source>TIỀN THỪA</source>
        <translation>CHANGE</translation>
    </message>
    <message>
        <source>Đủ tiền</source>
        <extracomment>the amount as understood, in full (&quot;Khách đưa 2.000.000 đ&quot;), updated at each key</extracomment>
        <translation>Exact</translation>
    </message>
    <message>
        <source>trống = đủ tiền</source>
        <translation>empty = exact</translation>
    </message>
    <message>
        <source>Biên nhận trong ca (mới nhất ở trên)</source>
        <translation>Receipts of this shift (newest first)</translation>
    </message>
    <message>
        <source>Khách đưa đủ tiền: {amount}</source>
        <translation>Exact amount handed over: {amount}</translation>
    </message>
    <message>
        <source>Khách đưa {amount}</source>
        <translation>Handed over {amount}</translation>
    </message>
    <message>
        <source>THIẾU {amount}</source>
        <translation>SHORT {amount}</translation>
    </message>
</context>
<context>
    <name>CustomerDisplay</name>
    <message>
        <source>Màn hình khách hàng</source>
        <extracomment>how long the receipt number stays after a payment (ms)</extracomment>
        <translation>Customer display</translation>
    </message>
    <message>
        <source>Xin mời quý khách</source>
        <extracomment>what the page shows: idle | customer | transfer | receipt times the keyboard was handed back to the counter (a platform activated this window)</extracomment>
        <translation>Welcome</translation>
    </message>
    <message>
        <source>Vui lòng đưa thẻ khách hàng hoặc giấy báo tiền điện cho thu ngân</source>
        <translation>Please hand your customer card or electricity bill notice to the cashier</translation>
    </message>
    <message>
        <source>{n} hóa đơn tiền điện</source>
        <translation>{n} electricity bill(s)</translation>
    </message>
    <message>
        <source>và phí đóng điện {fee}</source>
        <translation>and a reconnection fee of {fee}</translation>
    </message>
    <message>
        <source>Hóa đơn đã được thanh toán tại quầy</source>
        <translation>The bills were paid at this counter</translation>
    </message>
    <message>
        <source>Hóa đơn đã được thanh toán nơi khác (ngân hàng/ví điện tử)</source>
        <translation>The bills were paid elsewhere (bank/e-wallet)</translation>
    </message>
    <message>
        <source>Quý khách không còn nợ tiền điện</source>
        <translation>You have no unpaid electricity bills</translation>
    </message>
    <message>
        <source>SỐ TIỀN PHẢI TRẢ</source>
        <translation>AMOUNT DUE</translation>
    </message>
    <message>
        <source>KHÁCH ĐƯA</source>
        <translation>TENDERED</translation>
    </message>
    <message>
        <source>CÒN THIẾU</source>
        <translation>STILL DUE</translation>
    </message>
    <message>
        <source>TIỀN THỪA</source>
        <translation>CHANGE</translation>
    </message>
</context>
<context>
    <name>DashboardDialog</name>
    <message>
        <source>Bảng điều khiển trong ngày</source>
        <translation>Today&apos;s dashboard</translation>
    </message>
    <message>
        <source>Đã thu hôm nay</source>
        <translation>Collected today</translation>
    </message>
    <message>
        <source>Số biên nhận</source>
        <translation>Receipts</translation>
    </message>
    <message>
        <source>Số hóa đơn</source>
        <translation>Bills</translation>
    </message>
    <message>
        <source>Đã hủy</source>
        <translation>Voided</translation>
    </message>
    <message>
        <source>Đóng (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>Tiền thu theo giờ (triệu đồng)</source>
        <translation>Collected per hour (million đồng)</translation>
    </message>
    <message>
        <source>Đã thu</source>
        <translation>Collected</translation>
    </message>
    <message>
        <source>Theo thu ngân (triệu đồng)</source>
        <translation>Per cashier (million đồng)</translation>
    </message>
    <message>
        <source>(chưa có)</source>
        <translation>(none yet)</translation>
    </message>
    <message>
        <source>Theo hình thức thanh toán</source>
        <translation>By payment method</translation>
    </message>
    <message>
        <source>Chưa có khoản thu</source>
        <translation>No payments yet</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Hủy (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <source>{receipt} — {code} {name} — {amount} — {time}, thu ngân {cashier}</source>
        <translation>{receipt} — {code} {name} — {amount} — {time}, cashier {cashier}</translation>
    </message>
    <message>
        <source>ĐÃ HỦY trước đây</source>
        <translation>ALREADY VOIDED</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Lỗi không mong đợi ({name}). Chi tiết đã ghi vào nhật ký; hãy báo quản lý.</source>
        <translation>Unexpected error ({name}). The details are in the log; tell the manager.</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Xuất tệp gạch nợ cho CMIS</source>
        <translation>Clearing file for CMIS</translation>
    </message>
    <message>
        <source>Mọi khoản thu chưa xuất (và các biên nhận đã hủy sau khi xuất) vào một lô mới, có ký số.</source>
        <translation>Every payment not exported yet (and receipts voided after their export) goes into a new, signed batch.</translation>
    </message>
    <message>
        <source>Chọn thư mục…</source>
        <translation>Choose folder…</translation>
    </message>
    <message>
        <source>Xuất (Enter)</source>
        <translation>Export (Enter)</translation>
    </message>
    <message>
        <source>Đóng (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>Thư mục lưu tệp gạch nợ</source>
        <translation>Folder for the clearing files</translation>
    </message>
    <message>
        <source>Đang xuất…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>Không có khoản thu nào chưa xuất.</source>
        <translation>No payment left to export.</translation>
    </message>
    <message>
        <source>Lô {batch}: {rows} dòng hóa đơn, biên nhận {first} … {last}, {reversals} dòng hủy đảo, tổng {total}.
Tệp: {files}
Sao lưu: {backup}</source>
        <translation>Batch {batch}: {rows} bill rows, receipts {first} … {last}, {reversals} reversal rows, total {total}.
Files: {files}
Backup: {backup}</translation>
    </message>
</context>
<context>
    <name>FileDialog</name>
    <message>
        <source>Thư mục:</source>
        <translation>Look in:</translation>
    </message>
    <message>
        <source>Tên tệp:</source>
        <translation>File name:</translation>
    </message>
    <message>
        <source>Loại tệp:</source>
        <translation>Files of type:</translation>
    </message>
    <message>
        <source>Chọn</source>
        <translation>Choose</translation>
    </message>
    <message>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>Phím tắt</source>
        <translation>Keys</translation>
    </message>
    <message>
        <source>&lt;b&gt;Quét thẻ&lt;/b&gt;: hiện khách hàng và hóa đơn nợ.&lt;br&gt;&lt;b&gt;Quét lại thẻ / Enter / F2&lt;/b&gt;: thu đủ tiền và in biên nhận.&lt;br&gt;&lt;b&gt;Ô khách đưa&lt;/b&gt;: gõ số nghìn đồng (500 = 500.000 đ, 2000 = 2.000.000 đ), trống = đủ tiền; Alt+1 đủ tiền, Alt+2/3/4 thêm 100/200/500 nghìn.&lt;br&gt;&lt;b&gt;F3&lt;/b&gt; tìm khách hàng · &lt;b&gt;F4&lt;/b&gt; in giấy báo · &lt;b&gt;F5&lt;/b&gt; in lại · &lt;b&gt;F6&lt;/b&gt; hủy biên nhận&lt;br&gt;&lt;b&gt;F7&lt;/b&gt; chọn hóa đơn · &lt;b&gt;F8&lt;/b&gt; chuyển khoản · &lt;b&gt;F9&lt;/b&gt; ca làm việc · &lt;b&gt;F10&lt;/b&gt; quản lý&lt;br&gt;&lt;b&gt;F11&lt;/b&gt; lệnh đóng điện · &lt;b&gt;Esc&lt;/b&gt; xóa màn hình</source>
        <translation>&lt;b&gt;Scan a card&lt;/b&gt;: shows the customer and the unpaid bills.&lt;br&gt;&lt;b&gt;Scan again / Enter / F2&lt;/b&gt;: collect the full amount and print the receipt.&lt;br&gt;&lt;b&gt;Tendered field&lt;/b&gt;: type thousands of dong (500 = 500,000 đ, 2000 = 2,000,000 đ), empty = exact; Alt+1 exact, Alt+2/3/4 add 100/200/500 thousand.&lt;br&gt;&lt;b&gt;F3&lt;/b&gt; search · &lt;b&gt;F4&lt;/b&gt; bill notice · &lt;b&gt;F5&lt;/b&gt; reprint · &lt;b&gt;F6&lt;/b&gt; void&lt;br&gt;&lt;b&gt;F7&lt;/b&gt; select bills · &lt;b&gt;F8&lt;/b&gt; bank transfer · &lt;b&gt;F9&lt;/b&gt; shift · &lt;b&gt;F10&lt;/b&gt; manager&lt;br&gt;&lt;b&gt;F11&lt;/b&gt; reconnection orders · &lt;b&gt;Esc&lt;/b&gt; clear the screen</translation>
    </message>
    <message>
        <source>&lt;b&gt;Ctrl+L&lt;/b&gt; khóa quầy / đổi thu ngân (không đóng ca) · &lt;b&gt;F12&lt;/b&gt; thu một phần hóa đơn · &lt;b&gt;Shift+F8&lt;/b&gt; tiền mặt + chuyển khoản · &lt;b&gt;Shift+F2&lt;/b&gt; thu gộp nhiều khách</source>
        <translation>&lt;b&gt;Ctrl+L&lt;/b&gt; lock / switch cashier (shift stays open) · &lt;b&gt;F12&lt;/b&gt; partial payment · &lt;b&gt;Shift+F8&lt;/b&gt; cash + bank transfer · &lt;b&gt;Shift+F2&lt;/b&gt; several customers at once</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Nhập dữ liệu nợ (tệp trích xuất CMIS)</source>
        <translation>Import the debt extract (CMIS file)</translation>
    </message>
    <message>
        <source>tệp .xlsx hoặc .csv</source>
        <translation>.xlsx or .csv file</translation>
    </message>
    <message>
        <source>Chọn tệp…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <source>Mẫu cột (profile)</source>
        <translation>Column profile</translation>
    </message>
    <message>
        <source>Dòng bị loại (kiểm tra lại tệp):</source>
        <translation>Rejected rows (check the file):</translation>
    </message>
    <message>
        <source>Nhập (Enter)</source>
        <translation>Import (Enter)</translation>
    </message>
    <message>
        <source>Đóng (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>Chọn tệp dữ liệu nợ</source>
        <translation>Choose the debt extract</translation>
    </message>
    <message>
        <source>Bảng tính (*.xlsx *.csv);;Tất cả (*)</source>
        <translation>Spreadsheets (*.xlsx *.csv);;All files (*)</translation>
    </message>
    <message>
        <source>Chọn tệp trước.</source>
        <translation>Choose a file first.</translation>
    </message>
    <message>
        <source>Đang nhập {name}…</source>
        <translation>Importing {name}…</translation>
    </message>
    <message>
        <source>Dừng</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>Nhập dữ liệu nợ</source>
        <translation>Debt import</translation>
    </message>
    <message>
        <source>Đang ghi dữ liệu, không dừng được nữa: sắp xong…</source>
        <translation>Writing the data, it can no longer be stopped: almost done…</translation>
    </message>
    <message>
        <source>Đang dừng… (dữ liệu cũ được giữ nguyên)</source>
        <translation>Stopping… (the previous data is kept)</translation>
    </message>
    <message>
        <source>Đang so sánh với dữ liệu nợ hiện có…</source>
        <translation>Comparing with the current debt data…</translation>
    </message>
    <message>
        <source>Đang ghi vào cơ sở dữ liệu… (quầy vẫn thu tiền được)</source>
        <translation>Writing to the database… (the counter can still collect)</translation>
    </message>
    <message>
        <source>Đang đọc tệp… {pct}%</source>
        <translation>Reading the file… {pct}%</translation>
    </message>
    <message>
        <source>Đã nhập {file}: {rows} dòng, {customers} khách hàng, {bills} hóa đơn nợ, tổng nợ {due}.
Mới: {new}; cập nhật: {updated}; đã trả nơi khác (không thu nữa): {elsewhere}; xung đột (đã thu tại quầy nhưng CMIS báo đã trả nơi khác — kiểm tra thu trùng): {conflicts}; dòng trùng: {dups}; dòng bị loại: {rejected}.</source>
        <translation>Imported {file}: {rows} rows, {customers} customers, {bills} unpaid bills, total due {due}.
New: {new}; updated: {updated}; paid elsewhere (no longer collected): {elsewhere}; conflicts (collected here but CMIS says paid elsewhere — check for double collection): {conflicts}; duplicate rows: {dups}; rejected rows: {rejected}.</translation>
    </message>
    <message>
        <source>{n} hóa đơn chưa thu không còn trong tệp đã chuyển sang &quot;đã thu nơi khác&quot; (không thu tại quầy nữa).</source>
        <translation>{n} unpaid bills no longer in the file became &quot;paid elsewhere&quot; (no longer collected at the counter).</translation>
    </message>
    <message>
        <source>{n} hóa đơn đã thu tại quầy nhưng CMIS báo đã thu nơi khác: kiểm tra thu trùng.</source>
        <translation>{n} bills collected at the counter are settled elsewhere according to CMIS: check for double collection.</translation>
    </message>
    <message>
        <source>Báo cáo: {path}</source>
        <translation>Report: {path}</translation>
    </message>
    <message>
        <source>{unit}: {m} trên {n}</source>
        <translation>{unit}: {m} of {n}</translation>
    </message>
    <message>
        <source>Chưa nhập gì. Tệp này sẽ chuyển {m} hóa đơn chưa thu sang &quot;đã thu nơi khác&quot; (trong số {n} hóa đơn chưa thu của các đơn vị có trong tệp, {pct}%; mức cho phép khi chưa xác nhận: {limit}%).
Theo đơn vị (sẽ chuyển trên số chưa thu): {units}.
Nếu đúng là các hóa đơn này đã được thu nơi khác, bấm &quot;Xác nhận và nhập&quot;; nếu không, kiểm tra lại tệp (có thể tệp bị thiếu dòng).</source>
        <translation>Nothing was imported. This file would turn {m} unpaid bills &quot;paid elsewhere&quot; (of the {n} unpaid bills of the units in the file, {pct}%; allowed without confirmation: {limit}%).
Per unit (would change / unpaid): {units}.
If these bills really were paid elsewhere, press &quot;Confirm and import&quot;; if not, check the file (rows may be missing).</translation>
    </message>
    <message>
        <source>Xác nhận và nhập (Enter)</source>
        <translation>Confirm and import (Enter)</translation>
    </message>
    <message>
        <source>Đã dừng nhập: không nhập gì, dữ liệu cũ giữ nguyên.</source>
        <translation>Import stopped: nothing imported, the previous data is kept.</translation>
    </message>
    <message>
        <source>Tệp bị từ chối, dữ liệu cũ giữ nguyên: {e}</source>
        <translation>File refused, the previous data is kept: {e}</translation>
    </message>
</context>
<context>
    <name>Lock</name>
    <message>
        <source>Khóa quầy (Ctrl+L)</source>
        <translation>Lock the counter (Ctrl+L)</translation>
    </message>
    <message>
        <source>Đã mở khóa.</source>
        <translation>Unlocked.</translation>
    </message>
</context>
<context>
    <name>LockController</name>
    <message>
        <source>Nhập tên đăng nhập và mật khẩu.</source>
        <extracomment>the task-runner lane of password checks (not BACKGROUND: an import must not delay an unlock) QSettings key: minutes without a key or click before the counter locks itself (0 = never) how often the idle time is looked at (ms) True when locked, False when unlocked (kind, text) for the lock screen (&quot;error&quot; | &quot;info&quot;) a password check is running (True) or done (False) unlocked: (user, shift or None, same cashier as the one who locked)</extracomment>
        <translation>Type your user name and password.</translation>
    </message>
    <message>
        <source>Nhập mật khẩu để mở khóa.</source>
        <translation>Type the password to unlock.</translation>
    </message>
    <message>
        <source>Quầy đang khóa: mã quét không được xử lý. Nhập mật khẩu để mở khóa.</source>
        <translation>The counter is locked: scanned codes are not processed. Type the password to unlock.</translation>
    </message>
    <message>
        <source>{name} đã đăng nhập — chưa mở ca: bấm F9 → Mở ca để thu tiền.</source>
        <translation>{name} is logged in — no shift open: press F9 → Open shift to collect.</translation>
    </message>
    <message>
        <source>{name} tiếp tục ca {shift} của mình.</source>
        <translation>{name} continues their own shift {shift}.</translation>
    </message>
    <message>
        <source>Ca {shift} của {owner} đang mở trên quầy này: {name} không được thu tiền vào ca của người khác. {owner} mở khóa để thu tiếp, hoặc đóng ca đó (F9) rồi {name} mở ca mới.</source>
        <translation>Shift {shift} of {owner} is open at this counter: {name} may not collect into another person&apos;s shift. {owner} unlocks to go on collecting, or closes that shift (F9) and then {name} opens a new one.</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>QUẦY ĐANG KHÓA</source>
        <translation>COUNTER LOCKED</translation>
    </message>
    <message>
        <source>Tên đăng nhập</source>
        <extracomment>set by install_lock: a scanner&apos;s burst into the password field is no password</extracomment>
        <translation>User name</translation>
    </message>
    <message>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Mở khóa: nhập mật khẩu rồi Enter. Thu ngân khác: Shift+Tab, nhập tên đăng nhập của mình.</source>
        <translation>To unlock: type the password, then Enter. Another cashier: Shift+Tab, type your own user name.</translation>
    </message>
    <message>
        <source>Mở khóa (Enter)</source>
        <translation>Unlock (Enter)</translation>
    </message>
    <message>
        <source>Ca {shift} của {owner} đang mở (từ {time}).</source>
        <translation>Shift {shift} of {owner} is open (since {time}).</translation>
    </message>
    <message>
        <source>Chưa mở ca.</source>
        <translation>No shift open.</translation>
    </message>
    <message>
        <source>Khóa bởi {name}.</source>
        <translation>Locked by {name}.</translation>
    </message>
    <message>
        <source>Đang kiểm tra mật khẩu…</source>
        <translation>Checking the password…</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Đăng nhập</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>Đăng nhập quầy thu</source>
        <translation>Counter login</translation>
    </message>
    <message>
        <source>Tên đăng nhập</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Dữ liệu thử (demo) — tài khoản: {accounts}</source>
        <translation>Demo data — accounts: {accounts}</translation>
    </message>
    <message>
        <source>Đăng nhập (Enter)</source>
        <translation>Log in (Enter)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Quầy thu tiền điện</source>
        <extracomment>emitted when the counter is ready for the next customer (after start and after each payment); used by tests and the benchmark</extracomment>
        <translation>Electricity bill counter</translation>
    </message>
    <message>
        <source>Trợ giúp</source>
        <translation>Help</translation>
    </message>
    <message>
        <source>Thu tiền</source>
        <translation>Collect</translation>
    </message>
    <message>
        <source>Tìm khách</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>Thông báo</source>
        <translation>Notice</translation>
    </message>
    <message>
        <source>In lại</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <source>Hủy BN</source>
        <translation>Void</translation>
    </message>
    <message>
        <source>Chọn HĐ</source>
        <translation>Select bills</translation>
    </message>
    <message>
        <source>Chuyển khoản</source>
        <translation>Bank transfer</translation>
    </message>
    <message>
        <source>Ca làm việc</source>
        <translation>Shift</translation>
    </message>
    <message>
        <source>Quản lý</source>
        <translation>Manager</translation>
    </message>
    <message>
        <source>Đóng điện</source>
        <translation>Reconnections</translation>
    </message>
    <message>
        <source>Thu một phần</source>
        <translation>Partial payment</translation>
    </message>
    <message>
        <source>Thu gộp nhiều khách hàng</source>
        <translation>Collect several customers at once</translation>
    </message>
    <message>
        <source>Tiền mặt + chuyển khoản</source>
        <translation>Cash + bank transfer</translation>
    </message>
    <message>
        <source>Khóa quầy</source>
        <translation>Lock the counter</translation>
    </message>
    <message>
        <source>Xóa</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>CSDL: {path}</source>
        <extracomment>first start on this computer: fill the screen (run_gui shows it maximized)</extracomment>
        <translation>Database: {path}</translation>
    </message>
    <message>
        <source>chưa rõ</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>sẵn sàng</source>
        <translation>ready</translation>
    </message>
    <message>
        <source>đang in</source>
        <translation>printing</translation>
    </message>
    <message>
        <source>LỖI</source>
        <translation>ERROR</translation>
    </message>
    <message>
        <source>xem trước (tệp)</source>
        <translation>preview (file)</translation>
    </message>
    <message>
        <source>sắp hết giấy</source>
        <translation>paper low</translation>
    </message>
    <message>
        <source>HẾT GIẤY</source>
        <translation>OUT OF PAPER</translation>
    </message>
    <message>
        <source>MỞ NẮP</source>
        <translation>COVER OPEN</translation>
    </message>
    <message>
        <source>MẤT KẾT NỐI</source>
        <translation>OFFLINE</translation>
    </message>
    <message>
        <source>Máy in: {state}</source>
        <translation>Printer: {state}</translation>
    </message>
    <message>
        <source>đang nhận</source>
        <translation>receiving</translation>
    </message>
    <message>
        <source>tắt</source>
        <translation>off</translation>
    </message>
    <message>
        <source>mất kết nối (cổng COM)</source>
        <translation>disconnected (COM port)</translation>
    </message>
    <message>
        <source>Máy quét: {state}</source>
        <translation>Scanner: {state}</translation>
    </message>
    <message>
        <source>Chưa đăng nhập</source>
        <translation>Not logged in</translation>
    </message>
    <message>
        <source>{name} — chưa mở ca</source>
        <translation>{name} — no shift open</translation>
    </message>
    <message>
        <source>{name} — ca {shift} từ {time}</source>
        <translation>{name} — shift {shift} since {time}</translation>
    </message>
    <message>
        <source>Đã nhận mã quét &quot;{code}&quot; khi đang mở hộp thoại: không nhập vào ô nào; khách hàng sẽ hiện khi đóng hộp thoại (Esc).</source>
        <translation>Scanned &quot;{code}&quot; while a dialog was open: typed into no field; the customer will show when the dialog is closed (Esc).</translation>
    </message>
    <message>
        <source>Chưa có khách hàng: quét thẻ hoặc bấm F3 để tìm.</source>
        <translation>No customer: scan a card or press F3 to search.</translation>
    </message>
    <message>
        <source>Quét lại thẻ (hoặc bấm F2) để thu.</source>
        <translation>Scan the card again (or press F2) to collect.</translation>
    </message>
    <message>
        <source>Chưa mở ca: bấm F9 để mở ca.</source>
        <extracomment>how long a status-bar message stays (ms): a stale message is worse than none</extracomment>
        <translation>No shift open: press F9 to open one.</translation>
    </message>
    <message>
        <source>Chưa có khách hàng để in thông báo.</source>
        <translation>No customer to print a notice for.</translation>
    </message>
    <message>
        <source>Đã in giấy báo tiền điện.</source>
        <translation>Bill notice printed.</translation>
    </message>
    <message>
        <source>Đã hủy biên nhận {receipt} — {code} {name} — {amount}: các hóa đơn trở lại còn nợ.</source>
        <translation>Receipt {receipt} voided — {code} {name} — {amount}: its bills are unpaid again.</translation>
    </message>
    <message>
        <source>Không có hóa đơn nợ để chọn.</source>
        <translation>No unpaid bill to select.</translation>
    </message>
    <message>
        <source>Không có hóa đơn nợ để thu.</source>
        <translation>No unpaid bill to collect.</translation>
    </message>
    <message>
        <source>Đóng ca {shift} của {name} (kiểm tiền, báo cáo Z)</source>
        <translation>Close shift {shift} of {name} (cash count, Z report)</translation>
    </message>
    <message>
        <source>Mở ca</source>
        <translation>Open shift</translation>
    </message>
    <message>
        <source>Báo cáo X (giữa ca)</source>
        <translation>X report (mid-shift)</translation>
    </message>
    <message>
        <source>Đóng ca (kiểm tiền, báo cáo Z)</source>
        <translation>Close shift (cash count, Z report)</translation>
    </message>
    <message>
        <source>Đăng xuất</source>
        <translation>Log out</translation>
    </message>
    <message>
        <source>Nhập dữ liệu nợ buổi sáng…</source>
        <translation>Import the morning extract…</translation>
    </message>
    <message>
        <source>Xuất tệp gạch nợ cuối ngày…</source>
        <translation>End-of-day clearing file…</translation>
    </message>
    <message>
        <source>Bảng điều khiển trong ngày</source>
        <translation>Today&apos;s dashboard</translation>
    </message>
    <message>
        <source>xem bảng điều khiển</source>
        <translation>view the dashboard</translation>
    </message>
    <message>
        <source>Người dùng và quyền</source>
        <translation>Users and roles</translation>
    </message>
    <message>
        <source>Cấu hình</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Ca {shift} của {name} đang mở trên máy này: người đó phải đóng ca trước.</source>
        <translation>Shift {shift} of {name} is open on this station: they must close it first.</translation>
    </message>
    <message>
        <source>Ca {shift} mở từ {day} chưa đóng: hãy đóng ca cũ (F9) rồi mở ca mới cho hôm nay.</source>
        <translation>Shift {shift} open since {day} was never closed: close it (F9), then open today&apos;s shift.</translation>
    </message>
    <message>
        <source>Ca {shift} đã mở. Sẵn sàng thu tiền.</source>
        <translation>Shift {shift} is open. Ready to collect.</translation>
    </message>
    <message>
        <source>Ca {shift} của {name} đang mở trên máy này: bấm F9 → Đóng ca để kiểm tiền và đóng ca đó.</source>
        <translation>Shift {shift} of {name} is open on this station: press F9 → Close shift to count the cash and close it.</translation>
    </message>
    <message>
        <source>Đã đóng ca. Báo cáo Z số {z}.</source>
        <translation>Shift closed. Z report no. {z}.</translation>
    </message>
    <message>
        <source>nhập dữ liệu nợ</source>
        <translation>import debt data</translation>
    </message>
    <message>
        <source>xuất tệp gạch nợ</source>
        <translation>export the clearing file</translation>
    </message>
    <message>
        <source>quản lý người dùng</source>
        <translation>manage users</translation>
    </message>
    <message>
        <source>thay đổi cấu hình</source>
        <translation>change settings</translation>
    </message>
    <message>
        <source>Hãy đăng nhập trước.</source>
        <translation>Log in first.</translation>
    </message>
    <message>
        <source>{name} không có quyền {what}: cần tài khoản quản lý.</source>
        <translation>{name} may not {what}: a manager&apos;s account is needed.</translation>
    </message>
    <message>
        <source>Đang in nốt biên nhận trước khi thoát…</source>
        <translation>Finishing the receipt being printed before quitting…</translation>
    </message>
</context>
<context>
    <name>ManagerAuthDialog</name>
    <message>
        <source>Quản lý duyệt</source>
        <translation>Manager approval</translation>
    </message>
    <message>
        <source>Cần quản lý duyệt: {what}</source>
        <translation>A manager must approve: {what}</translation>
    </message>
    <message>
        <source>Quản lý</source>
        <translation>Manager</translation>
    </message>
    <message>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Duyệt (Enter)</source>
        <translation>Approve (Enter)</translation>
    </message>
</context>
<context>
    <name>ModeChooser</name>
    <message>
        <source>Tự động: toàn màn hình trên màn hình thứ hai (nếu có)</source>
        <translation>Automatic: full screen on a second screen (when there is one)</translation>
    </message>
    <message>
        <source>Cửa sổ (một màn hình, hoặc để thử)</source>
        <translation>Window (one screen, or for testing)</translation>
    </message>
    <message>
        <source>Tắt</source>
        <translation>Off</translation>
    </message>
    <message>
        <source>Màn hình khách hàng</source>
        <translation>Customer display</translation>
    </message>
</context>
<context>
    <name>OpenShiftDialog</name>
    <message>
        <source>Mở ca</source>
        <translation>Open shift</translation>
    </message>
    <message>
        <source>Thu ngân: {name}</source>
        <translation>Cashier: {name}</translation>
    </message>
    <message>
        <source>Tiền lẻ đầu ca (nghìn đồng)</source>
        <translation>Opening float (thousands of đồng)</translation>
    </message>
    <message>
        <source>Tiền lẻ đầu ca {amount}</source>
        <translation>Opening float {amount}</translation>
    </message>
    <message>
        <source>Mở ca (Enter)</source>
        <extracomment>the float as understood, in full</extracomment>
        <translation>Open shift (Enter)</translation>
    </message>
</context>
<context>
    <name>OrdersDialog</name>
    <message>
        <source>Lệnh đóng điện</source>
        <translation>Reconnections</translation>
    </message>
    <message>
        <source>In lệnh đã chọn (Ctrl+P)</source>
        <translation>Print the selected order (Ctrl+P)</translation>
    </message>
    <message>
        <source>Đã đóng điện xong (Ctrl+D)</source>
        <translation>Reconnected (Ctrl+D)</translation>
    </message>
    <message>
        <source>Đóng (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>Chưa có lệnh đóng điện nào.</source>
        <translation>No reconnection orders yet.</translation>
    </message>
    <message>
        <source>Chọn một lệnh trong bảng.</source>
        <translation>Choose an order in the table.</translation>
    </message>
    <message>
        <source>Lệnh số {id}: đã đóng điện.</source>
        <translation>Order {id}: reconnected.</translation>
    </message>
    <message>
        <source>Đang in…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>Đã in lệnh đóng điện số {id}.</source>
        <translation>Reconnection order {id} printed.</translation>
    </message>
    <message>
        <source>Không in được: {e}</source>
        <translation>Could not print: {e}</translation>
    </message>
</context>
<context>
    <name>Partial</name>
    <message>
        <source>Kỳ</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Mã hóa đơn</source>
        <translation>Bill ID</translation>
    </message>
    <message>
        <source>Tổng tiền</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Còn nợ</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>Thu lần này</source>
        <translation>Paid now</translation>
    </message>
    <message>
        <source>Còn lại</source>
        <translation>Left</translation>
    </message>
    <message>
        <source>Không có hóa đơn nợ để thu một phần.</source>
        <translation>No unpaid bill to take a partial payment for.</translation>
    </message>
    <message>
        <source>ĐÃ THU MỘT PHẦN {total} — biên nhận {receipt} — TIỀN THỪA {change}
CÒN NỢ {remaining}</source>
        <translation>PARTIAL PAYMENT {total} — receipt {receipt} — CHANGE {change}
STILL DUE {remaining}</translation>
    </message>
</context>
<context>
    <name>PartialPaymentController</name>
    <message>
        <source>Khách hàng không còn hóa đơn nợ.</source>
        <translation>The customer has no unpaid bill left.</translation>
    </message>
    <message>
        <source>Nhập số tiền khách trả (nghìn đồng).</source>
        <translation>Type the amount the customer pays (thousands of đồng).</translation>
    </message>
    <message>
        <source>Số tiền lớn hơn số còn nợ của hóa đơn cũ nhất: thu trọn hóa đơn đó (F7) rồi thu một phần hóa đơn tiếp theo.</source>
        <translation>The amount is more than is due on the oldest bill: collect that bill in full (F7), then a part of the next one.</translation>
    </message>
    <message>
        <source>Thu {amount} cho hóa đơn {bill} ({period}, hóa đơn cũ nhất)</source>
        <translation>Pay {amount} on bill {bill} ({period}, the oldest bill)</translation>
    </message>
    <message>
        <source>: trả hết hóa đơn này.</source>
        <translation>: this bill is paid in full.</translation>
    </message>
    <message>
        <source>: hóa đơn này còn nợ {left}.</source>
        <translation>: {left} stays due on this bill.</translation>
    </message>
    <message>
        <source>Cộng phí đóng điện {fee}.</source>
        <translation>Plus the reconnection fee {fee}.</translation>
    </message>
    <message>
        <source>Khách trả {total} — tiền thừa {change}. Còn nợ sau lần thu này: {remaining}.</source>
        <translation>The customer pays {total} — change {change}. Still due after this payment: {remaining}.</translation>
    </message>
    <message>
        <source>Không thu được.</source>
        <translation>Could not collect.</translation>
    </message>
</context>
<context>
    <name>PartialPaymentDialog</name>
    <message>
        <source>Thu một phần hóa đơn</source>
        <translation>Partial payment of a bill</translation>
    </message>
    <message>
        <source>Khách hàng: {code} — {name}</source>
        <translation>Customer: {code} — {name}</translation>
    </message>
    <message>
        <source>Thu một phần: số tiền trả vào hóa đơn cũ nhất (thu hóa đơn cũ trước hóa đơn mới), không quá số còn nợ của hóa đơn đó.</source>
        <translation>Partial payment: the amount goes on the oldest bill (older bills are paid before newer ones), at most what is due on that bill.</translation>
    </message>
    <message>
        <source>Thu ngân cần quản lý duyệt để thu một phần.</source>
        <translation>A cashier needs a manager&apos;s approval for a partial payment.</translation>
    </message>
    <message>
        <source>Số tiền thu (nghìn đồng)</source>
        <translation>Amount paid (thousands of đồng)</translation>
    </message>
    <message>
        <source>đủ tiền</source>
        <translation>exact money</translation>
    </message>
    <message>
        <source>Khách đưa (nghìn đồng)</source>
        <translation>Tendered (thousands of đồng)</translation>
    </message>
    <message>
        <source>Thu một phần (Enter)</source>
        <translation>Take partial payment (Enter)</translation>
    </message>
    <message>
        <source>Thu: {amount}</source>
        <translation>Collect: {amount}</translation>
    </message>
    <message>
        <source>thu một phần {amount} của khách {code}</source>
        <translation>a partial payment of {amount} from customer {code}</translation>
    </message>
    <message>
        <source>Chưa được quản lý duyệt: không thu.</source>
        <translation>No manager&apos;s approval: nothing collected.</translation>
    </message>
</context>
<context>
    <name>ReceiptPage</name>
    <message>
        <source>ĐÃ THANH TOÁN</source>
        <translation>PAID</translation>
    </message>
    <message>
        <source>Chuyển khoản</source>
        <translation>Bank transfer</translation>
    </message>
    <message>
        <source>Chuyển khoản {transfer} + Tiền mặt {cash}
Khách đưa tiền mặt {given}
Tiền thừa {change}</source>
        <translation>Bank transfer {transfer} + Cash {cash}
Cash tendered {given}
Change {change}</translation>
    </message>
    <message>
        <source>Khách đưa {tendered}
Tiền thừa {change}</source>
        <translation>Tendered {tendered}
Change {change}</translation>
    </message>
    <message>
        <source>Số biên nhận: {receipt}</source>
        <translation>Receipt number: {receipt}</translation>
    </message>
    <message>
        <source>Cảm ơn quý khách!</source>
        <translation>Thank you!</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>Báo cáo Z số {z}</source>
        <translation>Z report no. {z}</translation>
    </message>
    <message>
        <source>Báo cáo X (giữa ca)</source>
        <translation>X report (mid-shift)</translation>
    </message>
    <message>
        <source>In báo cáo (Ctrl+P)</source>
        <translation>Print report (Ctrl+P)</translation>
    </message>
    <message>
        <source>Đóng (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>Đang in…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>Đã in báo cáo.</source>
        <translation>Report printed.</translation>
    </message>
    <message>
        <source>Không in được: {e}</source>
        <translation>Could not print: {e}</translation>
    </message>
</context>
<context>
    <name>ReprintDialog</name>
    <message>
        <source>In lại biên nhận</source>
        <translation>Reprint a receipt</translation>
    </message>
    <message>
        <source>Bản in lại ghi rõ &quot;BẢN SAO — In lần N&quot;. Cần quyền quản lý.</source>
        <translation>A reprint says &quot;BẢN SAO — In lần N&quot; (copy, print N). Needs a manager.</translation>
    </message>
    <message>
        <source>Số biên nhận</source>
        <translation>Receipts</translation>
    </message>
    <message>
        <source>In lại (Enter)</source>
        <translation>Reprint (Enter)</translation>
    </message>
    <message>
        <source>Nhập số biên nhận.</source>
        <translation>Enter the receipt number.</translation>
    </message>
    <message>
        <source>in lại biên nhận {r}</source>
        <translation>reprint receipt {r}</translation>
    </message>
</context>
<context>
    <name>SearchDialog</name>
    <message>
        <source>Tìm khách hàng</source>
        <extracomment>rows shown; one more is fetched to know whether there are more (never a full count)</extracomment>
        <translation>Find a customer</translation>
    </message>
    <message>
        <source>Mã KH, tên hoặc địa chỉ (gõ có dấu hoặc không dấu), ↓ để chọn, Enter để lấy</source>
        <translation>Code, name or address (with or without diacritics), ↓ to choose, Enter to pick</translation>
    </message>
    <message>
        <source>Chọn (Enter)</source>
        <translation>Pick (Enter)</translation>
    </message>
    <message>
        <source>{n} kết quả đầu tiên — còn nhiều hơn {n}: gõ thêm để thu hẹp</source>
        <translation>First {n} results — more than {n}: type more to narrow</translation>
    </message>
    <message>
        <source>{n} kết quả</source>
        <translation>{n} results</translation>
    </message>
    <message>
        <source>Chưa chọn khách hàng: dùng ↓ ↑ để chọn rồi Enter.</source>
        <translation>No customer chosen: use ↓ ↑ then Enter.</translation>
    </message>
</context>
<context>
    <name>SelectBillsDialog</name>
    <message>
        <source>Chọn hóa đơn thu</source>
        <translation>Select the bills to collect</translation>
    </message>
    <message>
        <source>Dấu chọn = thu. Space: chọn/bỏ. Phải thu hóa đơn cũ trước hóa đơn mới.</source>
        <translation>Ticked = collected. Space: tick/untick. Older bills must be paid before newer ones.</translation>
    </message>
    <message>
        <source>đủ tiền</source>
        <translation>exact</translation>
    </message>
    <message>
        <source>Khách đưa (nghìn đồng)</source>
        <translation>Handed over (thousands of dong)</translation>
    </message>
    <message>
        <source>Thu các hóa đơn đã chọn (Enter)</source>
        <translation>Collect the selected bills (Enter)</translation>
    </message>
    <message>
        <source>Thu: {amount}</source>
        <translation>Collect: {amount}</translation>
    </message>
    <message>
        <source>Chưa chọn hóa đơn nào.</source>
        <translation>No bill selected.</translation>
    </message>
    <message>
        <source>Không thu được.</source>
        <translation>Could not collect.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Cấu hình</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Quầy thu</source>
        <translation>Station</translation>
    </message>
    <message>
        <source>Máy quét</source>
        <translation>Scanner</translation>
    </message>
    <message>
        <source>Máy in</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>Giao diện</source>
        <translation>Interface</translation>
    </message>
    <message>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Hủy (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <source>Mã quầy</source>
        <translation>Station code</translation>
    </message>
    <message>
        <source>Phí đóng điện (đồng)</source>
        <translation>Reconnection fee (đồng)</translation>
    </message>
    <message>
        <source>Giới hạn lệch tiền khi đóng ca (đồng)</source>
        <translation>Cash variance limit at closing (đồng)</translation>
    </message>
    <message>
        <source>Công ty</source>
        <translation>Company</translation>
    </message>
    <message>
        <source>Điện lực</source>
        <translation>District unit</translation>
    </message>
    <message>
        <source>Điểm thu</source>
        <translation>Collection point</translation>
    </message>
    <message>
        <source>Đường dây nóng</source>
        <translation>Hotline</translation>
    </message>
    <message>
        <source>Mã số thuế</source>
        <translation>Tax code</translation>
    </message>
    <message>
        <source>Mã ngân hàng (BIN)</source>
        <translation>Bank BIN</translation>
    </message>
    <message>
        <source>Ngân hàng</source>
        <translation>Bank</translation>
    </message>
    <message>
        <source>Số tài khoản</source>
        <translation>Account number</translation>
    </message>
    <message>
        <source>Chủ tài khoản</source>
        <translation>Account holder</translation>
    </message>
    <message>
        <source>Dòng cuối biên nhận</source>
        <translation>Receipt footer</translation>
    </message>
    <message>
        <source>Trang tra cứu HĐ điện tử (in kèm QR; trống = không in)</source>
        <translation>E-invoice lookup site (printed with a QR; empty = not printed)</translation>
    </message>
    <message>
        <source>Máy quét gửi Enter/Tab sau mã</source>
        <translation>The scanner sends Enter/Tab after the code</translation>
    </message>
    <message>
        <source>Quét lại thẻ hoặc Enter</source>
        <translation>Scan again or Enter</translation>
    </message>
    <message>
        <source>Chỉ quét lại thẻ</source>
        <translation>Scan again only</translation>
    </message>
    <message>
        <source>Chỉ Enter / F2</source>
        <translation>Enter / F2 only</translation>
    </message>
    <message>
        <source>Khoảng cách tối đa giữa 2 ký tự</source>
        <translation>Longest gap between two keys</translation>
    </message>
    <message>
        <source>Độ dài mã tối thiểu</source>
        <translation>Shortest code</translation>
    </message>
    <message>
        <source>Tiền tố (nếu máy quét có cài)</source>
        <translation>Prefix (if the scanner sends one)</translation>
    </message>
    <message>
        <source>Xác nhận thu tiền</source>
        <translation>Confirm to collect</translation>
    </message>
    <message>
        <source>Máy quét cổng COM hoặc HID-POS (hid:…; để trống nếu cắm USB kiểu bàn phím)</source>
        <translation>Serial (COM) or HID-POS (hid:…) scanner (empty for a USB keyboard-mode scanner)</translation>
    </message>
    <message>
        <source>Tốc độ cổng COM</source>
        <translation>COM port speed</translation>
    </message>
    <message>
        <source>Thử: quét một thẻ — mã nhận được hiện ở đây.</source>
        <translation>Test: scan a card — the code received shows here.</translation>
    </message>
    <message>
        <source>Đã nhận: {code}</source>
        <translation>Received: {code}</translation>
    </message>
    <message>
        <source>Tìm máy in</source>
        <translation>Find printers</translation>
    </message>
    <message>
        <source>Địa chỉ máy in</source>
        <translation>Printer address</translation>
    </message>
    <message>
        <source>Ảnh (mọi máy in, chậm hơn)</source>
        <translation>Image (any printer, slower)</translation>
    </message>
    <message>
        <source>Chữ TCVN-3 (Epson)</source>
        <translation>Text TCVN-3 (Epson)</translation>
    </message>
    <message>
        <source>Chữ Windows-1258</source>
        <translation>Text Windows-1258</translation>
    </message>
    <message>
        <source>Chữ không dấu</source>
        <translation>Text without diacritics</translation>
    </message>
    <message>
        <source>Chế độ in</source>
        <translation>Print mode</translation>
    </message>
    <message>
        <source>Khổ giấy</source>
        <translation>Paper width</translation>
    </message>
    <message>
        <source>In thử</source>
        <translation>Test print</translation>
    </message>
    <message>
        <source>Để trống = máy in xem trước (lưu tệp ảnh trong thư mục dữ liệu).</source>
        <translation>Empty = preview printer (saves picture files in the data folder).</translation>
    </message>
    <message>
        <source>Lần chạy này in ra {url} (tham số --printer); cấu hình lưu ở đây dùng cho các lần sau.</source>
        <translation>This run prints to {url} (--printer option); the settings saved here are for later runs.</translation>
    </message>
    <message>
        <source>Đang tìm…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>Tìm thấy {n} máy in.</source>
        <translation>{n} printers found.</translation>
    </message>
    <message>
        <source>Đang in thử…</source>
        <translation>Printing the test page…</translation>
    </message>
    <message>
        <source>Đã in thử. Kiểm tra chữ tiếng Việt trên giấy.</source>
        <translation>Test page printed. Check the Vietnamese letters on paper.</translation>
    </message>
    <message>
        <source>In thử lỗi: {e}</source>
        <translation>Test print failed: {e}</translation>
    </message>
    <message>
        <source>Ngôn ngữ (khởi động lại để áp dụng)</source>
        <translation>Language (applies after a restart)</translation>
    </message>
    <message>
        <source>Âm báo khi quét</source>
        <translation>Sound on scan</translation>
    </message>
    <message>
        <source> phút</source>
        <translation> min</translation>
    </message>
    <message>
        <source>tắt</source>
        <translation>off</translation>
    </message>
    <message>
        <source>Tự khóa quầy khi không dùng (Ctrl+L: khóa ngay)</source>
        <translation>Lock the counter when unused for (Ctrl+L: lock now)</translation>
    </message>
</context>
<context>
    <name>Split</name>
    <message>
        <source>Không có hóa đơn nợ để thu.</source>
        <translation>No unpaid bill to collect.</translation>
    </message>
    <message>
        <source>ĐÃ THU {total} (chuyển khoản {transfer} + tiền mặt {cash}) — biên nhận {receipt} — TIỀN THỪA {change}</source>
        <translation>COLLECTED {total} (transfer {transfer} + cash {cash}) — receipt {receipt} — CHANGE {change}</translation>
    </message>
</context>
<context>
    <name>SplitPaymentController</name>
    <message>
        <source>Nhập số tiền khách chuyển khoản (nghìn đồng).</source>
        <translation>Type the amount paid by bank transfer (thousands of đồng).</translation>
    </message>
    <message>
        <source>Chuyển khoản {transfer} + tiền mặt {cash} = {total}
Khách đưa tiền mặt {given} — TIỀN THỪA {change}</source>
        <translation>Transfer {transfer} + cash {cash} = {total}
Cash given {given} — CHANGE {change}</translation>
    </message>
    <message>
        <source>Cần mã tham chiếu của ngân hàng cho phần chuyển khoản.</source>
        <translation>The bank reference of the transfer part is needed.</translation>
    </message>
    <message>
        <source>Không thu được.</source>
        <translation>Not collected.</translation>
    </message>
</context>
<context>
    <name>SplitPaymentDialog</name>
    <message>
        <source>Thanh toán kết hợp: tiền mặt + chuyển khoản</source>
        <translation>Split payment: cash + bank transfer</translation>
    </message>
    <message>
        <source>Khách hàng: {code} — {name}</source>
        <translation>Customer: {code} — {name}</translation>
    </message>
    <message>
        <source>Phải thu: {amount}</source>
        <translation>Due: {amount}</translation>
    </message>
    <message>
        <source>Chuyển khoản (nghìn đồng)</source>
        <translation>Bank transfer (thousands of đồng)</translation>
    </message>
    <message>
        <source>mã giao dịch trên tin nhắn/biên lai ngân hàng</source>
        <translation>transaction code on the bank&apos;s message/slip</translation>
    </message>
    <message>
        <source>Mã tham chiếu</source>
        <translation>Reference</translation>
    </message>
    <message>
        <source>đủ tiền</source>
        <translation>exact</translation>
    </message>
    <message>
        <source>Tiền mặt khách đưa (nghìn đồng)</source>
        <translation>Cash given (thousands of đồng)</translation>
    </message>
    <message>
        <source>Thu (Enter)</source>
        <translation>Collect (Enter)</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>Thanh toán chuyển khoản</source>
        <translation>Bank transfer payment</translation>
    </message>
    <message>
        <source>Khách hàng: {code} — {name}</source>
        <translation>Customer: {code} — {name}</translation>
    </message>
    <message>
        <source>mã giao dịch trên tin nhắn/biên lai ngân hàng</source>
        <translation>transaction reference on the bank&apos;s SMS / slip</translation>
    </message>
    <message>
        <source>Mã tham chiếu</source>
        <translation>Reference</translation>
    </message>
    <message>
        <source>Ghi nhận chuyển khoản (Enter)</source>
        <translation>Record the transfer (Enter)</translation>
    </message>
    <message>
        <source>Cần mã tham chiếu của ngân hàng.</source>
        <translation>The bank&apos;s reference is needed.</translation>
    </message>
    <message>
        <source>Không ghi nhận được.</source>
        <translation>Could not record it.</translation>
    </message>
</context>
<context>
    <name>TransferPage</name>
    <message>
        <source>Quét mã VietQR để chuyển khoản đúng số tiền</source>
        <extracomment>font pixel sizes at 800x480, scaled with the window roles painted in the regular (not bold) weight basket lines shown at once (the most recent scans; the rest are counted) the letters whose stacked marks rise highest above a font&apos;s ascent</extracomment>
        <translation>Scan the VietQR code to transfer the exact amount</translation>
    </message>
    <message>
        <source>Nội dung: {purpose}
Ngân hàng: {bank}
Số tài khoản: {account}
Chủ tài khoản: {owner}</source>
        <translation>Content: {purpose}
Bank: {bank}
Account number: {account}
Account holder: {owner}</translation>
    </message>
    <message>
        <source>Chuyển khoản</source>
        <translation>Bank transfer</translation>
    </message>
    <message>
        <source>Vui lòng chuyển khoản theo hướng dẫn của thu ngân</source>
        <translation>Please make the transfer as the cashier tells you</translation>
    </message>
    <message>
        <source>Tổng phải trả {total}</source>
        <translation>Total due {total}</translation>
    </message>
    <message>
        <source>Chuyển khoản {amount}</source>
        <translation>Bank transfer {amount}</translation>
    </message>
    <message>
        <source>Tiền mặt {amount}</source>
        <translation>Cash {amount}</translation>
    </message>
    <message>
        <source>Khách đưa tiền mặt {given}
Tiền thừa {change}</source>
        <translation>Cash tendered {given}
Change {change}</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <source>Người dùng và quyền</source>
        <translation>Users and roles</translation>
    </message>
    <message>
        <source>Thêm người dùng</source>
        <translation>Add a user</translation>
    </message>
    <message>
        <source>Tên đăng nhập</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Họ tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <source>Mật khẩu (từ 6 ký tự)</source>
        <translation>Password (6 characters or more)</translation>
    </message>
    <message>
        <source>Mã thu ngân (MA_TNGAN)</source>
        <translation>Cashier code (MA_TNGAN)</translation>
    </message>
    <message>
        <source>Vai trò</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Thêm</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>Khóa</source>
        <translation>Lock</translation>
    </message>
    <message>
        <source>Mở khóa</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>Đổi vai trò thành đã chọn ở trên</source>
        <translation>Set the role chosen above</translation>
    </message>
    <message>
        <source>Đặt lại mật khẩu (ô mật khẩu ở trên)</source>
        <translation>Reset the password (password field above)</translation>
    </message>
    <message>
        <source>Đóng (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>Đã thêm {u}.</source>
        <translation>{u} added.</translation>
    </message>
    <message>
        <source>Chọn một người dùng trong bảng.</source>
        <translation>Choose a user in the table.</translation>
    </message>
    <message>
        <source>Đã cập nhật {u}.</source>
        <translation>{u} updated.</translation>
    </message>
    <message>
        <source>Đã đổi mật khẩu của {u}.</source>
        <translation>{u}&apos;s password changed.</translation>
    </message>
</context>
<context>
    <name>VoidDialog</name>
    <message>
        <source>Hủy biên nhận</source>
        <extracomment>the receipt the number in the field names (None: unknown number)</extracomment>
        <translation>Void a receipt</translation>
    </message>
    <message>
        <source>Hủy biên nhận: hóa đơn trở lại trạng thái còn nợ; cần quản lý duyệt và lý do.</source>
        <translation>Voiding a receipt: its bills become unpaid again; needs a manager and a reason.</translation>
    </message>
    <message>
        <source>ví dụ: thu nhầm khách hàng</source>
        <translation>e.g. collected from the wrong customer</translation>
    </message>
    <message>
        <source>Số biên nhận</source>
        <translation>Receipts</translation>
    </message>
    <message>
        <source>Biên nhận của</source>
        <extracomment>whose receipt, how much, when (in large type: the cashier checks it before voiding)</extracomment>
        <translation>Receipt of</translation>
    </message>
    <message>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Hủy biên nhận (Enter)</source>
        <translation>Void the receipt (Enter)</translation>
    </message>
    <message>
        <source>Không hủy (Esc)</source>
        <translation>Do not void (Esc)</translation>
    </message>
    <message>
        <source>(nhập số biên nhận)</source>
        <translation>(type the receipt number)</translation>
    </message>
    <message>
        <source>Nhập số biên nhận.</source>
        <translation>Enter the receipt number.</translation>
    </message>
    <message>
        <source>Không có biên nhận số {r}.</source>
        <translation>There is no receipt number {r}.</translation>
    </message>
    <message>
        <source>Hủy biên nhận cần ghi lý do.</source>
        <translation>A void needs a reason.</translation>
    </message>
    <message>
        <source>hủy biên nhận {r}</source>
        <translation>void receipt {r}</translation>
    </message>
</context>
</TS>
