"""Enterprise actions against the live sandbox: Alipay first, then the cache."""

from __future__ import annotations

import pytest
from org.org_fixtures import OrgSandbox

from workstation.alipay.errors import AlipayError
from workstation.enterprise.models import EnterpriseStatus
from workstation.enterprise.service import EnterpriseService, load_enterprise
from workstation.errors import ValidationError


def test_the_cached_enterprise_is_read_without_alipay(env: OrgSandbox) -> None:
    info = load_enterprise(env.database, env.enterprise_id)
    assert info is not None
    assert info.enterprise_id == env.enterprise_id
    assert info.status is EnterpriseStatus.SIGNED
    assert info.account_id
    assert load_enterprise(env.database, "no-such-enterprise") is None


def test_modify_reaches_alipay_and_the_cache(env: OrgSandbox, service: EnterpriseService) -> None:
    info = service.modify("  北京云帆科技有限公司 ", "云帆科技")
    assert (info.name, info.alias) == ("北京云帆科技有限公司", "云帆科技")
    remote = env.gateway.query_enterprise()
    assert (remote.enterprise_name, remote.enterprise_alias) == ("北京云帆科技有限公司", "云帆科技")
    assert load_enterprise(env.database, env.enterprise_id) == info


@pytest.mark.parametrize(
    ("name", "alias", "field"),
    [("", "x", "name"), ("名" * 101, None, "name"), ("新名字", "简" * 65, "alias")],
)
def test_modify_is_validated_before_the_call(
    env: OrgSandbox, service: EnterpriseService, name: str, alias: str | None, field: str
) -> None:
    before = env.snapshot()
    with pytest.raises(ValidationError) as caught:
        service.modify(name, alias)
    assert caught.value.field == field
    assert env.snapshot() == before
    assert env.gateway.query_enterprise().enterprise_name != "新名字"


def test_invite_link_is_stable_and_cached(env: OrgSandbox, service: EnterpriseService) -> None:
    first = service.create_invite()
    assert first.url.startswith(env.sandbox.url.rsplit("/", 1)[0])
    assert first.expire_time is not None
    assert service.create_invite().url == first.url  # same out_biz_no, same link
    cached = load_enterprise(env.database, env.enterprise_id)
    assert cached is not None
    assert (cached.invite_url, cached.invite_expire_time) == (first.url, first.expire_time)


def test_unsign_then_delete(env: OrgSandbox, service: EnterpriseService) -> None:
    result = service.unsign()
    assert "unsign" in result.unsign_url
    assert result.enterprise is not None
    assert result.enterprise.status is EnterpriseStatus.UNSIGNED
    assert result.enterprise.unsign_url == result.unsign_url
    assert env.gateway.query_enterprise().sign_status == "UNSIGNED"

    deleted = service.delete()
    assert deleted.status is EnterpriseStatus.DELETED
    with pytest.raises(AlipayError) as caught:
        env.gateway.query_enterprise()
    assert caught.value.sub_code == "ENTERPRISE_NOT_EXIST"
    with pytest.raises(ValidationError):
        service.delete()


def test_a_business_error_leaves_the_cache_unchanged(
    env: OrgSandbox, service: EnterpriseService
) -> None:
    env.gateway.delete_enterprise()  # deleted at Alipay behind the workstation's back
    before = env.snapshot()
    for action in (lambda: service.modify("新名字", None), service.unsign, service.refresh):
        with pytest.raises(AlipayError) as caught:
            action()
        assert caught.value.sub_code == "ENTERPRISE_NOT_EXIST"
        assert env.snapshot() == before
