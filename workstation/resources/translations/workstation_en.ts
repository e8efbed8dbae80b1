<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ActionFormDialog</name>
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
    <name>BatchIssueDialog</name>
    <message>
        <source>按部门批量发放额度</source>
        <translation>Issue quotas to a department</translation>
    </message>
    <message>
        <source>含下级部门(&amp;U)</source>
        <translation>Incl. s&amp;ub-departments</translation>
    </message>
    <message>
        <source>每人金额，如 200.00</source>
        <translation>Amount per person, e.g. 200.00</translation>
    </message>
    <message>
        <source>只发给制度适用范围内的员工(&amp;O)</source>
        <translation>&amp;Only employees the institution applies to</translation>
    </message>
    <message>
        <source>部门(&amp;D)</source>
        <translation>&amp;Department</translation>
    </message>
    <message>
        <source>费控制度(&amp;I)</source>
        <translation>&amp;Institution</translation>
    </message>
    <message>
        <source>每人金额(&amp;A)</source>
        <translation>&amp;Amount each</translation>
    </message>
    <message>
        <source>生效时间(&amp;F)</source>
        <translation>Valid &amp;from</translation>
    </message>
    <message>
        <source>失效时间(&amp;T)</source>
        <translation>Valid &amp;to</translation>
    </message>
    <message>
        <source>预览(&amp;P)</source>
        <translation>&amp;Preview</translation>
    </message>
    <message>
        <source>选择部门和金额后点击“预览”，确认名单后再发放。</source>
        <translation>Choose a department and an amount, click “Preview”, check the list, then issue.</translation>
    </message>
    <message>
        <source>发放(&amp;S)</source>
        <translation>I&amp;ssue</translation>
    </message>
    <message>
        <source>重试未完成(&amp;R)</source>
        <translation>&amp;Retry unfinished</translation>
    </message>
    <message>
        <source>停止</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>关闭(&amp;C)</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <source>条件已修改，请重新预览。</source>
        <translation>The conditions changed: preview again.</translation>
    </message>
    <message>
        <source>预览批量发放</source>
        <translation>Preview the batch issue</translation>
    </message>
    <message>
        <source>%1 共 %2 人，每人 %3，合计 %4。</source>
        <translation>%1: %2 people, %3 each, %4 in total.</translation>
    </message>
    <message>
        <source>其中 %1 人不在该制度的适用范围内。</source>
        <translation> %1 of them are outside the institution&apos;s scope.</translation>
    </message>
    <message>
        <source>批量发放额度</source>
        <translation>Issue quotas in a batch</translation>
    </message>
    <message>
        <source>已发放 %1 人，失败 %2 人，待确认 %3 人。</source>
        <translation>Issued %1, failed %2, awaiting confirmation %3.</translation>
    </message>
    <message>
        <source>可点击“重试未完成”，已发放的员工不会重复发放。</source>
        <translation> Click “Retry unfinished”: nobody already issued gets a second quota.</translation>
    </message>
</context>
<context>
    <name>BatchPreviewModel</name>
    <message>
        <source>员工</source>
        <translation>Employee</translation>
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
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>制度范围</source>
        <translation>Institution scope</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>已发放</source>
        <translation>Issued</translation>
    </message>
    <message>
        <source>失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>待确认</source>
        <translation>Awaiting confirmation</translation>
    </message>
    <message>
        <source>在范围内</source>
        <translation>In scope</translation>
    </message>
    <message>
        <source>不在范围内</source>
        <translation>Not in scope</translation>
    </message>
</context>
<context>
    <name>BillTableModel</name>
    <message>
        <source>交易时间</source>
        <translation>Trade time</translation>
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
        <source>退款金额</source>
        <translation>Refund</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>账单号</source>
        <translation>Pay no.</translation>
    </message>
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
</context>
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
    <name>EmployeePickerModel</name>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
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
        <source>已是成员</source>
        <translation>Already a member</translation>
    </message>
</context>
<context>
    <name>EnterpriseConfirmDialog</name>
    <message>
        <source>请输入企业名称“%1”以确认(&amp;C)：</source>
        <translation>Type the enterprise name “%1” to &amp;confirm:</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>EnterpriseModifyDialog</name>
    <message>
        <source>企业名称(&amp;N)：</source>
        <translation>Enterprise &amp;name:</translation>
    </message>
    <message>
        <source>企业简称(&amp;A)：</source>
        <translation>Short n&amp;ame:</translation>
    </message>
    <message>
        <source>员工付款时看到的简称，修改后需支付宝审核</source>
        <translation>The short name employees see when paying; Alipay reviews changes</translation>
    </message>
