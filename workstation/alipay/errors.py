"""Typed failures of the Alipay gateway, blamed by cause.

``AlipayError``         Alipay answered (signed) with ``code != 10000`` or a ``sub_code``.
``AlipayUnavailable``   Alipay unreachable, or still failing with system errors after retries.
``AlipaySignatureError`` the answer is not provably Alipay's (bad/missing/non-RSA2 signature).
``AlipayTlsError``      the server's TLS certificate failed verification (never retried).
``AlipayProtocolError`` a verified answer we cannot use (unexpected HTTP status, missing field).

Every error carries ``message_zh`` / ``message_en`` for the clerk; ``ui/`` decides which to show.
"""

from __future__ import annotations

__all__ = [
    "SUCCESS_CODE",
    "AlipayError",
    "AlipayGatewayError",
    "AlipayProtocolError",
    "AlipaySignatureError",
    "AlipayTlsError",
    "AlipayUnavailable",
    "is_system_failure",
]

SUCCESS_CODE = "10000"
SYSTEM_ERROR_CODE = "20000"


class AlipayGatewayError(Exception):
    """Base of everything the gateway raises on purpose."""

    message_zh: str = "调用支付宝失败"
    message_en: str = "the call to Alipay failed"

    def __init__(self, method: str | None, detail: str) -> None:
        self.method = method
        self.detail = detail
        where = f"{method}: " if method else ""
        super().__init__(f"{where}{detail}")


