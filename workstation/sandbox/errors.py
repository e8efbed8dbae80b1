"""Every error the sandbox gateway can answer, in one table.

Gateway-level codes (``isv.*``/``isp.*``) follow Alipay's public error-code page (alipay-api.md
1.5). Business sub_codes (code ``40004``) are Alipay-style names chosen for the sandbox: the
real Enterprise-Code sub_codes are not published, so clients must treat unknown sub_codes
generically (show ``sub_msg``) and only special-case the ones listed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ERRORS", "ErrorSpec", "GatewayError"]


@dataclass(frozen=True)
class ErrorSpec:
    code: str
    msg: str
    sub_msg: str


_MISSING = ("40001", "Missing Required Arguments")
_INVALID = ("40002", "Invalid Arguments")
_BUSINESS = ("40004", "Business Failed")


def _e(kind: tuple[str, str], sub_msg: str) -> ErrorSpec:
    return ErrorSpec(kind[0], kind[1], sub_msg)


ERRORS: dict[str, ErrorSpec] = {
    # --- gateway: public parameters, signature (40001/40002), system (20000) ---
    "isv.missing-app-id": _e(_MISSING, "缺少AppID参数"),
    "isv.missing-method": _e(_MISSING, "缺少方法名参数"),
    "isv.missing-signature": _e(_MISSING, "缺少签名参数"),
    "isv.missing-signature-type": _e(_MISSING, "缺少签名类型参数"),
    "isv.missing-timestamp": _e(_MISSING, "缺少时间戳参数"),
    "isv.missing-version": _e(_MISSING, "缺少版本参数"),
    "isv.invalid-app-id": _e(_INVALID, "无效的AppID参数"),
    "isv.invalid-method": _e(_INVALID, "不存在的方法名"),
    "isv.invalid-format": _e(_INVALID, "无效的数据格式"),
    "isv.invalid-charset": _e(_INVALID, "字符集错误"),
    "isv.invalid-version": _e(_INVALID, "无效的版本"),
    "isv.invalid-timestamp": _e(_INVALID, "非法的时间戳参数"),
    "isv.invalid-signature-type": _e(_INVALID, "无效的签名类型"),
    "isv.invalid-signature": _e(
        _INVALID, "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配"
    ),
    "isv.invalid-encrypt": _e(_INVALID, "沙箱不支持接口内容加密"),
    "isv.invalid-parameter": _e(_INVALID, "参数无效"),
    "isp.unknow-error": ErrorSpec("20000", "Service Currently Unavailable", "系统繁忙"),
    # --- business (40004) ---
    "ENTERPRISE_NOT_EXIST": _e(_BUSINESS, "企业不存在"),
    "DEPARTMENT_NOT_EXIST": _e(_BUSINESS, "部门不存在"),
    "PARENT_DEPARTMENT_NOT_EXIST": _e(_BUSINESS, "上级部门不存在"),
    "DEPARTMENT_HAS_CHILDREN": _e(_BUSINESS, "部门下存在子部门，不能删除"),
    "DEPARTMENT_HAS_EMPLOYEES": _e(_BUSINESS, "部门下存在员工，不能删除"),
    "DEPARTMENT_DEPTH_EXCEED": _e(_BUSINESS, "部门层级超过上限（最多20级）"),
    "DEPARTMENT_CYCLE": _e(_BUSINESS, "不能将部门移动到其自身或其子部门下"),
    "DEPARTMENT_NAME_DUPLICATE": _e(_BUSINESS, "同级部门名称重复"),
    "DEPARTMENT_CODE_DUPLICATE": _e(_BUSINESS, "部门编码重复"),
    "ROOT_DEPARTMENT_IMMUTABLE": _e(_BUSINESS, "根部门不能删除或移动"),
    "EMPLOYEE_NOT_EXIST": _e(_BUSINESS, "员工不存在"),
    "EMPLOYEE_ALREADY_EXIST": _e(_BUSINESS, "员工已存在"),
    "EMPLOYEE_BATCH_LIMIT_EXCEED": _e(_BUSINESS, "单次批量添加员工不能超过100人"),
    "INSTITUTION_NOT_EXIST": _e(_BUSINESS, "制度不存在"),
    "STANDARD_NOT_EXIST": _e(_BUSINESS, "使用规则不存在"),
    "ISSUE_RULE_NOT_EXIST": _e(_BUSINESS, "发放规则不存在"),
    "MEMBER_NOT_EXIST": _e(_BUSINESS, "适用范围成员不存在"),
    "RULE_FACTOR_INVALID": _e(_BUSINESS, "不支持的规则条件类型"),
    "RULE_VALUE_INVALID": _e(_BUSINESS, "规则条件值不合法"),
    "QUOTA_NOT_EXIST": _e(_BUSINESS, "额度不存在"),
    "AMOUNT_INVALID": _e(_BUSINESS, "金额不合法"),
    "QUOTA_BALANCE_NOT_ENOUGH": _e(_BUSINESS, "额度可用余额不足"),
    "QUOTA_ACTION_INVALID": _e(_BUSINESS, "不支持的额度变更类型"),
    "BILL_NOT_EXIST": _e(_BUSINESS, "账单不存在"),
    "DATE_RANGE_EXCEED_LIMIT": _e(_BUSINESS, "查询时间范围不能超过24小时"),
    "SUMMARY_NOT_EXIST": _e(_BUSINESS, "汇总批次不存在"),
    "BILL_NOT_GENERATED": _e(_BUSINESS, "对账单尚未生成，当日或当月账单不可下载"),
}


class GatewayError(Exception):
    """Raised by handlers (and the gateway) to answer a signed error response.

    ``detail`` is appended to the table's ``sub_msg`` (e.g. the missing id) so the clerk sees
    which record was wrong; ``extra`` adds documented response fields next to the error
    (e.g. ``issue_quota_check_failed_list``).
    """

    def __init__(
        self, sub_code: str, detail: str | None = None, *, extra: dict[str, Any] | None = None
    ) -> None:
        spec = ERRORS[sub_code]
        self.sub_code = sub_code
        self.code = spec.code
        self.msg = spec.msg
        self.sub_msg = f"{spec.sub_msg}: {detail}" if detail else spec.sub_msg
        self.extra = extra or {}
        super().__init__(f"{sub_code}: {self.sub_msg}")

    def body(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "msg": self.msg,
            "sub_code": self.sub_code,
            "sub_msg": self.sub_msg,
            **self.extra,
        }