</context>
<context>
    <name>EnterpriseTab</name>
    <message>
        <source>企业信息</source>
        <translation>Enterprise</translation>
    </message>
    <message>
        <source>企业名称：</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>企业简称：</source>
        <translation>Short name:</translation>
    </message>
    <message>
        <source>企业ID：</source>
        <translation>Enterprise ID:</translation>
    </message>
    <message>
        <source>统一社会信用代码：</source>
        <translation>Unified social credit code:</translation>
    </message>
    <message>
        <source>共同账户ID：</source>
        <translation>Shared account ID:</translation>
    </message>
    <message>
        <source>状态：</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>因公付签约：</source>
        <translation>Business-payment agreement:</translation>
    </message>
    <message>
        <source>企业认证：</source>
        <translation>Verification:</translation>
    </message>
    <message>
        <source>注册邀请流水号：</source>
        <translation>Registration invite number:</translation>
    </message>
    <message>
        <source>支付宝侧更新时间：</source>
        <translation>Last changed at Alipay:</translation>
    </message>
    <message>
        <source>从支付宝刷新(&amp;R)</source>
        <translation>&amp;Refresh from Alipay</translation>
    </message>
    <message>
        <source>修改信息(&amp;M)…</source>
        <translation>&amp;Modify…</translation>
    </message>
    <message>
        <source>邀请签约(&amp;I)</source>
        <translation>&amp;Invite to sign</translation>
    </message>
    <message>
        <source>解约(&amp;U)…</source>
        <translation>&amp;Unsign…</translation>
    </message>
    <message>
        <source>注销企业(&amp;D)…</source>
        <translation>&amp;Delete enterprise…</translation>
    </message>
    <message>
        <source>复制链接(&amp;C)</source>
        <translation>&amp;Copy link</translation>
    </message>
    <message>
        <source>邀请签约二维码</source>
        <translation>Sign-up invitation QR code</translation>
    </message>
    <message>
        <source>本地还没有企业信息：请先同步（F5）或点击“从支付宝刷新”。</source>
        <translation>The enterprise is not cached yet: sync (F5) or click “Refresh from Alipay”.</translation>
    </message>
    <message>
        <source>已注册，未签约</source>
        <translation>Registered, not signed</translation>
    </message>
    <message>
        <source>已签约</source>
        <translation>Signed</translation>
    </message>
    <message>
        <source>已解约</source>
        <translation>Unsigned</translation>
    </message>
    <message>
        <source>已注销</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <source>未签约</source>
        <translation>Not signed</translation>
    </message>
    <message>
        <source>已认证</source>
        <translation>Verified</translation>
    </message>
    <message>
        <source>认证中</source>
        <translation>Verifying</translation>
    </message>
    <message>
        <source>未认证</source>
        <translation>Not verified</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>解约确认二维码</source>
        <translation>Unsign confirmation QR code</translation>
    </message>
    <message>
        <source>请企业管理员用支付宝扫码（或打开链接），确认解除因公付协议。</source>
        <translation>The enterprise administrator scans this with Alipay (or opens the link) to confirm ending the business-payment agreement.</translation>
    </message>
    <message>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>请企业管理员扫码或打开链接，完成注册、认证与签约。有效期至 %1。</source>
        <translation>The enterprise administrator scans this or opens the link to register, verify and sign. Valid until %1.</translation>
    </message>
    <message>
        <source>点击“邀请签约”生成企业管理员的注册与签约链接。</source>
        <translation>Click “Invite to sign” to create the administrator&apos;s registration and sign-up link.</translation>
    </message>
    <message>
        <source>未配置支付宝应用：请先在“设置”中填写应用ID和密钥</source>
        <translation>No Alipay app is configured: fill in the app ID and keys under Settings first</translation>
    </message>
    <message>
        <source>重新读取支付宝上的企业信息</source>
        <translation>Read the enterprise again from Alipay</translation>
    </message>
    <message>
        <source>修改企业名称或简称</source>
        <translation>Change the enterprise name or short name</translation>
    </message>
    <message>
        <source>生成企业管理员注册、认证与签约的链接和二维码</source>
        <translation>Create the administrator&apos;s link and QR code to register, verify and sign</translation>
    </message>
    <message>
        <source>解除因公付协议（员工将不能再用企业码付款）</source>
        <translation>End the business-payment agreement (employees can no longer pay with Enterprise Code)</translation>
    </message>
    <message>
        <source>在支付宝注销企业码企业，不可恢复</source>
        <translation>Delete the Enterprise Code enterprise at Alipay; this cannot be undone</translation>
    </message>
    <message>
        <source>企业已在支付宝注销。本地缓存的组织架构、账单和凭证仍保留，仅供查阅。</source>
        <translation>The enterprise was deleted at Alipay. The cached org chart, bills and vouchers stay, read-only.</translation>
    </message>
    <message>
        <source>因公付协议已解除：员工暂时不能用企业码付款。如需恢复，请重新邀请签约。</source>
        <translation>The business-payment agreement has ended: employees cannot pay with Enterprise Code. Invite to sign again to restore it.</translation>
    </message>
    <message>
        <source>刷新企业信息</source>
        <translation>Refresh the enterprise</translation>
    </message>
    <message>
        <source>修改企业信息</source>
        <translation>Modify the enterprise</translation>
    </message>
    <message>
        <source>生成邀请签约链接</source>
        <translation>Create the sign-up invitation</translation>
    </message>
    <message>
        <source>解约</source>
        <translation>Unsign</translation>
    </message>
    <message>
        <source>解除“%1”的企业码因公付协议？</source>
        <translation>End the Enterprise Code business-payment agreement of “%1”?</translation>
    </message>
    <message>
        <source>全体员工将不能再用企业码因公付款，已发放的额度也无法再用于付款；</source>
        <translation>No employee can pay for business with Enterprise Code any more, and issued quotas can no longer be spent;</translation>
    </message>
    <message>
        <source>支付宝会返回一个解约链接（显示为二维码），企业管理员需扫码确认后解约才最终生效；</source>
        <translation>Alipay answers with an unsign link (shown as a QR code); the unsigning takes effect once the administrator confirms it;</translation>
    </message>
    <message>
        <source>员工、部门、费控制度和额度仍保留在支付宝，重新签约后可继续使用；</source>
        <translation>Employees, departments, expense institutions and quotas stay at Alipay and work again after signing anew;</translation>
    </message>
    <message>
        <source>本地缓存的数据不会删除，账单、凭证照常可查、可对账。</source>
        <translation>Nothing cached here is deleted: bills and vouchers can still be viewed and reconciled.</translation>
    </message>
    <message>
        <source>解约(&amp;U)</source>
        <translation>&amp;Unsign</translation>
    </message>
    <message>
        <source>注销企业</source>
        <translation>Delete enterprise</translation>
    </message>
    <message>
        <source>在支付宝注销企业“%1”？此操作不可恢复。</source>
        <translation>Delete the enterprise “%1” at Alipay? This cannot be undone.</translation>
    </message>
    <message>
        <source>企业码企业将被注销：全体员工立即不能再用企业码付款，未用完的额度作废；</source>
        <translation>The Enterprise Code enterprise is cancelled: no employee can pay with Enterprise Code any more, and unused quotas lapse;</translation>
    </message>
    <message>
        <source>支付宝上的部门、员工、费控制度和额度随企业一并清理，不能恢复；</source>
        <translation>Its departments, employees, expense institutions and quotas at Alipay are removed with it and cannot be restored;</translation>
    </message>
    <message>
        <source>之后与该企业有关的同步和操作都会失败；</source>
        <translation>Afterwards every sync and action for this enterprise fails;</translation>
    </message>
    <message>
        <source>本地缓存的组织架构、账单和凭证保留为只读历史，供查阅与对账，不会被删除。</source>
        <translation>The cached org chart, bills and vouchers stay as read-only history for viewing and reconciliation; nothing local is deleted.</translation>
    </message>
    <message>
        <source>注销企业(&amp;D)</source>
        <translation>&amp;Delete enterprise</translation>
    </message>