# Clerk-facing texts for sub_codes we know. Business sub_codes of Enterprise Code are not publicly
# documented; the unknown ones fall back to a generic text that quotes Alipay's own sub_msg.
_SUB_CODE_MESSAGES: dict[str, tuple[str, str]] = {
    "isv.invalid-signature": (
        "请求签名验证失败：应用私钥与支付宝后台配置的应用公钥不匹配",
        "request signature rejected: the app private key does not match the app public key "
        "configured at Alipay",
    ),
    "isv.missing-signature": ("请求缺少签名", "the request carries no signature"),
    "isv.missing-app-id": ("请求缺少应用ID", "the request carries no app id"),
    "isv.invalid-app-id": (
        "应用ID无效，请检查应用ID配置",
        "the app id is invalid, check the configured app id",
    ),
    "isv.invalid-timestamp": (
        "请求时间戳无效，请校准电脑时间",
        "the request timestamp is invalid, check the computer clock",
    ),
    "isv.missing-method": ("请求缺少接口名称", "the request names no API method"),
    "isv.invalid-method": ("接口名称无效", "the API method name is invalid"),
    "isv.invalid-parameter": ("请求参数无效", "a request parameter is invalid"),
    "isv.missing-parameter": ("请求缺少必填参数", "a required request parameter is missing"),
    "isv.insufficient-isv-permissions": (
        "应用没有调用该接口的权限，请确认已开通企业码产品",
        "the app may not call this API; check that Enterprise Code is enabled for it",
    ),
    "isv.insufficient-user-permissions": (
        "企业授权不足，无法执行该操作",
        "the enterprise has not granted permission for this operation",
    ),
    "aop.invalid-app-auth-token": (
        "企业授权令牌无效，请重新授权",
        "the app auth token is invalid, authorise again",
    ),
    "aop.app-auth-token-time-out": (
        "企业授权令牌已过期，请重新授权",
        "the app auth token has expired, authorise again",
    ),
    "aop.invalid-auth-token": ("用户授权令牌无效", "the user auth token is invalid"),
    "aop.auth-token-time-out": ("用户授权令牌已过期", "the user auth token has expired"),
    "isp.unknow-error": (
        "支付宝系统繁忙，请稍后重试",
        "Alipay is busy, try again later",
    ),
    "aop.unknow-error": (
        "支付宝系统繁忙，请稍后重试",
        "Alipay is busy, try again later",
    ),
    "isv.invalid-signature-type": (
        "签名类型无效，必须使用 RSA2",
        "invalid sign type; RSA2 is required",
    ),
    "isv.invalid-format": ("数据格式无效", "invalid data format"),
    "isv.invalid-charset": ("字符集错误", "invalid charset"),
    "isv.invalid-version": ("接口版本无效", "invalid API version"),
    "isv.invalid-encrypt": ("接口内容加密方式不受支持", "biz_content encryption is not supported"),
    # Enterprise Code business sub_codes (40004). Alipay does not publish them; these are the
    # names the sandbox uses. Unknown ones fall back to quoting sub_msg.
    "ENTERPRISE_NOT_EXIST": ("企业不存在", "the enterprise does not exist"),
    "DEPARTMENT_NOT_EXIST": ("部门不存在", "the department does not exist"),
    "PARENT_DEPARTMENT_NOT_EXIST": ("上级部门不存在", "the parent department does not exist"),
    "DEPARTMENT_HAS_CHILDREN": (
        "部门下还有子部门，不能删除",
        "the department still has sub-departments and cannot be deleted",
    ),
    "DEPARTMENT_HAS_EMPLOYEES": (
        "部门下还有员工，不能删除",
        "the department still has employees and cannot be deleted",
    ),
    "DEPARTMENT_DEPTH_EXCEED": (
        "部门层级超过上限（最多20级）",
        "the department tree would be deeper than 20 levels",
    ),
    "DEPARTMENT_CYCLE": (
        "不能把部门移动到它自己或它的子部门下",
        "a department cannot move under itself or its own sub-department",
    ),
    "DEPARTMENT_NAME_DUPLICATE": (
        "同一上级部门下已有同名部门",
        "a sibling department already has this name",
    ),
    "DEPARTMENT_CODE_DUPLICATE": ("部门编码已被使用", "the department code is already in use"),
    "ROOT_DEPARTMENT_IMMUTABLE": (
        "根部门不能删除或移动",
        "the root department cannot be deleted or moved",
    ),
    "EMPLOYEE_NOT_EXIST": ("员工不存在", "the employee does not exist"),
    "EMPLOYEE_ALREADY_EXIST": ("员工已存在", "the employee already exists"),
    "EMPLOYEE_BATCH_LIMIT_EXCEED": (
        "单次批量添加员工不能超过100人",
        "at most 100 employees can be added in one batch",
    ),
    "INSTITUTION_NOT_EXIST": ("费控制度不存在", "the expense institution does not exist"),
    "STANDARD_NOT_EXIST": ("使用规则不存在", "the expense rule does not exist"),
    "ISSUE_RULE_NOT_EXIST": ("发放规则不存在", "the issue rule does not exist"),
    "MEMBER_NOT_EXIST": ("适用范围中没有该成员", "the member is not in the institution's scope"),
    "RULE_FACTOR_INVALID": ("不支持的规则条件类型", "unsupported rule condition type"),
    "RULE_VALUE_INVALID": ("规则条件值不合法", "invalid rule condition value"),
    "QUOTA_NOT_EXIST": ("额度不存在", "the quota does not exist"),
    "AMOUNT_INVALID": ("金额不合法", "invalid amount"),
    "QUOTA_BALANCE_NOT_ENOUGH": ("额度可用余额不足", "the quota's available balance is too low"),
    "QUOTA_ACTION_INVALID": ("不支持的额度变更类型", "unsupported quota change"),
    "BILL_NOT_EXIST": ("账单不存在", "the bill does not exist"),
    "DATE_RANGE_EXCEED_LIMIT": (
        "查询时间范围不能超过24小时",
        "the query window may not exceed 24 hours",
    ),
    "SUMMARY_NOT_EXIST": ("汇总批次不存在", "the summary batch does not exist"),
    "BILL_NOT_GENERATED": (
        "对账单尚未生成（当日或当月的对账单不能下载）",
        "the statement is not ready (today's or this month's cannot be downloaded)",
    ),
}

# Code-level texts, used when the sub_code is unknown and there is no sub_msg to quote.
_CODE_MESSAGES: dict[str, tuple[str, str]] = {
    "20000": ("支付宝服务暂时不可用", "Alipay is temporarily unavailable"),
    "20001": ("授权权限不足", "insufficient authorisation"),
    "40001": ("缺少必选参数", "a required parameter is missing"),
    "40002": ("参数无效", "invalid arguments"),
    "40003": ("不满足调用条件", "insufficient conditions"),
    "40004": ("业务处理失败", "the business operation failed"),
    "40006": ("权限不足", "insufficient permissions"),
}


def is_system_failure(code: str | None, sub_code: str | None) -> bool:
    """Alipay's own "try again later" answers: code 20000, ``isp.*``, ``aop.unknow*``."""
    if code == SYSTEM_ERROR_CODE:
        return True
    if sub_code:
        return sub_code.startswith("isp.") or sub_code.startswith("aop.unknow")
    return False


