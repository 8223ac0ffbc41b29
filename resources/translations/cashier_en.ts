<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="vi_VN">
<context>
    <name>App</name>
    <message>
        <source>Máy mới: dữ liệu thử (demo), máy in xem trước (preview); tài khoản {accounts}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CloseShiftDialog</name>
    <message>
        <source>Đóng ca — kiểm tiền</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ca {id} — {name} — mở lúc {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mệnh giá</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số tờ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thành tiền</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phải có (đầu ca + thu tiền mặt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đếm được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chênh lệch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xem báo cáo X</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng ca và in báo cáo Z (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chênh lệch vượt giới hạn: khi đóng ca sẽ cần quản lý duyệt.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>đóng ca khi tiền lệch quá giới hạn</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>Chờ đóng điện</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã đóng điện</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã hủy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số lệnh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thời gian</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mã khách hàng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tên khách hàng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Địa chỉ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Biên nhận</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phí đóng điện</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trạng thái</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dòng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cột</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Giá trị</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lý do</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thu ngân</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quản lý</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quản trị</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vô hiệu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bị khóa</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Khóa tạm đến {t}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hoạt động</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tên đăng nhập</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Họ tên</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vai trò</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mã thu ngân</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Còn nợ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã thu tại quầy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã thu, đã gạch nợ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã trả nơi khác</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kỳ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mã hóa đơn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Điện năng (kWh)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tiền điện</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thuế GTGT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tổng cộng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sổ GCS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số HĐ nợ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tổng nợ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tiền mặt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chuyển khoản</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa in được</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã thu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Giờ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số tiền</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hình thức</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CounterController</name>
    <message>
        <source>Đã quét: {code}</source>
        <extracomment>the customer on screen changed (Lookup or None, CustomerState or None) (kind, text): kind is one of the Banner kinds (&quot;good&quot;|&quot;error&quot;|&quot;info&quot;, text) for the status bar / feedback a payment was committed (Payment) printing state of a receipt: (receipt_no, state) with state printing|printed|failed payments of the current shift changed the customer and bills are painted (for the benchmark: seconds since the scan) the last refusal shown (dialogs that call collect show it in their own error line)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(đã sửa lỗi bộ gõ từ &quot;{raw}&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sẵn sàng — quét thẻ khách hàng (hoặc F3 để tìm)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CÒN NỢ {n} hóa đơn — Tổng phải thu {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ĐANG CẮT ĐIỆN — thu thêm phí đóng điện {fee}; tổng phải thu {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ĐÃ THU TẠI QUẦY — biên nhận {receipts}. Không thu lại.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ĐÃ THANH TOÁN NƠI KHÁC (ngân hàng/ví điện tử) sau lần lấy dữ liệu — KHÔNG THU. Nếu khách có chứng từ, hướng dẫn khách giữ lại.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Khách hàng không còn nợ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quét lại thẻ để thu đủ tiền</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bấm Enter (hoặc F2) để thu đủ tiền</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quét lại thẻ hoặc bấm Enter để thu đủ tiền</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa có khách hàng: quét thẻ trước.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa mở ca: bấm F9 để mở ca.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ĐÃ THU {total} — biên nhận {receipt} — TIỀN THỪA {change}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã in biên nhận {receipt}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Máy in lỗi: {error}. Tiền đã thu và đã lưu (biên nhận {receipt}); kiểm tra máy in rồi bấm F5 để in lại.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CounterView</name>
    <message>
        <source>Khách hàng</source>
        <extracomment>Enter pressed in the tendered field (or elsewhere on the screen)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mã KH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tên</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Địa chỉ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Điện thoại</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sổ GCS / STT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thanh toán</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TỔNG PHẢI THU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Khách đưa (để trống = đủ tiền; 500 = 500.000)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>đủ tiền</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đủ tiền</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TIỀN THỪA TRẢ KHÁCH</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Biên nhận trong ca (mới nhất ở trên)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>THIẾU {amount}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DashboardDialog</name>
    <message>
        <source>Bảng điều khiển trong ngày</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã thu hôm nay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số biên nhận</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số hóa đơn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã hủy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tiền thu theo giờ (triệu đồng)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã thu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theo thu ngân (triệu đồng)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(chưa có)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theo hình thức thanh toán</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa có khoản thu</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Hủy (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Lỗi không mong đợi ({name}). Chi tiết đã ghi vào nhật ký; hãy báo quản lý.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>Phím tắt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Quét thẻ&lt;/b&gt;: hiện khách hàng và hóa đơn nợ.&lt;br&gt;&lt;b&gt;Quét lại thẻ / Enter / F2&lt;/b&gt;: thu đủ tiền và in biên nhận.&lt;br&gt;&lt;b&gt;Ô khách đưa&lt;/b&gt;: gõ số tiền (500 = 500.000), Alt+1 đủ tiền, Alt+2/3/4 thêm 100/200/500 nghìn.&lt;br&gt;&lt;b&gt;F3&lt;/b&gt; tìm khách hàng · &lt;b&gt;F4&lt;/b&gt; in giấy báo · &lt;b&gt;F5&lt;/b&gt; in lại · &lt;b&gt;F6&lt;/b&gt; hủy biên nhận&lt;br&gt;&lt;b&gt;F7&lt;/b&gt; chọn hóa đơn · &lt;b&gt;F8&lt;/b&gt; chuyển khoản · &lt;b&gt;F9&lt;/b&gt; ca làm việc · &lt;b&gt;F10&lt;/b&gt; quản lý&lt;br&gt;&lt;b&gt;F11&lt;/b&gt; lệnh đóng điện · &lt;b&gt;Esc&lt;/b&gt; xóa màn hình</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Nhập dữ liệu nợ (tệp trích xuất CMIS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tệp .xlsx hoặc .csv</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn tệp…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mẫu cột (profile)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dòng bị loại (kiểm tra lại tệp):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhập (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn tệp dữ liệu nợ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bảng tính (*.xlsx *.csv);;Tất cả (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn tệp trước.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang nhập {name}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dừng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhập dữ liệu nợ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang dừng… (dữ liệu cũ được giữ nguyên)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã đọc {n} dòng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã nhập {file}: {rows} dòng, {customers} khách hàng, {bills} hóa đơn nợ, tổng nợ {due}.
Mới: {new}; cập nhật: {updated}; đã trả nơi khác (không thu nữa): {elsewhere}; xung đột (đã thu tại quầy nhưng CMIS báo đã trả nơi khác — kiểm tra thu trùng): {conflicts}; dòng trùng: {dups}; dòng bị loại: {rejected}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Báo cáo: {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tệp bị từ chối, dữ liệu cũ giữ nguyên: {e}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Đăng nhập</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đăng nhập quầy thu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tên đăng nhập</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mật khẩu / PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dữ liệu thử (demo) — tài khoản: {accounts}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đăng nhập (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Quầy thu tiền điện</source>
        <extracomment>emitted when the counter is ready for the next customer (after start and after each payment); used by tests and the benchmark</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trợ giúp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thu tiền</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tìm khách</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thông báo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In lại</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hủy BN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn HĐ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chuyển khoản</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ca làm việc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quản lý</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lệnh đóng điện</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xóa màn hình</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSDL: {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>chưa rõ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sẵn sàng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>đang in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LỖI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Máy in: {state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>đang nhận</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tắt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Máy quét: {state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa đăng nhập</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} — chưa mở ca</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} — ca {shift} từ {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã nhận mã quét &quot;{code}&quot; khi đang mở hộp thoại — đã bỏ qua, không nhập vào ô nào. Đóng hộp thoại (Esc) rồi quét lại.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa có khách hàng: quét thẻ hoặc bấm F3 để tìm.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quét lại thẻ (hoặc bấm F2) để thu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa mở ca: bấm F9 để mở ca.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa có khách hàng để in thông báo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã in giấy báo tiền điện.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã hủy biên nhận {receipt}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không có hóa đơn nợ để chọn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không có hóa đơn nợ để thu.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mở ca</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Báo cáo X (giữa ca)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng ca (kiểm tiền, báo cáo Z)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đăng xuất</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhập dữ liệu nợ buổi sáng…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bảng điều khiển trong ngày</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Người dùng và quyền</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cấu hình</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ca {shift} của {name} đang mở trên máy này: người đó phải đóng ca trước.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ca {shift} đã mở. Sẵn sàng thu tiền.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã đóng ca. Báo cáo Z số {z}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nhập dữ liệu nợ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>quản lý người dùng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>thay đổi cấu hình</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hãy đăng nhập trước.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} không có quyền {what}: cần tài khoản quản lý.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang in nốt biên nhận trước khi thoát…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ManagerAuthDialog</name>
    <message>
        <source>Quản lý duyệt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cần quản lý duyệt: {what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quản lý</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mật khẩu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duyệt (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OpenShiftDialog</name>
    <message>
        <source>Mở ca</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thu ngân: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tiền lẻ đầu ca (đồng)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mở ca (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OrdersDialog</name>
    <message>
        <source>Lệnh đóng điện</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa có lệnh đóng điện nào.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>Báo cáo Z số {z}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Báo cáo X (giữa ca)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In báo cáo (P)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã in báo cáo.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không in được: {e}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReprintDialog</name>
    <message>
        <source>In lại biên nhận</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bản in lại ghi rõ &quot;BẢN SAO — In lần N&quot;. Cần quyền quản lý.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số biên nhận</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In lại (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhập số biên nhận.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in lại biên nhận {r}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchDialog</name>
    <message>
        <source>Tìm khách hàng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mã KH, tên hoặc địa chỉ (gõ có dấu hoặc không dấu), ↓ để chọn, Enter để lấy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (hiện 100 đầu tiên — gõ thêm để thu hẹp)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} kết quả</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa chọn khách hàng: dùng ↓ ↑ để chọn rồi Enter.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SelectBillsDialog</name>
    <message>
        <source>Chọn hóa đơn thu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dấu chọn = thu. Space: chọn/bỏ. Phải thu hóa đơn cũ trước hóa đơn mới.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>đủ tiền</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Khách đưa</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thu các hóa đơn đã chọn (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thu: {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chưa chọn hóa đơn nào.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không thu được.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Cấu hình</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quầy thu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Máy quét</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Máy in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Giao diện</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lưu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hủy (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mã quầy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phí đóng điện (đồng)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Giới hạn lệch tiền khi đóng ca (đồng)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Công ty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Điện lực</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Điểm thu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đường dây nóng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mã số thuế</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mã ngân hàng (BIN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ngân hàng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số tài khoản</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chủ tài khoản</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dòng cuối biên nhận</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Máy quét gửi Enter/Tab sau mã</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quét lại thẻ hoặc Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ quét lại thẻ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chỉ Enter / F2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Khoảng cách tối đa giữa 2 ký tự</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Độ dài mã tối thiểu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tiền tố (nếu máy quét có cài)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Xác nhận thu tiền</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thử: quét một thẻ — mã nhận được hiện ở đây.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã nhận: {code}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tìm máy in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Địa chỉ máy in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ảnh (mọi máy in, chậm hơn)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chữ TCVN-3 (Epson)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chữ Windows-1258</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chữ không dấu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chế độ in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Khổ giấy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In thử</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Để trống = máy in xem trước (lưu tệp ảnh trong thư mục dữ liệu).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang tìm…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tìm thấy {n} máy in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đang in thử…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã in thử. Kiểm tra chữ tiếng Việt trên giấy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In thử lỗi: {e}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ngôn ngữ (khởi động lại để áp dụng)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Âm báo khi quét</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>Thanh toán chuyển khoản</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Khách hàng: {code} — {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mã giao dịch trên tin nhắn/biên lai ngân hàng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mã tham chiếu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ghi nhận chuyển khoản (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cần mã tham chiếu của ngân hàng.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không ghi nhận được.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <source>Người dùng và quyền</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thêm người dùng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tên đăng nhập</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Họ tên</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mật khẩu / PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mã thu ngân (MA_TNGAN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vai trò</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thêm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Khóa</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mở khóa</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đổi vai trò thành đã chọn ở trên</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đặt lại mật khẩu (ô mật khẩu ở trên)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đóng (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã thêm {u}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chọn một người dùng trong bảng.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã cập nhật {u}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Đã đổi mật khẩu của {u}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VoidDialog</name>
    <message>
        <source>Hủy biên nhận</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hủy biên nhận: hóa đơn trở lại trạng thái còn nợ; cần quản lý duyệt và lý do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ví dụ: thu nhầm khách hàng</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Số biên nhận</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lý do</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hủy biên nhận (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Không hủy (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nhập số biên nhận.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hủy biên nhận cần ghi lý do.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hủy biên nhận {r}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