</context>
<context>
    <name>ExpenseRuleDialog</name>
    <message>
        <source>编辑使用规则</source>
        <translation>Edit use rule</translation>
    </message>
    <message>
        <source>新建使用规则</source>
        <translation>New use rule</translation>
    </message>
    <message>
        <source>保存使用规则</source>
        <translation>Save the use rule</translation>
    </message>
    <message>
        <source>如 11:00-14:00，多个用逗号分隔</source>
        <translation>e.g. 11:00-14:00; separate several with commas</translation>
    </message>
    <message>
        <source>商户编号（PID），多个用逗号分隔</source>
        <translation>Merchant ids (PID), separated by commas</translation>
    </message>
    <message>
        <source>4位商户类别码，如 5812（餐馆）</source>
        <translation>4-digit merchant category codes, e.g. 5812 (restaurants)</translation>
    </message>
    <message>
        <source>限定有效期(&amp;V)</source>
        <translation>Limit &amp;validity</translation>
    </message>
    <message>
        <source>规则名称(&amp;N)</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <source>说明(&amp;D)</source>
        <translation>&amp;Description</translation>
    </message>
    <message>
        <source>每日限额(&amp;Y)</source>
        <translation>Dail&amp;y cap</translation>
    </message>
    <message>
        <source>每月限额(&amp;M)</source>
        <translation>&amp;Monthly cap</translation>
    </message>
    <message>
        <source>累计限额(&amp;L)</source>
        <translation>Tota&amp;l cap</translation>
    </message>
    <message>
        <source>可用时段(&amp;W)</source>
        <translation>Time &amp;window</translation>
    </message>
    <message>
        <source>限定商户(&amp;S)</source>
        <translation>Merchant&amp;s</translation>
    </message>
    <message>
        <source>商户类别(&amp;C)</source>
        <translation>Merchant &amp;categories</translation>
    </message>
    <message>
        <source>有效期</source>
        <translation>Validity</translation>
    </message>
    <message>
        <source>不限</source>
        <translation>No limit</translation>
    </message>
</context>
<context>
    <name>ExpenseRuleModel</name>
    <message>
        <source>规则名称</source>
        <translation>Rule</translation>
    </message>
    <message>
        <source>使用条件</source>
        <translation>Conditions</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>规则ID</source>
        <translation>Rule ID</translation>
    </message>
    <message>
        <source>每日限额 %1</source>
        <translation>daily cap %1</translation>
    </message>
    <message>
        <source>每周限额 %1</source>
        <translation>weekly cap %1</translation>
    </message>
    <message>
        <source>每月限额 %1</source>
        <translation>monthly cap %1</translation>
    </message>
    <message>
        <source>累计限额 %1</source>
        <translation>total cap %1</translation>
    </message>
    <message>
        <source>单笔限额 %1</source>
        <translation>per-payment cap %1</translation>
    </message>
    <message>
        <source>可用时段 %1</source>
        <translation>hours %1</translation>
    </message>
    <message>
        <source>限定商户 %1</source>
        <translation>merchants %1</translation>
    </message>
    <message>
        <source>限定餐饮商户 %1</source>
        <translation>restaurants %1</translation>
    </message>
    <message>
        <source>限定门店 %1</source>
        <translation>shops %1</translation>
    </message>
    <message>
        <source>商户类别 %1</source>
        <translation>merchant categories %1</translation>
    </message>
    <message>
        <source>有效期 %1</source>
        <translation>valid %1</translation>
    </message>
    <message>
        <source> 等%1个</source>
        <translation> (%1 in all)</translation>
    </message>
</context>
<context>
    <name>ExportJob</name>
    <message>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>CSV 文件（UTF-8，逗号分隔） (*.csv)</source>
        <translation>CSV file (UTF-8, comma-separated) (*.csv)</translation>
    </message>
    <message>
        <source>导出当前视图</source>
        <translation>Export the current view</translation>
    </message>
    <message>
        <source>导出完成</source>
        <translation>Export finished</translation>
    </message>
    <message>
        <source>已导出 %1 行到 %2。</source>
        <translation>Exported %1 rows to %2.</translation>
    </message>
    <message>
        <source>位置：%1</source>
        <translation>Folder: %1</translation>
    </message>
    <message>
        <source>打开文件(&amp;O)</source>
        <translation>&amp;Open file</translation>
    </message>
    <message>
        <source>打开所在文件夹(&amp;F)</source>
        <translation>Open &amp;folder</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>ExportProgressDialog</name>
    <message>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>正在导出到 %1 …
已写入 %2 行</source>
        <translation>Exporting to %1…
