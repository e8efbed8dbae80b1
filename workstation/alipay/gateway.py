"""``AlipayGateway``: the workstation's only door to Alipay.

Layers, bottom up:

* :class:`~workstation.alipay.transport.HttpTransport` — the HTTP hop (port, TLS, keep-alive).
* :class:`_SdkClient` — the official SDK builds and RSA2-signs every request and verifies every
  response; we only swap its HTTP hop and add the RSA2-only and response-key checks.
* :meth:`AlipayGateway.call` — "method + biz dict → verified inner dict", with typed errors and
  retries of system failures (exponential backoff, full jitter).
* typed methods — a few lines each on top of :meth:`~AlipayGateway.call`.

Blocking by design: call it from worker threads, never from the GUI thread.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import random
import re
import ssl
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, TypeVar

from alipay.aop.api.AlipayClientConfig import AlipayClientConfig
from alipay.aop.api.constant.CommonConstants import (
    ALIPAY_SDK_PYTHON_VERSION,
    PATTERN_RESPONSE_SIGN_BEGIN,
    THREAD_LOCAL,
)
from alipay.aop.api.DefaultAlipayClient import DefaultAlipayClient
from alipay.aop.api.exception.Exception import RequestException, ResponseException
from alipay.aop.api.util.WebUtils import url_encode
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from workstation import keys, money
from workstation.alipay import parsing as p
from workstation.alipay.errors import (
    SUCCESS_CODE,
    AlipayError,
    AlipayGatewayError,
    AlipayProtocolError,
    AlipaySignatureError,
    AlipayTlsError,
    AlipayUnavailable,
)
from workstation.alipay.requests import SdkRequest, build_request
from workstation.alipay.signing import install as _install_fast_signing
from workstation.alipay.transport import HttpTransport, Transport, TransportError
from workstation.alipay.types import (
    BatchResult,
    Bill,
    BillDetail,
    Department,
    Employee,
    EmployeeAdded,
    Enterprise,
    ExpenseRuleSpec,
    InstitutionBasic,
    InstitutionCreated,
    InstitutionDetail,
    Invite,
    IssueRuleSpec,
    NewEmployee,
    Page,
    Quota,
    QuotaAction,
    QuotaCreated,
    RegisterInvite,
    RuleCondition,
    Voucher,
)

__all__ = ["AlipayGateway", "GatewayConfig", "backoff_delay"]

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

CHARSET = "utf-8"
_install_fast_signing()
BILL_WINDOW = timedelta(hours=24)
# Enterprise-code employee id as owner of scopes and quotas ("员工企业码ID").
OWNER_EMPLOYEE = "ENTERPRISE_PAY_UID"


@dataclass(frozen=True)
class GatewayConfig:
    """Everything needed to talk to one Alipay app. Keys are normalised on construction:
    the private key to PKCS#1 PEM (what the SDK loads), the Alipay public key to SPKI PEM."""

    app_id: str
    gateway_url: str
    app_private_key: str = field(repr=False)
    alipay_public_key: str = field(repr=False)
    enterprise_id: str | None = None
    timeout: float = 15  # read timeout per request, seconds
    max_attempts: int = 4  # total tries of one call, including the first
    backoff_base: float = 0.5
    backoff_max: float = 8
    connect_timeout: float = 5

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "app_private_key", keys.normalize_private_key(self.app_private_key)
        )
        object.__setattr__(
            self, "alipay_public_key", keys.normalize_public_key(self.alipay_public_key)
        )
        if not self.app_id:
            raise ValueError("app_id is empty")
        if not self.gateway_url.startswith(("http://", "https://")):
            raise ValueError(f"gateway_url must be http(s)://…, got {self.gateway_url!r}")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.timeout <= 0 or self.connect_timeout <= 0:
            raise ValueError("timeouts must be positive")
        if self.backoff_base < 0 or self.backoff_max < 0:
            raise ValueError("backoff must not be negative")

    @classmethod
    def from_sandbox_json(cls, path: str | Path, **overrides: Any) -> GatewayConfig:
        """Read a sandbox's ``sandbox.json`` (app_id, enterprise_id, gateway_url, keys)."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls.from_mapping(data, **overrides)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], **overrides: Any) -> GatewayConfig:
        values: dict[str, Any] = {
            "app_id": data["app_id"],
            "gateway_url": data["gateway_url"],
            "app_private_key": data["app_private_key"],
            "alipay_public_key": data["alipay_public_key"],
            "enterprise_id": data.get("enterprise_id") or None,
        }
        values.update(overrides)
        return cls(**values)


def backoff_delay(
    attempt: int, base: float, cap: float, rand: Callable[[], float] = random.random
) -> float:
    """Sleep before retry ``attempt`` (1-based): full jitter over ``min(cap, base·2^(n-1))``."""
    return rand() * min(cap, base * 2.0 ** (attempt - 1))


# --- the SDK client with our HTTP hop -----------------------------------------------------------


class _SdkClient(DefaultAlipayClient):  # type: ignore[misc]
    """The official client, minus its HTTP hop.

    Why a subclass: the SDK's transport (``WebUtils.do_post``) drops the port of ``server_url``
    (and crashes on one), opens a connection per call and cannot pool. Monkey-patching
    ``WebUtils`` would change every client in the process. Instead this subclass re-runs
    ``execute`` with the SDK's own private steps — ``__prepare_request`` builds and signs,
    ``__parse_response`` extracts and verifies — reached through their mangled names, and only the
    POST goes through our :class:`Transport`. On top, every response must also verify as
    SHA256withRSA (the SDK's ``rsa.verify`` accepts SHA-1 too) and sit under the key of the method
    we called, so a signed answer for another method cannot be replayed.
    """

    def __init__(
        self,
        sdk_config: AlipayClientConfig,
        transport: Transport,
        alipay_public_key_pem: str,
        logger: logging.Logger | None,
    ) -> None:
        super().__init__(alipay_client_config=sdk_config, logger=logger)
        self._transport = transport
        key = serialization.load_pem_public_key(alipay_public_key_pem.encode())
        if not isinstance(key, rsa.RSAPublicKey):  # pragma: no cover - keys.py guarantees RSA
            raise TypeError("the Alipay public key is not RSA")
        self._alipay_key: rsa.RSAPublicKey = key

    def execute(self, request: SdkRequest) -> str:  # the SDK's public entry point, same contract
        return self.execute_checked(request, str(request.get_params()["method"]))

    def execute_checked(self, request: SdkRequest, method: str) -> str:
        """Sign, POST, verify; return the verified inner JSON text of ``<method>_response``."""
        if request.get_multipart_params():
            raise NotImplementedError("file uploads are not supported by the workstation gateway")
        THREAD_LOCAL.uuid = uuid.uuid4().hex  # the SDK's per-call log id, thread-local
        try:
            query, params = self._DefaultAlipayClient__prepare_request(request)
        except RequestException as exc:
            raise AlipayGatewayError(method, f"request signing failed: {exc}") from exc
        body = url_encode(params, CHARSET).encode("ascii") if params else b""
        headers = {
            "Content-Type": f"application/x-www-form-urlencoded;charset={CHARSET}",
            "Cache-Control": "no-cache",
            "User-Agent": ALIPAY_SDK_PYTHON_VERSION,
            "log-uuid": THREAD_LOCAL.uuid,
        }
        raw = self._transport.post(query, body, headers)
        try:
            content = self._DefaultAlipayClient__parse_response(raw)
        except (ResponseException, UnicodeDecodeError, ValueError) as exc:
            raise AlipaySignatureError(method, f"response rejected: {_short(exc)}") from exc
        if not isinstance(content, str):  # pragma: no cover - SDK contract
            raise AlipaySignatureError(method, "the SDK returned no verified content")
        self._require_rsa2(method, raw, content)
        return content

    def _require_rsa2(self, method: str, raw: bytes, content: str) -> None:
        text = raw.decode(CHARSET)
        # The same "last `},"sign":"`" rule the SDK used to find the signature.
        matches = list(PATTERN_RESPONSE_SIGN_BEGIN.finditer(text))
        if not matches:  # pragma: no cover - the SDK already required it
            raise AlipaySignatureError(method, "response carries no signature")
        start = matches[-1].end()
        try:
            signature = base64.b64decode(text[start : text.find('"', start)], validate=True)
            self._alipay_key.verify(
                signature, content.encode(CHARSET), padding.PKCS1v15(), hashes.SHA256()
            )
        except (InvalidSignature, binascii.Error, ValueError) as exc:
            raise AlipaySignatureError(
                method, "response signature is not a valid RSA2 (SHA256withRSA) signature"
            ) from exc
        # The signed content must be exactly the value of the answer's first key, and that key
        # must be this method's (or error_response): a signed answer replayed for another method
        # fails here. A structural check, so a 1 MB page is not JSON-decoded twice more.
        expected = method.replace(".", "_") + "_response"
        head = _FIRST_KEY.match(text)
        if (
            head is None
            or head.group(1) not in (expected, "error_response")
            or not text.startswith(content, head.end())
        ):
            raise AlipaySignatureError(method, f"signed content is not the {expected} object")


_FIRST_KEY = re.compile(r'\s*\{\s*"([A-Za-z0-9_.]+)"\s*:\s*')


def _short(exc: BaseException, limit: int = 300) -> str:
    text = str(exc)
    return text if len(text) <= limit else text[:limit] + "…"


# --- the gateway --------------------------------------------------------------------------------


class AlipayGateway:
    """Typed, verified, retrying access to the Enterprise Code APIs.

    ``sleep`` and ``rand`` are injectable so tests need not wait; ``transport`` lets tests count or
    fault requests; ``ssl_context`` replaces the default (system CAs, hostname checked) context.
    """

    def __init__(
        self,
        config: GatewayConfig,
        *,
        transport: Transport | None = None,
        ssl_context: ssl.SSLContext | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        sdk_logger: logging.Logger | None = None,
    ) -> None:
        self.config = config
        self._transport: Transport = transport or HttpTransport(
            config.gateway_url,
            connect_timeout=config.connect_timeout,
            read_timeout=config.timeout,
            ssl_context=ssl_context,
        )
        sdk_config = AlipayClientConfig()
        sdk_config.app_id = config.app_id
        sdk_config.server_url = config.gateway_url
        sdk_config.app_private_key = config.app_private_key
        sdk_config.alipay_public_key = config.alipay_public_key
        sdk_config.sign_type = "RSA2"
        sdk_config.charset = CHARSET
        sdk_config.timeout = config.timeout
        # sdk_logger: the SDK logs whole requests and responses (personal data) — debugging only.
        self._client = _SdkClient(sdk_config, self._transport, config.alipay_public_key, sdk_logger)
        self._sleep = sleep
        self._rand = rand

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> AlipayGateway:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the one code path ------------------------------------------------------------------

    def call(
        self, method: str, biz: Mapping[str, Any], *, idempotent: bool = True
    ) -> dict[str, Any]:
        """Call ``method`` with ``biz`` as biz_content; return the verified response object.

        Raises :class:`AlipayError` for business failures (never retried), and after
        ``max_attempts`` tries of system failures (code 20000, ``isp.*``, ``aop.unknow*``,
        HTTP 5xx, timeouts, refused/reset connections) :class:`AlipayUnavailable`. A call that is
        not ``idempotent`` is not re-sent when the previous try may have reached Alipay unseen.
        """
        request = build_request(method, biz)
        attempts = self.config.max_attempts
        last: BaseException | None = None
        for attempt in range(1, attempts + 1):
            try:
                content = self._client.execute_checked(request, method)
            except TransportError as exc:
                if exc.kind == "tls":
                    raise AlipayTlsError(method, exc.detail) from exc
                if not exc.retryable:
                    raise AlipayProtocolError(method, exc.detail, status=exc.status) from exc
                if exc.maybe_processed and not idempotent:
                    raise AlipayUnavailable(method, attempt, exc, maybe_processed=True) from exc
                last = exc
            else:
                inner = _decode(method, content)
                error = _error_of(method, inner)
                if error is None:
                    return inner
                if error.is_business:
                    raise error
                last = error
            if attempt < attempts:
                delay = backoff_delay(
                    attempt, self.config.backoff_base, self.config.backoff_max, self._rand
                )
                log.warning(
                    "%s failed (attempt %d/%d: %s); retrying in %.2fs",
                    method,
                    attempt,
                    attempts,
                    last,
                    delay,
                )
                self._sleep(delay)
        raise AlipayUnavailable(method, attempts, last) from last

    def _eid(self) -> str:
        if not self.config.enterprise_id:
            raise ValueError("this gateway has no enterprise_id configured")
        return self.config.enterprise_id

    def _ent(self, **fields: Any) -> dict[str, Any]:
        """biz dict with the enterprise id and every non-None field."""
        return _compact(enterprise_id=self._eid(), **fields)

    # --- enterprise -------------------------------------------------------------------------

    def create_register_invite(
        self,
        out_biz_no: str,
        enterprise_name: str,
        *,
        enterprise_alias: str | None = None,
        enterprise_code: str | None = None,
        industry: str | None = None,
        identity: str | None = None,
        identity_type: str | None = None,
        register_mode: str | None = None,
        sign_fund_way: str | None = None,
    ) -> RegisterInvite:
        """PC registration link for a new enterprise (30 days; same out_biz_no → same link)."""
        method = "alipay.commerce.ec.enterprise.registerinvite.create"
        biz = _compact(
            out_biz_no=out_biz_no,
            base_info=_compact(
                enterprise_name=enterprise_name,
                enterprise_alias=enterprise_alias,
                enterprise_code=enterprise_code,
                industry=industry,
            ),
            identity=identity,
            identity_type=identity_type,
            register_mode=register_mode,
            sign_fund_way=sign_fund_way,
        )
        r = self.call(method, biz)
        return _parse(
            method,
            lambda: RegisterInvite(
                pc_invite_url=p.req_str(r, "pc_invite_url"),
                expire_time=p.opt_datetime(r, "expire_time"),
                raw=p.freeze(r),
            ),
        )

    def query_enterprise(self, *, out_biz_no: str | None = None) -> Enterprise:
        """The configured enterprise, or the one registered under ``out_biz_no``."""
        method = "alipay.commerce.ec.enterprise.info.query"
        if out_biz_no is not None:
            biz = _compact(enterprise_id=self.config.enterprise_id, out_biz_no=out_biz_no)
        else:
            biz = self._ent()
        r = self.call(method, biz)
        return _parse(method, lambda: p.parse_enterprise(p.sub_obj(r, "enterprise_info")))

    def modify_enterprise(
        self, *, enterprise_name: str | None = None, enterprise_alias: str | None = None
    ) -> None:
        biz = self._ent(enterprise_name=enterprise_name, enterprise_alias=enterprise_alias)
        self.call("alipay.commerce.ec.enterprise.info.modify", biz)

    def unsign_enterprise(self) -> str:
        """The URL where the administrator terminates the 因公付 agreement."""
        method = "alipay.commerce.ec.enterprise.unsign"
        r = self.call(method, self._ent())
        return _parse(method, lambda: p.req_str(r, "unsign_url"))

    def delete_enterprise(self) -> None:
        self.call("alipay.commerce.ec.enterprise.delete", self._ent())

    # --- departments ------------------------------------------------------------------------

    def create_department(self, name: str, parent_id: str, code: str | None = None) -> str:
        method = "alipay.commerce.ec.department.create"
        biz = self._ent(department_name=name, parent_department_id=parent_id, department_code=code)
        r = self.call(method, biz, idempotent=False)
        return _parse(method, lambda: p.req_str(r, "department_id"))

    def modify_department(
        self,
        department_id: str,
        name: str | None = None,
        parent_id: str | None = None,
        code: str | None = None,
    ) -> None:
        biz = self._ent(
            department_id=department_id,
            department_name=name,
            parent_department_id=parent_id,
            department_code=code,
        )
        self.call("alipay.commerce.ec.department.info.modify", biz)

    def delete_department(self, department_id: str) -> None:
        self.call("alipay.commerce.ec.department.delete", self._ent(department_id=department_id))

    def query_department(self, department_id: str) -> Department:
        method = "alipay.commerce.ec.department.info.query"
        r = self.call(method, self._ent(department_id=department_id))
        return _parse(method, lambda: p.parse_department(p.sub_obj(r, "department_info")))

    def list_sub_departments(self, department_id: str = "-1") -> list[str]:
        """Ids of the direct children; ``"-1"`` answers the root department's id."""
        method = "alipay.commerce.ec.department.sublist.query"
        r = self.call(method, self._ent(department_id=department_id))
        return _parse(method, lambda: list(p.str_list(r, "department_id_list")))

    # --- employees --------------------------------------------------------------------------

    def add_employee(  # noqa: PLR0917 - the documented signature
        self,
        name: str,
        mobile: str | None = None,
        email: str | None = None,
        department_ids: Sequence[str] = (),
        employee_no: str | None = None,
        create_share_code: bool = False,
    ) -> EmployeeAdded:
        method = "alipay.commerce.ec.employee.add"
        biz = self._ent(
            employee_name=name,
            employee_mobile=mobile,
            employee_email=email,
            department_ids=list(department_ids) or None,
            employee_no=employee_no,
            create_share_code=create_share_code,
        )
        r = self.call(method, biz, idempotent=False)
        return _parse(
            method,
            lambda: EmployeeAdded(
                employee_id=p.req_str(r, "employee_id"),
                sign_url=p.opt_str(r, "sign_url"),
                share_code=p.opt_str(r, "share_code"),
                raw=p.freeze(r),
            ),
        )

    def batch_create_employees(self, employees: Sequence[NewEmployee]) -> BatchResult:
        method = "alipay.commerce.ec.employee.batchcreate"
        rows = [
            _compact(
                employee_name=e.name,
                employee_mobile=e.mobile,
                employee_email=e.email,
                department_ids=list(e.department_ids) or None,
                employee_no=e.employee_no,
            )
            for e in employees
        ]
        r = self.call(method, self._ent(employee_list=rows), idempotent=False)
        return _parse(method, lambda: p.parse_batch_result(r))

    def delete_employee(self, employee_id: str) -> None:
        self.call("alipay.commerce.ec.employee.delete", self._ent(employee_id=employee_id))

    def modify_employee(
        self,
        employee_id: str,
        *,
        name: str | None = None,
        mobile: str | None = None,
        email: str | None = None,
        employee_no: str | None = None,
        department_ids: Sequence[str] | None = None,
    ) -> None:
        biz = self._ent(
            employee_id=employee_id,
            employee_name=name,
            employee_mobile=mobile,
            employee_email=email,
            employee_no=employee_no,
            department_ids=list(department_ids) if department_ids is not None else None,
        )
        self.call("alipay.commerce.ec.employee.info.modify", biz)

    def query_employee(self, employee_id: str) -> Employee:
        method = "alipay.commerce.ec.employee.info.query"
        r = self.call(method, self._ent(employee_id=employee_id))
        return _parse(method, lambda: p.parse_employee(p.sub_obj(r, "employee_info")))

    def list_employee_ids(
        self, department_id: str, page_num: int = 1, page_size: int = 1000
    ) -> Page[str]:
        """One page of employee ids of a department (Alipay caps page_size at 1 000)."""
        method = "alipay.commerce.ec.employee.idlist.query"
        biz = self._ent(department_id=department_id, page_num=page_num, page_size=page_size)
        r = self.call(method, biz)
        return _parse(
            method,
            lambda: Page(
                items=p.str_list(r, "employee_id_list"),
                page_num=page_num,
                page_size=page_size,
                total_pages=p.opt_int(r, "total_pages"),
                total_count=p.opt_int(r, "total_num"),
            ),
        )

    def iter_employee_ids(self, department_id: str, page_size: int = 1000) -> Iterator[str]:
        return _walk(lambda n: self.list_employee_ids(department_id, n, page_size))

    def query_employee_invite(self, employee_id: str, *, create_share_code: bool = False) -> Invite:
        method = "alipay.commerce.ec.employee.invite.query"
        biz = self._ent(
            employee_id=employee_id, create_share_code="Y" if create_share_code else "N"
        )
        r = self.call(method, biz)
        return _parse(
            method,
            lambda: Invite(
                sign_url=p.opt_str(r, "sign_url"),
                mini_app_sign_url=p.opt_str(r, "mini_app_sign_url"),
                share_code=p.opt_str(r, "share_code"),
                raw=p.freeze(r),
            ),
        )

    # --- institutions -----------------------------------------------------------------------

    def create_institution(
        self,
        name: str,
        *,
        expense_type: str,
        description: str | None = None,
        effective_start: datetime | None = None,
        effective_end: datetime | None = None,
        adapter_type: str = "EMPLOYEE_SELECT",
        owner_type: str = OWNER_EMPLOYEE,
        owner_ids: Sequence[str] = (),
        rules: Sequence[ExpenseRuleSpec] = (),
        issue_rules: Sequence[IssueRuleSpec] = (),
        outer_source_id: str | None = None,
        currency: str | None = None,
        multi_employee_share_mode: str | None = None,
    ) -> InstitutionCreated:
        """A new expense institution (费控制度) with its scope, use rules and issue rules."""
        method = "alipay.ebpp.invoice.institution.create"
        scope = _compact(
            adapter_type=adapter_type,
            owner_type=owner_type if owner_ids else None,
            owner_id_list=list(owner_ids) or None,
        )
        biz = self._ent(
            institution_name=name,
            institution_desc=description,
            expense_type=expense_type,
            effective_start_date=_fmt(effective_start),
            effective_end_date=_fmt(effective_end),
            institution_scope_info=scope,
            standard_info_list=[_rule_spec_biz(r) for r in rules] or None,
            issue_rule_info_list=[_issue_spec_biz(r) for r in issue_rules] or None,
            outer_source_id=outer_source_id,
            currency=currency,
            multi_employee_share_mode=multi_employee_share_mode,
        )
        r = self.call(method, biz, idempotent=outer_source_id is not None)

        def build() -> InstitutionCreated:
            standard_ids = {
                p.opt_str(s, "outer_source_id") or p.req_str(s, "standard_id"): p.req_str(
                    s, "standard_id"
                )
                for s in p.obj_list(r, "standard_id_info_list")
            }
            issue_ids = {
                p.opt_str(s, "outer_source_id") or p.req_str(s, "issue_rule_id"): p.req_str(
                    s, "issue_rule_id"
                )
                for s in p.obj_list(r, "issue_rule_id_info_list")
            }
            return InstitutionCreated(
                institution_id=p.req_str(r, "institution_id"),
                standard_ids=standard_ids,
                issue_rule_ids=issue_ids,
                raw=p.freeze(r),
            )

        return _parse(method, build)

    def modify_institution(
        self,
        institution_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        enabled: bool | None = None,
        effective_start: datetime | None = None,
        effective_end: datetime | None = None,
    ) -> None:
        method = "alipay.ebpp.invoice.institution.modify"
        biz = self._ent(
            institution_id=institution_id,
            institution_name=name,
            institution_desc=description,
            effective=None if enabled is None else ("1" if enabled else "0"),
            effective_start_date=_fmt(effective_start),
            effective_end_date=_fmt(effective_end),
        )
        _check_result(method, self.call(method, biz), "result")

    def delete_institution(self, institution_id: str) -> None:
        method = "alipay.ebpp.invoice.institution.delete"
        _check_result(method, self.call(method, self._ent(institution_id=institution_id)), "result")

    def query_institution(self, institution_id: str) -> InstitutionDetail:
        method = "alipay.ebpp.invoice.institution.detailinfo.query"
        r = self.call(method, self._ent(institution_id=institution_id))
        return _parse(method, lambda: p.parse_institution_detail(r))

    def list_institutions(self, page_num: int = 1, page_size: int = 20) -> Page[InstitutionBasic]:
        method = "alipay.ebpp.invoice.institution.pageinfo.query"
        r = self.call(method, self._ent(page_num=page_num, page_size=page_size))
        return _parse(
            method,
            lambda: Page(
                items=tuple(
                    p.parse_institution_basic(i)
                    for i in p.obj_list(r, "institution_basic_info_list")
                ),
                page_num=page_num,
                page_size=page_size,
                total_pages=p.opt_int(r, "total_page_count"),
            ),
        )

    def iter_institutions(self, page_size: int = 20) -> Iterator[InstitutionBasic]:
        return _walk(lambda n: self.list_institutions(n, page_size))

    def modify_institution_scope(
        self,
        institution_id: str,
        add: Sequence[str] = (),
        remove: Sequence[str] = (),
        owner_type: str = OWNER_EMPLOYEE,
        adapter_type: str | None = None,
    ) -> None:
        method = "alipay.ebpp.invoice.institution.scope.modify"
        biz = self._ent(
            institution_id=institution_id,
            owner_type=owner_type,
            adapter_type=adapter_type,
            add_owner_id_list=list(add) or None,
            remove_owner_id_list=list(remove) or None,
        )
        _check_result(method, self.call(method, biz), "result")

    def list_institution_scope(
        self,
        institution_id: str,
        page_num: int = 1,
        page_size: int = 100,
        owner_type: str = OWNER_EMPLOYEE,
    ) -> Page[str]:
        """One page of owner ids in an institution's scope."""
        method = "alipay.ebpp.invoice.institution.scopepageinfo.query"
        biz = self._ent(
            institution_id=institution_id,
            owner_type=owner_type,
            page_num=page_num,
            page_size=page_size,
        )
        r = self.call(method, biz)
        return _parse(
            method,
            lambda: Page(
                items=p.str_list(r, "owner_id_list"),
                page_num=page_num,
                page_size=page_size,
                total_pages=p.opt_int(r, "total_page_count"),
            ),
        )

    def iter_institution_scope(
        self, institution_id: str, page_size: int = 100, owner_type: str = OWNER_EMPLOYEE
    ) -> Iterator[str]:
        return _walk(
            lambda n: self.list_institution_scope(institution_id, n, page_size, owner_type)
        )

    # --- expense (use) rules ----------------------------------------------------------------

    def create_expense_rule(
        self,
        institution_id: str,
        name: str,
        conditions: Sequence[RuleCondition],
        *,
        description: str | None = None,
        outer_source_id: str | None = None,
        consume_mode: str | None = None,
        payment_policy: str | None = None,
        expense_type_sub_category: str | None = None,
    ) -> str:
        """A use rule (使用规则) inside an institution; returns its standard_id."""
        method = "alipay.ebpp.invoice.institution.expenserule.create"
        biz = self._ent(
            institution_id=institution_id,
            standard_name=name,
            standard_desc=description,
            standard_condition_info_list=[_condition_biz(c) for c in conditions],
            outer_source_id=outer_source_id,
            consume_mode=consume_mode,
            payment_policy=payment_policy,
            expense_type_sub_category=expense_type_sub_category,
        )
        r = self.call(method, biz, idempotent=outer_source_id is not None)
        return _parse(method, lambda: p.req_str(r, "standard_id"))

    def modify_expense_rule(
        self,
        institution_id: str,
        standard_id: str,
        *,
        name: str | None = None,
        conditions: Sequence[RuleCondition] | None = None,
        description: str | None = None,
        consume_mode: str | None = None,
        payment_policy: str | None = None,
    ) -> None:
        method = "alipay.ebpp.invoice.institution.expenserule.modify"
        biz = self._ent(
            institution_id=institution_id,
            standard_id=standard_id,
            standard_name=name,
            standard_desc=description,
            standard_condition_info_list=(
                [_condition_biz(c) for c in conditions] if conditions is not None else None
            ),
            consume_mode=consume_mode,
            payment_policy=payment_policy,
        )
        _check_result(method, self.call(method, biz), "result")

    def delete_expense_rules(self, institution_id: str, standard_ids: Sequence[str]) -> None:
        method = "alipay.ebpp.invoice.institution.expenserule.delete"
        biz = self._ent(institution_id=institution_id, standard_id_list=list(standard_ids))
        _check_result(method, self.call(method, biz), "result")

    # --- quotas -----------------------------------------------------------------------------

    def create_quota(  # noqa: PLR0917 - the documented signature
        self,
        employee_id: str,
        institution_id: str,
        amount: Decimal,
        valid_from: datetime,
        valid_to: datetime,
        outer_source_id: str,
        *,
        quota_type: str = "CAP",
        user_name: str | None = None,
    ) -> QuotaCreated:
        """Issue ``amount`` yuan to an employee under an institution. ``outer_source_id`` is the
        idempotency key: the same id yields the same quota, so this call is safely retried."""
        method = "alipay.ebpp.invoice.expensecontrol.quota.create"
        value = _positive_yuan(amount, "amount")
        if valid_to <= valid_from:
            raise ValueError("valid_to must be after valid_from")
        if not outer_source_id:
            raise ValueError("outer_source_id (the idempotency key) is required")
        target = _compact(
            owner_id=employee_id,
            owner_type=OWNER_EMPLOYEE,
            issue_quota=money.yuan_str(value),  # yuan here, unlike quota.modify
            user_name=user_name,
        )
        biz = self._ent(
            outer_source_id=outer_source_id,
            quota_type=quota_type,
            target_type="INSTITUTION",
            target_id=institution_id,
            effective_start_date=p.format_datetime(valid_from),
            effective_end_date=p.format_datetime(valid_to),
            issue_quota_target_list=[target],
        )
        r = self.call(method, biz, idempotent=True)
        return _parse(
            method,
            lambda: QuotaCreated(
                quota_id=p.opt_str(r, "quota_id"),
                issue_batch_id=p.opt_str(r, "issue_batch_id"),
                failed=tuple(
                    p.parse_quota_failure(f)
                    for f in p.obj_list(r, "issue_quota_check_failed_list")
                    if not p.opt_bool(f, "result")
                ),
                raw=p.freeze(r),
            ),
        )

    def modify_quota(
        self,
        quota_id: str,
        action: QuotaAction | str,
        amount: Decimal | None,
        outer_source_id: str,
    ) -> None:
        """Change a quota (ADD / DEDUCT / UPDATE_BALANCE amounts in yuan; ENABLE / DISABLE take
        ``amount=None``). Sent to Alipay in fen."""
        method = "alipay.ebpp.invoice.expensecontrol.quota.modify"
        action = QuotaAction(action)
        fen: str | None = None
        if amount is not None:
            fen = str(money.to_fen(_positive_yuan(amount, "amount"), field="amount"))
        elif action in (QuotaAction.ADD, QuotaAction.DEDUCT, QuotaAction.UPDATE_BALANCE):
            raise ValueError(f"{action.value} needs an amount")
        biz = self._ent(
            quota_id=quota_id,
            action=action.value,
            amount=fen,
            outer_source_id=outer_source_id,
        )
        _check_result(method, self.call(method, biz), "success")

    def query_quotas(
        self,
        *,
        owner_id: str | None = None,
        institution_id: str | None = None,
        quota_ids: Sequence[str] | None = None,
        page_num: int = 1,
        page_size: int = 20,
        owner_type: str = OWNER_EMPLOYEE,
        quota_type: str | None = None,
    ) -> Page[Quota]:
        method = "alipay.ebpp.invoice.expensecontrol.quota.query"
        biz = self._ent(
            owner_id=owner_id,
            owner_type=owner_type if owner_id is not None else None,
            target_type="INSTITUTION" if institution_id is not None else None,
            target_id=institution_id,
            quota_id_list=list(quota_ids) if quota_ids is not None else None,
            quota_type=quota_type,
            page_num=page_num,
            page_size=page_size,
        )
        r = self.call(method, biz)
        return _parse(
            method,
            lambda: Page(
                items=tuple(p.parse_quota(q) for q in p.obj_list(r, "expense_quota_info_list")),
                page_num=page_num,
                page_size=page_size,
                total_pages=p.opt_int(r, "total_page_count"),
            ),
        )

    def iter_quotas(
        self,
        *,
        owner_id: str | None = None,
        institution_id: str | None = None,
        quota_ids: Sequence[str] | None = None,
        page_size: int = 20,
        owner_type: str = OWNER_EMPLOYEE,
        quota_type: str | None = None,
    ) -> Iterator[Quota]:
        return _walk(
            lambda n: self.query_quotas(
                owner_id=owner_id,
                institution_id=institution_id,
                quota_ids=quota_ids,
                page_num=n,
                page_size=page_size,
                owner_type=owner_type,
                quota_type=quota_type,
            )
        )

    def delete_quota(self, quota_id: str, issue_batch_id: str | None = None) -> None:
        biz = self._ent(quota_id=quota_id, issue_batch_id=issue_batch_id)
        self.call("alipay.ebpp.invoice.expensecontrol.quota.delete", biz)

    # --- bills ------------------------------------------------------------------------------

    def query_bill(self, pay_no: str) -> BillDetail:
        method = "alipay.commerce.ec.consume.detail.query"
        r = self.call(method, self._ent(pay_no=pay_no))
        return _parse(method, lambda: p.parse_bill_detail(r))

    def query_bills(
        self,
        start: datetime,
        end: datetime,
        page_num: int = 1,
        page_size: int = 100,
        employee_id: str | None = None,
    ) -> Page[Bill]:
        """One page of bills in ``[start, end]``, a window of at most 24 hours (Alipay's limit)."""
        if end < start:
            raise ValueError("end is before start")
        if end - start > BILL_WINDOW:
            raise ValueError("consume.detail.batchquery covers at most 24 hours per call")
        method = "alipay.commerce.ec.consume.detail.batchquery"
        biz = self._ent(
            start_date=p.format_datetime(start),
            end_date=p.format_datetime(end),
            employee_id=employee_id,
            page_num=str(page_num),  # documented as strings for this method
            page_size=str(page_size),
        )
        r = self.call(method, biz)
        return _parse(
            method,
            lambda: Page(
                items=tuple(p.parse_bill(c) for c in p.obj_list(r, "consume_info_list")),
                page_num=page_num,
                page_size=page_size,
            ),
        )

    def iter_bills(
        self,
        start: datetime,
        end: datetime,
        page_size: int = 100,
        employee_id: str | None = None,
    ) -> Iterator[Bill]:
        """Every bill from ``start`` to ``end``: walks 24-hour windows and their pages.

        Adjacent windows share their boundary second (so nothing is lost whether Alipay treats
        ``end_date`` as inclusive or not); a bill seen in the previous or current window is not
        yielded twice.
        """
        if end < start:
            raise ValueError("end is before start")
        previous: set[str] = set()
        window_start = start
        while window_start < end:
            window_end = min(window_start + BILL_WINDOW, end)
            current: set[str] = set()

            def fetch(n: int, s: datetime = window_start, e: datetime = window_end) -> Page[Bill]:
                return self.query_bills(s, e, n, page_size, employee_id)

            for bill in _walk(fetch):
                if bill.pay_no in previous or bill.pay_no in current:
                    continue
                current.add(bill.pay_no)
                yield bill
            previous = current
            window_start = window_end

    # --- vouchers and statements ------------------------------------------------------------

    def query_bill_vouchers(self, pay_no: str) -> list[Voucher]:
        """The vouchers (凭证/发票) attached to one bill."""
        return list(self.query_bill(pay_no).vouchers)

    def query_voucher_summary(self, summary_id: str) -> list[Voucher]:
        """The invoices of a summary batch (汇总批次, a bill's ``summary_apply_id``)."""
        method = "alipay.commerce.ec.voucher.summary.query"
        r = self.call(method, self._ent(summary_id=summary_id))
        return _parse(
            method, lambda: [p.parse_voucher(v) for v in p.obj_list(r, "voucher_info_list")]
        )

    def query_statement_url(self, bill_type: Literal["DAY", "MONTH"], bill_date: str | date) -> str:
        """Download link (valid ~3 minutes) of a day (``yyyy-MM-dd``) or month (``yyyy-MM``)
        statement. Today's / this month's statement does not exist yet."""
        if bill_type not in ("DAY", "MONTH"):
            raise ValueError("bill_type must be DAY or MONTH")
        if isinstance(bill_date, date):
            bill_date = bill_date.strftime("%Y-%m-%d" if bill_type == "DAY" else "%Y-%m")
        expected = "%Y-%m-%d" if bill_type == "DAY" else "%Y-%m"
        try:
            datetime.strptime(bill_date, expected)
        except ValueError as exc:
            raise ValueError(f"bill_date {bill_date!r} does not match {expected}") from exc
        method = "alipay.commerce.ec.balance.downloadurl.query"
        r = self.call(method, self._ent(bill_type=bill_type, bill_date=bill_date))
        return _parse(method, lambda: p.req_str(r, "bill_download_url"))


# --- helpers ------------------------------------------------------------------------------------


def _compact(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def _fmt(value: datetime | None) -> str | None:
    return p.format_datetime(value) if value is not None else None


def _positive_yuan(amount: Decimal, name: str) -> Decimal:
    value = money.parse(amount, field=name)
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return value


def _condition_biz(c: RuleCondition) -> dict[str, Any]:
    return _compact(
        rule_factor=c.rule_factor,
        rule_value=c.rule_value,
        rule_operator=c.rule_operator,
        rule_name=c.rule_name,
        rule_id=c.rule_id,
    )


def _rule_spec_biz(r: ExpenseRuleSpec) -> dict[str, Any]:
    return _compact(
        standard_name=r.name,
        standard_desc=r.description,
        outer_source_id=r.outer_source_id,
        consume_mode=r.consume_mode,
        payment_policy=r.payment_policy,
        expense_type_sub_category=r.expense_type_sub_category,
        standard_condition_info_list=[_condition_biz(c) for c in r.conditions],
    )


def _issue_spec_biz(r: IssueRuleSpec) -> dict[str, Any]:
    return _compact(
        issue_rule_name=r.name,
        issue_amount_value=money.yuan_str(_positive_yuan(r.amount, "issue_amount_value")),
        issue_type=r.issue_type,
        quota_type=r.quota_type,
        issue_start_date=_fmt(r.start),
        issue_end_date=_fmt(r.end),
        invalid_mode=r.invalid_mode,
        share_mode=r.share_mode,
        outer_source_id=r.outer_source_id,
    )


def _decode(method: str, content: str) -> dict[str, Any]:
    try:
        inner = json.loads(content, parse_float=Decimal)
    except ValueError as exc:  # pragma: no cover - _require_rsa2 already parsed it
        raise AlipayProtocolError(method, "response is not JSON") from exc
    if not isinstance(inner, dict):
        raise AlipayProtocolError(method, "response is not a JSON object")
    return inner


def _error_of(method: str, inner: Mapping[str, Any]) -> AlipayError | None:
    code = inner.get("code")
    code_text = None if code is None else str(code)
    sub_code = inner.get("sub_code") or None
    if code_text == SUCCESS_CODE and not sub_code:
        return None
    msg = inner.get("msg")
    sub_msg = inner.get("sub_msg")
    return AlipayError(
        method,
        code_text,
        None if msg is None else str(msg),
        None if sub_code is None else str(sub_code),
        None if sub_msg is None else str(sub_msg),
    )


def _check_result(method: str, response: Mapping[str, Any], key: str) -> None:
    """Some writes answer 10000 plus ``result``/``success``; a literal false is a failure."""
    value = _parse(method, lambda: p.opt_bool(response, key))
    if value is False:
        raise AlipayProtocolError(method, f"Alipay answered {key}=false")


def _parse(method: str, build: Callable[[], R]) -> R:
    try:
        return build()
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise AlipayProtocolError(method, f"unexpected response: {exc}") from exc


def _walk(fetch: Callable[[int], Page[T]]) -> Iterator[T]:
    """Items of page 1, 2, … until a page says it is the last (or comes back empty)."""
    page_num = 1
    while True:
        page = fetch(page_num)
        yield from page.items
        if not page.has_next:
            return
        page_num += 1