class AlipayError(AlipayGatewayError):
    """Alipay answered, signed, with a failure. Business errors are final; system ones are retried
    by the gateway and only surface wrapped in :class:`AlipayUnavailable`."""

    def __init__(
        self,
        method: str,
        code: str | None,
        msg: str | None,
        sub_code: str | None = None,
        sub_msg: str | None = None,
    ) -> None:
        self.code = code
        self.msg = msg
        self.sub_code = sub_code
        self.sub_msg = sub_msg
        self.message_zh, self.message_en = _messages_for(code, msg, sub_code, sub_msg)
        parts = [f"code={code}", f"msg={msg}"]
        if sub_code:
            parts.append(f"sub_code={sub_code}")
        if sub_msg:
            parts.append(f"sub_msg={sub_msg}")
        super().__init__(method, " ".join(parts))

    @property
    def is_system(self) -> bool:
        return is_system_failure(self.code, self.sub_code)

    @property
    def is_business(self) -> bool:
        return not self.is_system


def _messages_for(
    code: str | None, msg: str | None, sub_code: str | None, sub_msg: str | None
) -> tuple[str, str]:
    if sub_code and sub_code in _SUB_CODE_MESSAGES:
        return _SUB_CODE_MESSAGES[sub_code]
    if sub_code and sub_code.startswith("isp."):
        return _SUB_CODE_MESSAGES["isp.unknow-error"]
    if sub_msg or sub_code:
        quoted = sub_msg or msg or ""
        tag = sub_code or code or ""
        return (
            f"支付宝返回错误（{tag}）：{quoted}",
            f"Alipay returned an error ({tag}): {quoted}",
        )
    if code in _CODE_MESSAGES:
        return _CODE_MESSAGES[code]
    return (
        f"支付宝返回错误（{code}）：{msg or ''}",
        f"Alipay returned an error ({code}): {msg or ''}",
    )


class AlipayUnavailable(AlipayGatewayError):
    """Alipay unreachable, timing out or answering with system errors, after every retry.

    ``maybe_processed`` is True when the last request may have reached Alipay without us seeing the
    answer (e.g. a read timeout on a create without an idempotency key): the clerk should check
    before repeating the action.
    """

    def __init__(
        self,
        method: str,
        attempts: int,
        cause: BaseException | None,
        *,
        maybe_processed: bool = False,
    ) -> None:
        self.attempts = attempts
        self.cause = cause
        self.maybe_processed = maybe_processed
        kind = getattr(cause, "kind", None)  # a transport failure names its kind
        if maybe_processed:
            self.message_zh = "支付宝未及时响应，操作可能已经生效，请刷新核对后再决定是否重试"
            self.message_en = (
                "Alipay did not answer in time; the operation may have taken effect. "
                "Refresh and check before trying again"
            )
        elif kind == "connect":
            self.message_zh = "无法连接支付宝，请检查网络后重试"
            self.message_en = "cannot connect to Alipay; check the network and try again"
        elif kind == "timeout":
            self.message_zh = "支付宝响应超时，请稍后重试"
            self.message_en = "Alipay timed out; try again later"
        else:
            self.message_zh = "支付宝服务暂时不可用，请稍后重试"
            self.message_en = "Alipay is temporarily unavailable; try again later"
        super().__init__(method, f"unavailable after {attempts} attempt(s): {cause!r}")


class AlipaySignatureError(AlipayGatewayError):
    """The response is not provably from Alipay: unsigned, malformed, tampered, or not RSA2."""

    message_zh = "支付宝响应验签失败，数据不可信，已拒绝（请检查支付宝公钥配置或网络环境）"
    message_en = (
        "the Alipay response failed signature verification and was rejected "
        "(check the Alipay public key or the network)"
    )


class AlipayTlsError(AlipayGatewayError):
    """The HTTPS certificate of the gateway failed verification. Never retried."""

    message_zh = "支付宝网关证书校验失败，连接可能被拦截，已中止"
    message_en = "the gateway's TLS certificate failed verification; the connection was aborted"


class AlipayProtocolError(AlipayGatewayError):
    """A response we cannot use: an unexpected HTTP status, or a signed body missing a field."""

    message_zh = "支付宝返回了无法识别的数据"
    message_en = "Alipay returned data the workstation cannot understand"

    def __init__(self, method: str | None, detail: str, *, status: int | None = None) -> None:
        self.status = status
        super().__init__(method, detail)