%2 rows written</translation>
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
    <name>InstitutionDialog</name>
    <message>
        <source>指定员工</source>
        <translation>Selected employees</translation>
    </message>
    <message>
        <source>指定部门</source>
        <translation>Selected departments</translation>
    </message>
    <message>
        <source>全体员工</source>
        <translation>All employees</translation>
    </message>
    <message>
        <source>编辑费控制度</source>
        <translation>Edit expense institution</translation>
    </message>
    <message>
        <source>新建费控制度</source>
        <translation>New expense institution</translation>
    </message>
    <message>
        <source>保存费控制度</source>
        <translation>Save the expense institution</translation>
    </message>
    <message>
        <source>设置结束时间</source>
        <translation>Set an end</translation>
    </message>
    <message>
        <source>制度名称(&amp;N)</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <source>说明(&amp;D)</source>
        <translation>&amp;Description</translation>
    </message>
    <message>
        <source>费用类型(&amp;T)</source>
        <translation>Expense &amp;type</translation>
    </message>
    <message>
        <source>生效开始(&amp;S)</source>
        <translation>&amp;Starts</translation>
    </message>
    <message>
        <source>生效结束(&amp;E)</source>
        <translation>&amp;Ends</translation>
    </message>
    <message>
        <source>启用(&amp;A)</source>
        <translation>&amp;Active</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>选择成员(&amp;M)…</source>
        <translation>Choose &amp;members…</translation>
    </message>
    <message>
        <source>适用范围(&amp;R)</source>
        <translation>Applies &amp;to</translation>
    </message>
    <message>
        <source>添加规则(&amp;U)…</source>
        <translation>Add &amp;use rule…</translation>
    </message>
    <message>
        <source>移除规则</source>
        <translation>Remove rule</translation>
    </message>
    <message>
        <source>使用规则</source>
        <translation>Use rules</translation>
    </message>
    <message>
        <source>适用于全体员工</source>
        <translation>Applies to all employees</translation>
    </message>
    <message>
        <source>已选 %1 个部门</source>
        <translation>%1 department(s) chosen</translation>
    </message>
    <message>
        <source>已选 %1 人</source>
        <translation>%1 people chosen</translation>
    </message>
</context>
<context>
    <name>InstitutionMemberModel</name>
    <message>
        <source>成员</source>
        <translation>Member</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>工号</source>
        <translation>Employee no.</translation>
    </message>
    <message>
        <source>所属部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>员工</source>
        <translation>Employee</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
</context>
<context>
    <name>InstitutionTableModel</name>
    <message>
        <source>制度名称</source>
        <translation>Institution</translation>
    </message>
    <message>
        <source>费用类型</source>
        <translation>Expense type</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>适用范围</source>
        <translation>Applies to</translation>
    </message>
    <message>
        <source>成员数</source>
        <translation>Members</translation>
    </message>
    <message>
        <source>规则数</source>
        <translation>Rules</translation>
    </message>
    <message>
        <source>生效开始</source>
        <translation>Starts</translation>
    </message>
    <message>
        <source>生效结束</source>
        <translation>Ends</translation>
    </message>
    <message>
        <source>制度ID</source>
        <translation>Institution ID</translation>
    </message>
    <message>
        <source>启用</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>停用</source>
        <translation>Inactive</translation>
    </message>
    <message>
        <source>已删除</source>
        <translation>Deleted</translation>
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
        <source>通用</source>
        <translation>General</translation>
    </message>
    <message>
        <source>工作餐</source>
        <translation>Meals</translation>
    </message>
</context>
<context>
    <name>InstitutionsTab</name>
    <message>
        <source>搜索制度名称或ID (Ctrl+F)</source>
        <translation>Search institution name or ID (Ctrl+F)</translation>
    </message>
    <message>
        <source>新建制度(&amp;N)…</source>
        <translation>&amp;New institution…</translation>
    </message>
    <message>
        <source>编辑(&amp;E)…</source>
        <translation>&amp;Edit…</translation>
    </message>
    <message>
        <source>删除制度</source>
        <translation>Delete institution</translation>
    </message>
    <message>
        <source>新建规则(&amp;R)…</source>
        <translation>New &amp;rule…</translation>
    </message>
    <message>
        <source>编辑规则(&amp;U)…</source>
        <translation>Edit r&amp;ule…</translation>
    </message>
    <message>
        <source>删除规则</source>
        <translation>Delete rule</translation>
    </message>
    <message>
        <source>在成员中查找</source>
        <translation>Find among members</translation>
    </message>
    <message>
        <source>添加员工(&amp;A)…</source>
        <translation>&amp;Add employees…</translation>
    </message>
    <message>
        <source>添加部门(&amp;P)…</source>
        <translation>Add de&amp;partments…</translation>
    </message>
    <message>
        <source>移除所选(&amp;V)</source>
        <translation>Remo&amp;ve selected</translation>
    </message>
    <message>
        <source>设为全体员工</source>
        <translation>Apply to everyone</translation>
    </message>
    <message>
        <source>使用规则</source>
        <translation>Use rules</translation>
    </message>
    <message>
        <source>适用成员</source>
        <translation>Members</translation>
    </message>
    <message>
        <source>读取制度成员</source>
        <translation>Reading the institution&apos;s members</translation>
    </message>
    <message>
        <source>尚未配置支付宝应用：请先在“设置”中填写应用ID和密钥</source>
        <translation>No Alipay app is configured yet: fill in the app ID and keys under Settings</translation>
    </message>
    <message>
        <source>费控制度</source>
        <translation>Expense institutions</translation>
    </message>
    <message>
        <source>制度数</source>
        <translation>Institutions</translation>
    </message>
    <message>
        <source>没有费控制度</source>
        <translation>No expense institutions</translation>
    </message>
    <message>
        <source>%1 · %2 · 适用于%3 · 生效 %4 至 %5 · 制度ID %6</source>
        <translation>%1 · %2 · applies to %3 · valid %4 to %5 · institution ID %6</translation>
    </message>
    <message>
        <source>适用于全体员工</source>
        <translation>Applies to all employees</translation>
    </message>
    <message>
        <source>共 %1 个成员</source>
        <translation>%1 member(s)</translation>
    </message>
    <message>
        <source>删除费控制度</source>
        <translation>Delete expense institution</translation>
    </message>
    <message>
        <source>删除“%1”？支付宝将一并删除它的使用规则、适用成员和在该制度下发放的额度。</source>
        <translation>Delete “%1”? Alipay also deletes its use rules, its members and the quotas issued under it.</translation>
    </message>
    <message>
        <source>删除使用规则</source>
        <translation>Delete use rule</translation>
    </message>
    <message>
        <source>删除使用规则“%1”？</source>
        <translation>Delete the use rule “%1”?</translation>
    </message>
    <message>
        <source>添加制度成员</source>
        <translation>Adding institution members</translation>
    </message>
    <message>
        <source>“%1”目前适用于%2（%3 个）。改为按%4适用后，原有成员将被移除。继续？</source>
        <translation>“%1” now applies to %2 (%3). Applying it by %4 instead removes the current members. Continue?</translation>
    </message>
    <message>
        <source>员工</source>
        <translation>employee</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>department</translation>
    </message>
    <message>
        <source>移除制度成员</source>
        <translation>Removing institution members</translation>
    </message>
    <message>
        <source>从“%1”移除 %2 个成员：%3？</source>
        <translation>Remove %2 member(s) from “%1”: %3?</translation>
    </message>
    <message>
        <source>让“%1”适用于全体员工？现有的成员名单将被清空。</source>
        <translation>Apply “%1” to all employees? The current member list is cleared.</translation>
    </message>
