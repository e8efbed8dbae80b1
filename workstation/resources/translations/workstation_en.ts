<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>BillsTab</name>
    <message>
        <source>全部时间</source>
        <translation>All time</translation>
    </message>
    <message>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>本周</source>
        <translation>This week</translation>
    </message>
    <message>
        <source>本月</source>
        <translation>This month</translation>
    </message>
    <message>
        <source>上月</source>
        <translation>Last month</translation>
    </message>
    <message>
        <source>近30天</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <source>近90天</source>
        <translation>Last 90 days</translation>
    </message>
    <message>
        <source>自定义</source>
        <translation>Custom</translation>
    </message>
    <message>
        <source>含下级(&amp;U)</source>
        <translation>Incl. s&amp;ub-departments</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>最低</source>
        <translation>Min</translation>
    </message>
    <message>
        <source>最高</source>
        <translation>Max</translation>
    </message>
    <message>
        <source>商户名称 (Ctrl+F)</source>
        <translation>Merchant name (Ctrl+F)</translation>
    </message>
    <message>
        <source>保存视图(&amp;S)…</source>
        <translation>&amp;Save view…</translation>
    </message>
    <message>
        <source>删除视图</source>
        <translation>Delete view</translation>
    </message>
    <message>
        <source>重置(&amp;R)</source>
        <translation>&amp;Reset</translation>
    </message>
    <message>
        <source>显示全部账单</source>
        <translation>Show all bills</translation>
    </message>
    <message>
        <source>时间(&amp;T)</source>
        <translation>&amp;Time</translation>
    </message>
    <message>
        <source>部门(&amp;D)</source>
        <translation>&amp;Department</translation>
    </message>
    <message>
        <source>员工(&amp;E)</source>
        <translation>&amp;Employee</translation>
    </message>
    <message>
        <source>制度(&amp;I)</source>
        <translation>&amp;Institution</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>金额(&amp;A)</source>
        <translation>&amp;Amount</translation>
    </message>
    <message>
        <source>商户(&amp;M)</source>
        <translation>&amp;Merchant</translation>
    </message>
    <message>
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>选择一笔账单查看详情</source>
        <translation>Select a bill to see its details</translation>
    </message>
    <message>
        <source>全部部门</source>
        <translation>All departments</translation>
    </message>
    <message>
        <source>全部制度</source>
        <translation>All institutions</translation>
    </message>
    <message>
        <source>全部员工</source>
        <translation>All employees</translation>
    </message>
    <message>
        <source>账单号：%1</source>
        <translation>Bill no.: %1</translation>
    </message>
    <message>
        <source>正在统计…</source>
        <translation>Counting…</translation>
    </message>
    <message>
        <source>共 %1 笔&#x3000;账单金额 %2&#x3000;企业付 %3&#x3000;个人付 %4&#x3000;退款 %5</source>
        <translation>%1 bills   Amount %2   Company paid %3   Employee paid %4   Refunds %5</translation>
    </message>
    <message>
        <source>账单号</source>
        <translation>Bill no.</translation>
    </message>
    <message>
        <source>交易时间</source>
        <translation>Transaction time</translation>
    </message>
    <message>
        <source>员工</source>
        <translation>Employee</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>商户</source>
        <translation>Merchant</translation>
    </message>
    <message>
        <source>消费分类</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>账单类型</source>
        <translation>Bill type</translation>
    </message>
    <message>
        <source>账单金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>企业付</source>
        <translation>Company paid</translation>
    </message>
    <message>
        <source>个人付</source>
        <translation>Employee paid</translation>
    </message>
    <message>
        <source>优惠金额</source>
        <translation>Discount</translation>
    </message>
    <message>
        <source>退款金额</source>
        <translation>Refund</translation>
    </message>
    <message>
        <source>制度ID</source>
        <translation>Institution ID</translation>
    </message>
    <message>
        <source>额度ID</source>
        <translation>Quota ID</translation>
    </message>
    <message>
        <source>外部交易号</source>
        <translation>External trade no.</translation>
    </message>
    <message>
        <source>关联原账单</source>
        <translation>Original bill</translation>
    </message>
    <message>
        <source>（未保存）</source>
        <translation>(unsaved)</translation>
    </message>
    <message>
        <source>保存视图</source>
        <translation>Save view</translation>
    </message>
    <message>
        <source>视图名称：</source>
        <translation>View name:</translation>
    </message>
    <message>
        <source>删除视图“%1”？</source>
        <translation>Delete the view “%1”?</translation>
    </message>
    <message>
        <source>读取账单失败：%1</source>
        <translation>Reading bills failed: %1</translation>
    </message>
    <message>
        <source>账单</source>
        <translation>Bills</translation>
    </message>
    <message>
        <source>笔数</source>
        <translation>Count</translation>
    </message>
    <message>
        <source>账单金额合计</source>
        <translation>Total amount</translation>
    </message>
    <message>
        <source>企业付合计</source>
        <translation>Total company paid</translation>
    </message>
    <message>
        <source>个人付合计</source>
        <translation>Total employee paid</translation>
    </message>
    <message>
        <source>退款合计</source>
        <translation>Total refunds</translation>
    </message>
