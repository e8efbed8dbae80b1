"""The enterprise (企业) as Alipay knows it: one row per Enterprise Code enterprise."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from workstation.db.base import AuditMixin, Base, validate_enum
from workstation.db.types import EnumText


class EnterpriseStatus(enum.Enum):
    REGISTERED = "registered"  # 已注册
    SIGNED = "signed"  # 已签约
    UNSIGNED = "unsigned"  # 已解约
    DELETED = "deleted"  # 已注销


class Enterprise(AuditMixin, Base):
    __tablename__ = "t_enterprise"
    __table_args__ = {"comment": "企业表"}

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[str] = mapped_column(String(64), unique=True, comment="企业码企业ID")
    account_id: Mapped[str | None] = mapped_column(String(64), comment="共同账户ID")
    name: Mapped[str] = mapped_column(String(128), comment="企业名称")
    alias: Mapped[str | None] = mapped_column(String(64), comment="企业简称")
    credit_code: Mapped[str | None] = mapped_column(String(32), comment="统一社会信用代码")
    status: Mapped[EnterpriseStatus] = mapped_column(
        EnumText(EnterpriseStatus), default=EnterpriseStatus.REGISTERED, comment="状态"
    )
    sign_status: Mapped[str | None] = mapped_column(String(32), comment="企业码服务协议签约状态")
    auth_status: Mapped[str | None] = mapped_column(String(32), comment="认证状态")
    out_biz_no: Mapped[str | None] = mapped_column(String(64), comment="注册邀请幂等号")
    invite_url: Mapped[str | None] = mapped_column(String(1024), comment="PC端企业注册链接")
    invite_expire_time: Mapped[dt.datetime | None] = mapped_column(comment="注册链接失效时间")
    sign_url: Mapped[str | None] = mapped_column(String(1024), comment="资金代付签约链接")
    unsign_url: Mapped[str | None] = mapped_column(String(1024), comment="解约链接")
    gmt_modified: Mapped[dt.datetime | None] = mapped_column(comment="支付宝侧更新时间")

    _check_status = validate_enum("status", EnterpriseStatus)