</context>
<context>
    <name>IssueActionModel</name>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>员工</source>
        <translation>Employee</translation>
    </message>
    <message>
        <source>费控制度</source>
        <translation>Institution</translation>
    </message>
    <message>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>失效时间</source>
        <translation>Valid to</translation>
    </message>
    <message>
        <source>已尝试</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <source>发起时间</source>
        <translation>Started</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>待确认</source>
        <translation>Awaiting confirmation</translation>
    </message>
    <message>
        <source>失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>已发放</source>
        <translation>Issued</translation>
    </message>
</context>
<context>
    <name>IssueQuotaDialog</name>
    <message>
        <source>发放额度</source>
        <translation>Issue quota</translation>
    </message>
    <message>
        <source>输入姓名或工号查找</source>
        <translation>Type a name or employee no.</translation>
    </message>
    <message>
        <source>如 500.00（元）</source>
        <translation>e.g. 500.00 (yuan)</translation>
    </message>
    <message>
        <source>员工(&amp;E)</source>
        <translation>&amp;Employee</translation>
    </message>
    <message>
        <source>费控制度(&amp;I)</source>
        <translation>&amp;Institution</translation>
    </message>
    <message>
        <source>金额(&amp;A)</source>
        <translation>&amp;Amount</translation>
    </message>
    <message>
        <source>生效时间(&amp;F)</source>
        <translation>Valid &amp;from</translation>
    </message>
    <message>
        <source>失效时间(&amp;T)</source>
        <translation>Valid &amp;to</translation>
    </message>
    <message>
        <source>重复点击确定或失败后重试都只会发放一次。</source>
        <translation>Clicking OK twice, or again after a failure, issues the quota only once.</translation>
    </message>
    <message>
        <source>这笔发放已记为“待确认”：可再次点击确定，或稍后在额度页重试，都不会重复发放。</source>
        <translation>This issue is kept as “awaiting confirmation”: click OK again, or retry later on the Quotas tab; it is never issued twice.</translation>
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
        <source>此页没有可导出的表格</source>
        <translation>This page has no table to export</translation>
    </message>
    <message>
        <source>此页没有可打印的内容</source>
        <translation>This page has nothing to print</translation>
    </message>
    <message>
        <source>此模式下不能修改设置</source>
        <translation>Settings cannot be changed in this mode</translation>
    </message>
    <message>
        <source>设置已保存；支付宝、同步和中继的更改在重新启动后生效</source>
        <translation>Settings saved; changes to Alipay, sync and relay take effect after a restart</translation>
    </message>
    <message>
        <source>设置已保存</source>
        <translation>Settings saved</translation>
    </message>
    <message>
        <source>无法开始同步：%1</source>
        <translation>Cannot start syncing: %1</translation>
    </message>
</context>
<context>
    <name>MemberPickerDialog</name>
    <message>
        <source>选择员工</source>
        <translation>Choose employees</translation>
    </message>
    <message>
        <source>选择部门</source>
        <translation>Choose departments</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>已是成员</source>
        <translation>Already a member</translation>
    </message>
    <message>
        <source>搜索姓名、工号或手机号</source>
        <translation>Search name, employee no. or mobile</translation>
    </message>
    <message>
        <source>全选当前结果(&amp;L)</source>
        <translation>Check a&amp;ll shown</translation>
    </message>
    <message>
        <source>清除选择</source>
        <translation>Clear choice</translation>
    </message>
    <message>
        <source>查找(&amp;F)</source>
        <translation>&amp;Find</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>已选 %1 人</source>
        <translation>%1 people chosen</translation>
    </message>
    <message>
        <source>已选 %1 个部门</source>
        <translation>%1 department(s) chosen</translation>
    </message>