</context>
<context>
    <name>CachedTableTab</name>
    <message>
        <source>搜索… (Ctrl+F)</source>
        <translation>Search… (Ctrl+F)</translation>
    </message>
</context>
<context>
    <name>HeaderTools</name>
    <message>
        <source>选择显示的列…</source>
        <translation>Choose columns…</translation>
    </message>
    <message>
        <source>恢复默认列</source>
        <translation>Restore default columns</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>财务工作台 · 支付宝企业码</source>
        <translation>Finance Workstation · Alipay Enterprise Code</translation>
    </message>
    <message>
        <source>离线 自 %1</source>
        <translation>offline since %1</translation>
    </message>
    <message>
        <source>已同步 %1</source>
        <translation>synced %1</translation>
    </message>
    <message>
        <source>未同步</source>
        <translation>not synced</translation>
    </message>
    <message>
        <source>同步中…</source>
        <translation>syncing…</translation>
    </message>
    <message>
        <source>同步中 %1/%2</source>
        <translation>syncing %1/%2</translation>
    </message>
    <message>
        <source>同步中 %1</source>
        <translation>syncing %1</translation>
    </message>
    <message>
        <source>新增 %1，更新 %2，删除 %3，用时 %4 秒</source>
        <translation>%1 added, %2 updated, %3 deleted in %4 s</translation>
    </message>
    <message>
        <source>同步失败</source>
        <translation>sync failed</translation>
    </message>
    <message>
        <source>正在处理…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>导出当前视图(&amp;E)…</source>
        <translation>&amp;Export current view…</translation>
    </message>
    <message>
        <source>打印当前视图(&amp;P)…</source>
        <translation>&amp;Print current view…</translation>
    </message>
    <message>
        <source>设置(&amp;S)…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <source>退出(&amp;Q)</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>查看(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>查找(&amp;F)</source>
        <translation>&amp;Find</translation>
    </message>
    <message>
        <source>同步(&amp;Y)</source>
        <translation>S&amp;ync</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>同步状态(&amp;H)…</source>
        <translation>Sync &amp;health…</translation>
    </message>
    <message>
        <source>无法开始同步：%1</source>
        <translation>Cannot start syncing: %1</translation>
    </message>
</context>
<context>
    <name>NotificationBridge</name>
    <message>
        <source>实时通知：未连接</source>
        <translation>Live notifications: not connected</translation>
    </message>
    <message>
        <source>财务工作台</source>
        <translation>Finance Workstation</translation>
    </message>
    <message>
        <source>实时通知：已连接</source>
        <translation>Live notifications: connected</translation>
    </message>
    <message>
        <source>实时通知：令牌被拒绝</source>
        <translation>Live notifications: token refused</translation>
    </message>
    <message>
        <source>实时通知：离线</source>
        <translation>Live notifications: offline</translation>
    </message>
    <message>
        <source>实时通知：处理延迟（%1）</source>
        <translation>Live notifications: processing delayed (%1)</translation>
    </message>
    <message>
        <source>新账单</source>
        <translation>New bill</translation>
    </message>
    <message>
        <source>%1 在 %2 消费 %3</source>
        <translation>%1 spent %3 at %2</translation>
    </message>
    <message>
        <source>额度已用完</source>
        <translation>Quota exhausted</translation>
    </message>
    <message>
        <source>%1 的额度（%2）已用完，总额 %3</source>
        <translation>The quota of %1 (%2) is used up; total %3</translation>
    </message>
</context>
<context>
    <name>NotificationsTab</name>
    <message>
        <source>账单变更</source>
        <translation>Bill changed</translation>
    </message>
    <message>
        <source>员工变更</source>
        <translation>Employee changed</translation>
    </message>
    <message>
        <source>部门变更</source>
        <translation>Department changed</translation>
    </message>
    <message>
        <source>企业变更</source>
        <translation>Enterprise changed</translation>
    </message>
    <message>
        <source>新发票</source>
        <translation>New invoice</translation>
    </message>
    <message>
        <source>序号</source>
        <translation>Seq.</translation>
    </message>
    <message>
        <source>接收时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>消息类型</source>
        <translation>Message type</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>处理时间</source>
        <translation>Processed</translation>
    </message>
    <message>
        <source>错误</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>通知ID</source>
        <translation>Notification ID</translation>
    </message>
    <message>
        <source>搜索消息类型、通知ID、错误… (Ctrl+F)</source>
        <translation>Search message type, notification ID, error… (Ctrl+F)</translation>
    </message>
    <message>
        <source>选择一条通知查看内容</source>
        <translation>Select a notification to see its content</translation>
    </message>
</context>
<context>
    <name>OrgDepartmentDialog</name>
    <message>
        <source>上级部门：</source>
        <translation>Parent department:</translation>
    </message>
    <message>
        <source>部门名称(&amp;N)：</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>部门编码(&amp;C)：</source>
        <translation>&amp;Code:</translation>
    </message>
    <message>
        <source>可选，不同部门的编码不能相同</source>
        <translation>Optional; no two departments may share a code</translation>
    </message>
</context>
<context>
    <name>OrgDepartmentTreeModel</name>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>Headcount</translation>
    </message>
    <message>
        <source>%1
部门ID：%2</source>
        <translation>%1
Department ID: %2</translation>
    </message>
    <message>
        <source>部门编码：%1</source>
        <translation>Department code: %1</translation>
    </message>
</context>
<context>
    <name>OrgEmployeeDialog</name>
    <message>
        <source>姓名(&amp;N)：</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>手机(&amp;M)：</source>
        <translation>&amp;Mobile:</translation>
    </message>
    <message>
        <source>11位手机号，例如 13800138000</source>
        <translation>11-digit mobile number, e.g. 13800138000</translation>
    </message>
    <message>
        <source>邮箱(&amp;E)：</source>
        <translation>&amp;Email:</translation>
    </message>
    <message>
        <source>工号(&amp;O)：</source>
        <translation>Empl&amp;oyee no.:</translation>
    </message>
    <message>
        <source>部门(&amp;D)：</source>
        <translation>&amp;Department:</translation>
    </message>
</context>
<context>
    <name>OrgEmployeeTableModel</name>
    <message>
        <source>待激活</source>
        <translation>Not activated</translation>
    </message>
    <message>
        <source>已激活</source>
        <translation>Activated</translation>
    </message>
    <message>
        <source>已删除</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>工号</source>
        <translation>Employee no.</translation>
    </message>
    <message>
        <source>手机</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <source>邮箱</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>员工ID</source>
        <translation>Employee ID</translation>
    </message>
</context>
<context>
    <name>OrgFormDialog</name>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>OrgImportModel</name>
    <message>
        <source>新增</source>
        <translation>New</translation>
    </message>
    <message>
        <source>更新</source>
        <translation>Update</translation>
    </message>
    <message>
        <source>无变化</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <source>有误</source>
        <translation>Invalid</translation>
    </message>
    <message>
        <source>成功</source>
        <translation>Succeeded</translation>
    </message>
    <message>
        <source>失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>未发送</source>
        <translation>Not sent</translation>
    </message>
    <message>
        <source>结果未知</source>
        <translation>Outcome unknown</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>手机</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <source>邮箱</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>工号</source>
        <translation>Employee no.</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>%1：%2 → %3</source>
        <translation>%1: %2 → %3</translation>
    </message>
    <message>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>变更或原因</source>
        <translation>Changes or reason</translation>
    </message>
    <message>
        <source>原因（英文）</source>
        <translation>Reason (English)</translation>
    </message>
</context>
<context>
    <name>OrgMoveDepartmentDialog</name>
    <message>
        <source>移动部门“%1”</source>
        <translation>Move department “%1”</translation>
    </message>
    <message>
        <source>移动到(&amp;T)：</source>
        <translation>Move &amp;to:</translation>
    </message>
</context>
<context>
    <name>PayCodeEmployeePicker</name>
    <message>
        <source>输入姓名、工号或手机号搜索，↓ 显示列表</source>
        <translation>Type a name, employee no. or mobile number; ↓ shows the list</translation>
    </message>
    <message>
        <source>（待激活）</source>
        <translation>(not activated)</translation>
    </message>
</context>
<context>
    <name>PayCodePresenter</name>
    <message>
        <source>付款码</source>
        <translation>Payment code</translation>
    </message>
    <message>
        <source>请用支付宝扫码付款 · 按 Esc 退出</source>
        <translation>Scan with Alipay to pay · Esc to exit</translation>
    </message>
</context>
<context>
    <name>PayCodeTab</name>
    <message>
        <source>员工(&amp;E)</source>
        <translation>&amp;Employee</translation>
    </message>
    <message>
        <source>费控制度(&amp;I)</source>
        <translation>&amp;Institution</translation>
    </message>
    <message>
        <source>参数</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>值</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>扫码参数</source>
        <translation>Scan parameters</translation>
    </message>
    <message>
        <source>选择员工和费控制度后在此显示付款码链接</source>
        <translation>Choose an employee and an institution to show the payment-code link here</translation>
    </message>
    <message>
        <source>付款码链接</source>
        <translation>Payment-code link</translation>
    </message>
    <message>
        <source>复制链接(&amp;C)</source>
        <translation>&amp;Copy link</translation>
    </message>
    <message>
        <source>复制付款码链接（Ctrl+Shift+C）</source>
        <translation>Copy the payment-code link (Ctrl+Shift+C)</translation>
    </message>
    <message>
        <source>保存图片(&amp;S)…</source>
        <translation>&amp;Save image…</translation>
    </message>
    <message>
        <source>打印(&amp;P)…</source>
        <translation>&amp;Print…</translation>
    </message>
    <message>
        <source>全屏展示(&amp;F)</source>
        <translation>&amp;Full screen</translation>
    </message>
    <message>
        <source>全屏显示二维码供员工扫码，按 Esc 退出</source>
        <translation>Show the QR code full screen for the employee to scan; Esc exits</translation>
    </message>
    <message>
        <source>（成员未知）</source>
        <translation>(members unknown)</translation>
    </message>
    <message>
        <source>标“成员未知”的制度在本地缓存中没有成员记录（尚未同步或未设置），无法确认员工是否适用，已一并列出。</source>
        <translation>Institutions marked “members unknown” have no member records in the local cache (not synced yet or not set), so whether they apply to the employee cannot be confirmed; they are listed anyway.</translation>
    </message>
    <message>
        <source>该员工不在任何启用中的费控制度适用范围内。</source>
        <translation>This employee is not covered by any enabled institution.</translation>
    </message>
    <message>
        <source>请选择员工：输入姓名、工号或手机号搜索。</source>
        <translation>Choose an employee: search by name, employee no. or mobile number.</translation>
    </message>
    <message>
        <source>注意：本地缓存没有该制度的成员记录，无法确认员工是否适用。</source>
        <translation>Note: the local cache has no member records for this institution, so whether it applies to the employee cannot be confirmed.</translation>
    </message>
    <message>
        <source>注意：缓存中没有企业的共同账户ID，链接中使用企业ID代替。</source>
        <translation>Note: the cache has no shared account ID for the enterprise; the link uses the enterprise ID instead.</translation>
    </message>
    <message>
        <source>已复制付款码链接</source>
        <translation>Payment-code link copied</translation>
    </message>
    <message>
        <source>付款码</source>
        <translation>Payment code</translation>
    </message>
    <message>
        <source>保存付款码图片</source>
        <translation>Save the payment-code image</translation>
    </message>
    <message>
        <source>PNG 图片 (*.png)</source>
        <translation>PNG images (*.png)</translation>
    </message>
    <message>
        <source>已保存：%1</source>
        <translation>Saved: %1</translation>
    </message>
    <message>
        <source>打印付款码</source>
        <translation>Print the payment code</translation>
    </message>
</context>
<context>
    <name>QrWidget</name>
    <message>
        <source>无二维码</source>
        <translation>No QR code</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>支付宝应用(&amp;Y)</source>
        <translation>Alipa&amp;y app</translation>
    </message>
    <message>
        <source>同步与中继(&amp;N)</source>
        <translation>Sy&amp;nc and relay</translation>
    </message>
    <message>
        <source>界面与提醒(&amp;U)</source>
        <translation>&amp;UI and notices</translation>
    </message>
    <message>
        <source>应用ID(&amp;A)</source>
        <translation>&amp;App ID</translation>
    </message>
    <message>
        <source>企业ID(&amp;E)</source>
        <translation>&amp;Enterprise ID</translation>
    </message>
    <message>
        <source>网关地址(&amp;G)</source>
        <translation>&amp;Gateway URL</translation>
    </message>
    <message>
        <source>应用私钥(&amp;K)</source>
        <translation>App private &amp;key</translation>
    </message>
    <message>
        <source>支付宝公钥(&amp;P)</source>
        <translation>Alipay &amp;public key</translation>
    </message>
    <message>
        <source>中继地址(&amp;R)</source>
        <translation>&amp;Relay URL</translation>
    </message>
    <message>
        <source>中继令牌(&amp;T)</source>
        <translation>Relay &amp;token</translation>
    </message>
    <message>
        <source>账单同步间隔(&amp;B)</source>
        <translation>&amp;Bills sync interval</translation>
    </message>
    <message>
        <source>组织架构同步间隔(&amp;O)</source>
        <translation>&amp;Org chart sync interval</translation>
    </message>
    <message>
        <source>费控制度同步间隔(&amp;I)</source>
        <translation>&amp;Institutions sync interval</translation>
    </message>
    <message>
        <source>额度同步间隔(&amp;Q)</source>
        <translation>&amp;Quotas sync interval</translation>
    </message>
    <message>
        <source>凭证同步间隔(&amp;V)</source>
        <translation>&amp;Vouchers sync interval</translation>
    </message>
    <message>
        <source>企业信息同步间隔(&amp;E)</source>
        <translation>&amp;Enterprise sync interval</translation>
    </message>
    <message>
        <source>历史回补天数(&amp;D)</source>
        <translation>Backfill &amp;days</translation>
    </message>
    <message>
        <source>语言(&amp;L)</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>外观(&amp;H)</source>
        <translation>T&amp;heme</translation>
    </message>
    <message>
        <source>大额账单提醒(&amp;B)</source>
        <translation>Large-&amp;bill notice</translation>
    </message>
    <message>
        <source>额度提醒</source>
        <translation>Quota notice</translation>
    </message>
    <message>
        <source>企业码开通后支付宝分配的企业ID</source>
        <translation>The enterprise ID Alipay assigns when Enterprise Code is opened</translation>
    </message>
    <message>
        <source>粘贴应用私钥（PKCS#1 或 PKCS#8，PEM 或一行 Base64）；留空则保留已保存的私钥</source>
        <translation>Paste the app private key (PKCS#1 or PKCS#8, PEM or one base64 line); leave empty to keep the saved key</translation>
    </message>
    <message>
        <source>粘贴支付宝公钥（不是应用公钥）</source>
        <translation>Paste the Alipay public key (not the app public key)</translation>
    </message>
    <message>
        <source>从文件读取(&amp;F)…</source>
        <translation>From &amp;file…</translation>
    </message>
    <message>
        <source>从文件读取(&amp;M)…</source>
        <translation>Fro&amp;m file…</translation>
    </message>
    <message>
        <source>中继服务器分配的访问令牌</source>
        <translation>Access token issued by the relay server</translation>
    </message>
    <message>
        <source> 秒</source>
        <translation> s</translation>
    </message>
    <message>
        <source> 天</source>
        <translation> days</translation>
    </message>
    <message>
        <source>跟随系统</source>
        <translation>Follow the system</translation>
    </message>
    <message>
        <source>浅色</source>
        <translation>Light</translation>
    </message>
    <message>
        <source>深色</source>
        <translation>Dark</translation>
    </message>
    <message>
        <source>元</source>
        <translation>yuan</translation>
    </message>
    <message>
        <source>新账单金额达到此数（元）时在托盘提醒；0 表示每笔都提醒</source>
        <translation>Notify in the tray when a new bill reaches this amount (yuan); 0 notifies every bill</translation>
    </message>
    <message>
        <source>额度用尽时在托盘提醒(&amp;X)</source>
        <translation>Notify in the tray when a quota is e&amp;xhausted</translation>
    </message>
    <message>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>新私钥指纹 %1（保存后替换已保存的私钥）</source>
        <translation>New private key, fingerprint %1 (replaces the saved key when saved)</translation>
    </message>
    <message>
        <source>已从文件 %1 读取新私钥，指纹 %2（保存后生效）</source>
        <translation>New private key read from %1, fingerprint %2 (takes effect when saved)</translation>
    </message>
    <message>
        <source>正在读取已保存的私钥…</source>
        <translation>Reading the saved private key…</translation>
    </message>
    <message>
        <source>已保存，指纹 %1</source>
        <translation>Saved, fingerprint %1</translation>
    </message>
    <message>
        <source>尚未保存应用私钥</source>
        <translation>No app private key saved yet</translation>
    </message>
    <message>
        <source>尚未填写支付宝公钥</source>
        <translation>No Alipay public key yet</translation>
    </message>
    <message>
        <source>无法识别的公钥</source>
        <translation>Not a recognisable public key</translation>
    </message>
    <message>
        <source>公钥指纹 %1</source>
        <translation>Public key fingerprint %1</translation>
    </message>
    <message>
        <source>选择应用私钥文件</source>
        <translation>Choose the app private key file</translation>
    </message>
    <message>
        <source>密钥文件 (*.pem *.key *.txt *.der);;所有文件 (*)</source>
        <translation>Key files (*.pem *.key *.txt *.der);;All files (*)</translation>
    </message>
    <message>
        <source>选择支付宝公钥文件</source>
        <translation>Choose the Alipay public key file</translation>
    </message>
    <message>
        <source>密钥文件 (*.pem *.crt *.txt *.der);;所有文件 (*)</source>
        <translation>Key files (*.pem *.crt *.txt *.der);;All files (*)</translation>
    </message>
    <message>
        <source>保存设置</source>
        <translation>Saving the settings</translation>
    </message>
    <message>
        <source>有 %1 处需要修改，尚未保存任何内容</source>
        <translation>%1 field(s) need fixing; nothing has been saved</translation>
    </message>
</context>
<context>
    <name>SyncHealthDialog</name>
    <message>
        <source>同步状态</source>
        <translation>Sync status</translation>
    </message>
    <message>
        <source>任务</source>
        <translation>Job</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>上次运行</source>
        <translation>Last run</translation>
    </message>
    <message>
        <source>上次成功</source>
        <translation>Last success</translation>
    </message>
    <message>
        <source>下次运行</source>
        <translation>Next run</translation>
    </message>
    <message>
        <source>连续失败</source>
        <translation>Consecutive failures</translation>
    </message>
    <message>
        <source>错误</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>无法读取同步状态：%1</source>
        <translation>Cannot read the sync status: %1</translation>
    </message>
    <message>
        <source>全部正常</source>
        <translation>All healthy</translation>
    </message>
    <message>
        <source>%1 项需要关注</source>
        <translation>%1 job(s) need attention</translation>
    </message>
</context>
<context>
    <name>VouchersTab</name>
    <message>
        <source>凭证ID</source>
        <translation>Voucher ID</translation>
    </message>
    <message>
        <source>账单号</source>
        <translation>Bill no.</translation>
    </message>
    <message>
        <source>员工</source>
        <translation>Employee</translation>
    </message>
    <message>
        <source>凭证类型</source>
        <translation>Voucher type</translation>
    </message>
    <message>
        <source>开票日期</source>
        <translation>Invoice date</translation>
    </message>
    <message>
        <source>发票代码</source>
        <translation>Invoice code</translation>
    </message>
    <message>
        <source>发票号码</source>
        <translation>Invoice number</translation>
    </message>
    <message>
        <source>发票金额</source>
        <translation>Invoice amount</translation>
    </message>
    <message>
        <source>税额</source>
        <translation>Tax</translation>
    </message>
    <message>
        <source>销售方</source>
        <translation>Seller</translation>
    </message>
    <message>
        <source>搜索凭证ID、账单号、发票号码、销售方… (Ctrl+F)</source>
        <translation>Search voucher ID, bill no., invoice number, seller… (Ctrl+F)</translation>
    </message>
    <message>
        <source>选择一张凭证查看内容</source>
        <translation>Select a voucher to see its content</translation>
    </message>
    <message>
        <source>查看账单(&amp;B)</source>
        <translation>Show &amp;bill</translation>
    </message>
    <message>
        <source>凭证 %1</source>
        <translation>Voucher %1</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>操作失败</source>
        <translation>Operation failed</translation>
    </message>
    <message>
        <source>%1失败</source>
        <translation>%1 failed</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <source>已支付</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>已退款</source>
        <translation>Refunded</translation>
    </message>
    <message>
        <source>已关闭</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>已注册</source>
        <translation>Registered</translation>
    </message>
    <message>
        <source>已签约</source>
        <translation>Signed</translation>
    </message>
    <message>
        <source>已解约</source>
        <translation>Terminated</translation>
    </message>
    <message>
        <source>已注销</source>
        <translation>Deregistered</translation>
    </message>
    <message>
        <source>待激活</source>
        <translation>Not activated</translation>
    </message>
    <message>
        <source>已激活</source>
        <translation>Activated</translation>
    </message>
    <message>
        <source>已删除</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>冻结</source>
        <translation>Frozen</translation>
    </message>
    <message>
        <source>已用完</source>
        <translation>Used up</translation>
    </message>
    <message>
        <source>已过期</source>
        <translation>Expired</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Enabled</translation>
    </message>
    <message>
        <source>停用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <source>全体员工</source>
        <translation>All employees</translation>
    </message>
    <message>
        <source>指定员工</source>
        <translation>Selected employees</translation>
    </message>
    <message>
        <source>指定部门</source>
        <translation>Selected departments</translation>
    </message>
    <message>
        <source>已接收</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>已处理</source>
        <translation>Processed</translation>
    </message>
    <message>
        <source>处理失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>已忽略</source>
        <translation>Ignored</translation>
    </message>
    <message>
        <source>消费</source>
        <translation>Payment</translation>
    </message>
    <message>
        <source>退款</source>
        <translation>Refund</translation>
    </message>
    <message>
        <source>未签约</source>
        <translation>Not signed</translation>
    </message>
    <message>
        <source>已授权</source>
        <translation>Authorized</translation>
    </message>
    <message>
        <source>未授权</source>
        <translation>Not authorized</translation>
    </message>
    <message>
        <source>限额</source>
        <translation>Limit</translation>
    </message>
    <message>
        <source>券</source>
        <translation>Coupon</translation>
    </message>
    <message>
        <source>工作餐</source>
        <translation>Staff meals</translation>
    </message>
    <message>
        <source>通用</source>
        <translation>General</translation>
    </message>
</context>
<context>
    <name>tabs</name>
    <message>
        <source>企业</source>
        <translation>Enterprise</translation>
    </message>
    <message>
        <source>组织架构</source>
        <translation>Org chart</translation>
    </message>
    <message>
        <source>费控制度</source>
        <translation>Institutions</translation>
    </message>
    <message>
        <source>额度</source>
        <translation>Quotas</translation>
    </message>
    <message>
        <source>账单</source>
        <translation>Bills</translation>
    </message>
    <message>
        <source>凭证</source>
        <translation>Vouchers</translation>
    </message>
    <message>
        <source>付款码</source>
        <translation>Payment code</translation>
    </message>
    <message>
        <source>通知</source>
        <translation>Notifications</translation>
    </message>
</context>
</TS>