</context>
<context>
    <name>ModifyQuotaDialog</name>
    <message>
        <source>增加额度</source>
        <translation>Add to the quota</translation>
    </message>
    <message>
        <source>扣减额度</source>
        <translation>Deduct from the quota</translation>
    </message>
    <message>
        <source>设置可用余额</source>
        <translation>Set the available balance</translation>
    </message>
    <message>
        <source>冻结</source>
        <translation>Freeze</translation>
    </message>
    <message>
        <source>解冻</source>
        <translation>Unfreeze</translation>
    </message>
    <message>
        <source>调整额度</source>
        <translation>Adjust quota</translation>
    </message>
    <message>
        <source>%1 · %2
总额度 %3，可用 %4</source>
        <translation>%1 · %2
Total %3, available %4</translation>
    </message>
    <message>
        <source>金额（元）</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <source>调整方式(&amp;M)</source>
        <translation>&amp;Change</translation>
    </message>
    <message>
        <source>金额(&amp;A)</source>
        <translation>&amp;Amount</translation>
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
        <translation>Employees</translation>
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
        <translation>Employee n&amp;o.:</translation>
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
        <translation>Pending</translation>
    </message>
    <message>
        <source>已激活</source>
        <translation>Active</translation>
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
    <name>OrgImportDialog</name>
    <message>
        <source>批量导入员工</source>
        <translation>Import employees</translation>
    </message>
    <message>
        <source>请选择 CSV 或 Excel（XLSX）文件。表头：姓名、手机、邮箱、工号、部门</source>
        <translation>Choose a CSV or Excel (XLSX) file. Headers: 姓名, 手机, 邮箱, 工号, 部门 (name, mobile, email, employee no., department)</translation>
    </message>
    <message>
        <source>选择文件(&amp;O)…</source>
        <translation>&amp;Open file…</translation>
    </message>
    <message>
        <source>应用导入(&amp;A)</source>
        <translation>&amp;Apply import</translation>
    </message>
    <message>
        <source>保存问题行(&amp;S)…</source>
        <translation>&amp;Save problem rows…</translation>
    </message>
    <message>
        <source>把有误、失败或未发送的行连同原因保存为 CSV，改正后可再次导入</source>
        <translation>Save the invalid, failed or unsent rows with their reasons as CSV, to fix and import again</translation>
    </message>
    <message>
        <source>关闭(&amp;C)</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <source>未配置支付宝应用，无法导入</source>
        <translation>No Alipay app is configured: cannot import</translation>
    </message>
    <message>
        <source>选择员工名单</source>
        <translation>Choose the employee list</translation>
    </message>
    <message>
        <source>员工名单 (*.csv *.xlsx);;所有文件 (*)</source>
        <translation>Employee lists (*.csv *.xlsx);;All files (*)</translation>
    </message>
    <message>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <source>共 %1 行：新增 %2，更新 %3，无变化 %4，有误 %5（有误的行不会导入）</source>
        <translation>%1 rows: %2 new, %3 to update, %4 unchanged, %5 invalid (invalid rows are not imported)</translation>
    </message>
    <message>
        <source>读取员工名单</source>
        <translation>Read the employee list</translation>
    </message>
    <message>
        <source>正在导入…</source>
        <translation>Importing…</translation>
    </message>
    <message>
        <source>导入完成：成功 %1，失败 %2，未发送 %3，结果未知 %4</source>
        <translation>Import finished: %1 applied, %2 failed, %3 not sent, %4 unknown</translation>
    </message>
    <message>
        <source>。导入中途停止：之前已成功的行保持有效</source>
        <translation>. The import stopped part-way: rows applied before stay applied</translation>
    </message>
    <message>
        <source>保存问题行</source>
        <translation>Save problem rows</translation>
    </message>
    <message>
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
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
        <translation>Applied</translation>
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
        <translation>Unknown</translation>
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
        <translation>Line</translation>
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
    <message>
        <source>无需修改</source>
        <translation>No change needed</translation>
    </message>
</context>
<context>
    <name>OrgInvitePanel</name>
    <message>
        <source>复制链接(&amp;C)</source>
        <translation>&amp;Copy link</translation>
    </message>
    <message>
        <source>把签约链接复制到剪贴板，可通过聊天工具发给员工</source>
        <translation>Copy the sign link to the clipboard, to send to the employee by chat</translation>
    </message>
    <message>
        <source>获取邀请码(&amp;G)</source>
        <translation>&amp;Get invite</translation>
    </message>
    <message>
        <source>向支付宝重新获取该员工的签约激活链接</source>
        <translation>Fetch this employee&apos;s sign (activation) link from Alipay again</translation>
    </message>
    <message>
        <source>邀请激活</source>
        <translation>Invite to activate</translation>
    </message>
    <message>
        <source>选择一名待激活员工，显示其签约激活二维码。</source>
        <translation>Select a pending employee to show their activation QR code.</translation>
    </message>
    <message>
        <source>该员工已激活企业码，无需邀请。</source>
        <translation>This employee has already activated Enterprise Code; no invite is needed.</translation>
    </message>
    <message>
        <source>尚未获取签约链接。</source>
        <translation>The sign link has not been fetched yet.</translation>
    </message>
    <message>
        <source>请员工用支付宝扫描下方二维码，完成企业码签约激活。</source>
        <translation>Ask the employee to scan this QR code with Alipay to sign up and activate Enterprise Code.</translation>
    </message>
    <message>
        <source>链接已复制。</source>
        <translation>Link copied.</translation>
    </message>
</context>
<context>
    <name>OrgInviteSheet</name>
    <message>
        <source>打印日期 %1&#x3000;第 %2/%3 页</source>
        <translation>Printed %1 — page %2 of %3</translation>
    </message>
    <message>
        <source>请用支付宝扫描本人二维码，按提示完成企业码签约激活后即可因公付款。</source>
        <translation>Scan your own QR code with Alipay and follow the steps to activate Enterprise Code; then you can pay for business.</translation>
    </message>
    <message>
        <source>没有待激活的员工</source>
        <translation>No pending employees</translation>
    </message>
    <message>
        <source>工号 %1</source>
        <translation>No. %1</translation>
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
    <name>OrgTab</name>
    <message>
        <source>新建部门(&amp;N)</source>
        <translation>&amp;New department</translation>
    </message>
    <message>
        <source>重命名(&amp;R)</source>
        <translation>&amp;Rename</translation>
    </message>
    <message>
        <source>移动(&amp;V)</source>
        <translation>Mo&amp;ve</translation>
    </message>
    <message>
        <source>删除部门(&amp;T)</source>
        <translation>Delete depar&amp;tment</translation>
    </message>
    <message>
        <source>添加员工(&amp;A)</source>
        <translation>&amp;Add employee</translation>
    </message>
    <message>
        <source>编辑员工(&amp;E)</source>
        <translation>&amp;Edit employee</translation>
    </message>
    <message>
        <source>删除员工(&amp;D)</source>
        <translation>&amp;Delete employee</translation>
    </message>
    <message>
        <source>批量导入(&amp;I)…</source>
        <translation>&amp;Import…</translation>
    </message>
    <message>
        <source>打印邀请单(&amp;P)…</source>
        <translation>&amp;Print invites…</translation>
    </message>
    <message>
        <source>搜索姓名、手机、邮箱或工号（Ctrl+F）</source>
        <translation>Search name, mobile, email or employee no. (Ctrl+F)</translation>
    </message>
    <message>
        <source>未配置支付宝应用：请先在“设置”中填写应用ID和密钥</source>
        <translation>No Alipay app is configured: fill in the app ID and keys under Settings first</translation>
    </message>
    <message>
        <source>%1 人</source>
        <translation>%1 people</translation>
    </message>
    <message>
        <source>在所选部门下新建子部门</source>
        <translation>Create a sub-department under the selected department</translation>
    </message>
    <message>
        <source>修改所选部门的名称或编码</source>
        <translation>Change the selected department&apos;s name or code</translation>
    </message>
    <message>
        <source>把所选部门（连同子部门）移动到另一个上级部门下</source>
        <translation>Move the selected department (with its sub-departments) under another parent</translation>
    </message>
    <message>
        <source>删除所选部门（部门下不能有子部门或员工）</source>
        <translation>Delete the selected department (it must have no sub-departments or employees)</translation>
    </message>
    <message>
        <source>在所选部门添加员工，添加后员工需扫码签约激活</source>
        <translation>Add an employee to the selected department; they then scan a code to activate</translation>
    </message>
    <message>
        <source>修改所选员工的信息</source>
        <translation>Change the selected employee</translation>
    </message>
    <message>
        <source>删除所选员工</source>
        <translation>Delete the selected employee</translation>
    </message>
    <message>
        <source>从 CSV 或 Excel 文件批量添加、更新员工</source>
        <translation>Add or update employees in bulk from a CSV or Excel file</translation>
    </message>
    <message>
        <source>打印所选部门（含子部门）全部待激活员工的签约二维码</source>
        <translation>Print the sign QR codes of every pending employee of the selected department and its sub-departments</translation>
    </message>
    <message>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>新建部门</source>
        <translation>New department</translation>
    </message>
    <message>
        <source>修改部门</source>
        <translation>Modify department</translation>
    </message>
    <message>
        <source>移动部门</source>
        <translation>Move department</translation>
    </message>
    <message>
        <source>删除部门</source>
        <translation>Delete department</translation>
    </message>
    <message>
        <source>删除部门“%1”？</source>
        <translation>Delete the department “%1”?</translation>
    </message>
    <message>
        <source>部门将从支付宝企业码中删除，不可恢复。部门下不能有子部门或员工；适用于该部门的费控制度范围也会移除该部门。</source>
        <translation>The department is deleted from Alipay Enterprise Code and cannot be restored. It must have no sub-departments or employees; expense institutions that apply to it drop it from their scope.</translation>
    </message>
    <message>
        <source>添加员工</source>
        <translation>Add employee</translation>
    </message>
    <message>
        <source>编辑员工</source>
        <translation>Edit employee</translation>
    </message>
    <message>
        <source>删除员工</source>
        <translation>Delete employee</translation>
    </message>
    <message>
        <source>删除员工“%1”？</source>
        <translation>Delete the employee “%1”?</translation>
    </message>
    <message>
        <source>员工将从支付宝企业码中删除并解除因公付：之后不能再用企业码付款，其名下未用完的额度也不能再使用。本地已同步的账单仍保留，可供对账。</source>
        <translation>The employee is deleted from Alipay Enterprise Code and their business payment is unbound: they can no longer pay with Enterprise Code, and their unused quotas cannot be spent. Their synced bills stay here for reconciliation.</translation>
    </message>
    <message>
        <source>正在获取签约链接…</source>
        <translation>Fetching the sign link…</translation>
    </message>
    <message>
        <source>获取失败</source>
        <translation>Could not fetch</translation>
    </message>
    <message>
        <source>获取邀请二维码</source>
        <translation>Fetch invite QR code</translation>
    </message>
    <message>
        <source>打印邀请单</source>
        <translation>Print invites</translation>
    </message>
    <message>
        <source>“%1”及其子部门没有待激活的员工。</source>
        <translation>“%1” and its sub-departments have no pending employees.</translation>
    </message>
    <message>
        <source>%1 · 企业码签约邀请</source>
        <translation>%1 · Enterprise Code sign-up invitations</translation>
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
    <name>QuotaTableModel</name>
    <message>
        <source>员工</source>
        <translation>Employee</translation>
    </message>
    <message>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>费控制度</source>
        <translation>Institution</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>总额度</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>可用额度</source>
        <translation>Available</translation>
    </message>
    <message>
        <source>使用情况</source>
        <translation>Usage</translation>
    </message>
    <message>
        <source>生效时间</source>
        <translation>Valid from</translation>
    </message>
    <message>
        <source>失效时间</source>
        <translation>Valid to</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>额度ID</source>
        <translation>Quota ID</translation>
    </message>
    <message>
        <source>正常</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>冻结</source>
        <translation>Frozen</translation>
    </message>
    <message>
        <source>已用尽</source>
        <translation>Used up</translation>
    </message>
    <message>
        <source>已过期</source>
        <translation>Expired</translation>
    </message>
    <message>
        <source>余额</source>
        <translation>Balance</translation>
    </message>
    <message>
        <source>点券</source>
        <translation>Coupon</translation>
    </message>
    <message>
        <source>次卡</source>
        <translation>Uses</translation>
    </message>
    <message>
        <source>未使用</source>
        <translation>Unused</translation>
    </message>
    <message>
        <source>已用 %1%</source>
        <translation>%1% used</translation>
    </message>
    <message>
        <source>总额度 %1，已用 %2，可用 %3</source>
        <translation>Total %1, used %2, available %3</translation>
    </message>
</context>
<context>
    <name>QuotasTab</name>
    <message>
        <source>发放额度(&amp;N)…</source>
        <translation>Issue quota (&amp;N)…</translation>
    </message>
    <message>
        <source>按部门批量发放(&amp;B)…</source>
        <translation>Issue to a department (&amp;B)…</translation>
    </message>
    <message>
        <source>调整(&amp;M)…</source>
        <translation>Adjust (&amp;M)…</translation>
    </message>
    <message>
        <source>删除(&amp;D)</source>
        <translation>&amp;Delete</translation>
    </message>
    <message>
        <source>搜索员工、部门、制度或额度ID (Ctrl+F)</source>
        <translation>Search employee, department, institution or quota ID (Ctrl+F)</translation>
    </message>
    <message>
        <source>已用尽(&amp;X)</source>
        <translation>Used up (&amp;X)</translation>
    </message>
    <message>
        <source>即将到期(&amp;S)</source>
        <translation>Expiring &amp;soon</translation>
    </message>
    <message>
        <source> 天内</source>
        <translation> days</translation>
    </message>
    <message>
        <source>重试所选(&amp;R)</source>
        <translation>&amp;Retry selected</translation>
    </message>
    <message>
        <source>全部重试(&amp;A)</source>
        <translation>Retry &amp;all</translation>
    </message>
    <message>
        <source>清除失败记录(&amp;L)</source>
        <translation>C&amp;lear failures</translation>
    </message>
    <message>
        <source>读取额度</source>
        <translation>Reading quotas</translation>
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
        <source>尚未配置支付宝应用：请先在“设置”中填写应用ID和密钥</source>
        <translation>No Alipay app is configured yet: fill in the app ID and keys under Settings</translation>
    </message>
    <message>
        <source>全部员工</source>
        <translation>All employees</translation>
    </message>
    <message>
        <source>全部制度</source>
        <translation>All institutions</translation>
    </message>
    <message>
        <source>额度</source>
        <translation>Quotas</translation>
    </message>
    <message>
        <source>已用尽</source>
        <translation>used up</translation>
    </message>
    <message>
        <source>%1 天内到期</source>
        <translation>expiring within %1 days</translation>
    </message>
    <message>
        <source>笔数</source>
        <translation>Quotas</translation>
    </message>
    <message>
        <source>总额度合计</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>已用合计</source>
        <translation>Used</translation>
    </message>
    <message>
        <source>可用合计</source>
        <translation>Available</translation>
    </message>
    <message>
        <source>%1 笔发放待确认（支付宝未答复，重试不会重复发放），%2 笔失败</source>
        <translation>%1 issue(s) awaiting confirmation (Alipay did not answer; a retry never issues twice), %2 failed</translation>
    </message>
    <message>
        <source>共 %1 笔&#x3000;总额度 %2&#x3000;已用 %3&#x3000;可用 %4</source>
        <translation>%1 quotas&#x3000;total %2&#x3000;used %3&#x3000;available %4</translation>
    </message>
    <message>
        <source>删除额度</source>
        <translation>Delete quota</translation>
    </message>
    <message>
        <source>删除 %1 在“%2”下的额度（可用 %3）？删除后员工不能再使用这笔额度。</source>
        <translation>Delete %1&apos;s quota under “%2” (%3 available)? The employee can no longer spend it.</translation>
    </message>
    <message>
        <source>重试发放额度</source>
        <translation>Retrying quota issues</translation>
    </message>
    <message>
        <source>清除失败记录</source>
        <translation>Clearing failures</translation>
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
    <name>printing</name>
    <message>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <source>只打印了前 %1 行，另有超过 %2 行未打印。</source>
        <translation>Only the first %1 rows were printed; more than %2 others were left out.</translation>
    </message>
    <message>
        <source>只打印了前 %1 行，另有 %2 行未打印（共 %3 行）。</source>
        <translation>Only the first %1 rows were printed; %2 more were left out (%3 in all).</translation>
    </message>
    <message>
        <source>需要全部数据请使用“导出”（Ctrl+E）。</source>
        <translation>For all the data, use Export (Ctrl+E).</translation>
    </message>
    <message>
        <source>无法开始打印</source>
        <translation>Could not start printing</translation>
    </message>
    <message>
        <source>第 %1 / %2 页</source>
        <translation>Page %1 of %2</translation>
    </message>
    <message>
        <source>打印于 %1</source>
        <translation>Printed %1</translation>
    </message>
    <message>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>打印预览</source>
        <translation>Print preview</translation>
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
