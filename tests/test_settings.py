"""Settings round-trip; the app private key is never on disk in plain text."""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from workstation.bootstrap import (
    configuration_problems,
    key_fingerprint,
    save_configuration,
    saved_app_key_fingerprint,
)
from workstation.config import LANGUAGES, THEMES, AppPaths, Settings, SettingsStore, SyncIntervals
from workstation.errors import ValidationError
from workstation.keys import InvalidKeyError, generate_key_pair, public_key_of, strip_pem
from workstation.secret_store import MemoryKeyring, SecretStore, SecretStoreError


@pytest.fixture(scope="module")
def app_key() -> str:
    return generate_key_pair().private_pkcs1_pem


def paths(home: Path) -> AppPaths:
    return AppPaths(config_dir=home / "config", data_dir=home / "data")


def all_bytes_under(folder: Path) -> list[tuple[Path, bytes]]:
    return [(p, p.read_bytes()) for p in folder.rglob("*") if p.is_file()]


def test_default_paths_follow_workstation_home(home: Path) -> None:
    p = AppPaths.default()
    assert p.config_dir == home / "config"
    assert p.settings_file == home / "config" / "settings.json"
    assert p.secrets_dir == home / "data" / "secrets"


def test_settings_round_trip_keeps_token_out_of_the_file(
    home: Path, memory_keyring: MemoryKeyring
) -> None:
    p = paths(home)
    store = SettingsStore(p, SecretStore(p.secrets_dir, memory_keyring))
    settings = Settings(
        app_id="2021000000000001",
        enterprise_id="E0001",
        gateway_url="http://127.0.0.1:8701/gateway.do",
        relay_url="wss://relay.example.com/ws",
        relay_token="tok-very-secret-123",
        language="en",
        sync=SyncIntervals(bills=30, org=600),
    )
    store.save(settings)
    assert store.load() == settings
    text = p.settings_file.read_text(encoding="utf-8")
    assert "tok-very-secret-123" not in text
    assert json.loads(text)["sync"]["bills"] == 30


def test_missing_settings_file_gives_defaults(home: Path) -> None:
    assert SettingsStore(paths(home)).load() == Settings()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"app_id": "abc"}, "app_id"),
        ({"gateway_url": "ftp://x/gateway.do"}, "gateway_url"),
        ({"gateway_url": "http://openapi.example.com/gateway.do"}, "gateway_url"),
        ({"relay_url": "http://relay"}, "relay_url"),
        ({"relay_url": "ws://relay.example.com/ws"}, "relay_url"),
        ({"language": "fr"}, "language"),
        ({"backfill_days": 0}, "backfill_days"),
        ({"sync": SyncIntervals(bills=1)}, "sync.bills"),
    ],
)
def test_bad_settings_are_refused_with_the_field_named(
    change: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        replace(Settings(), **change).validated()  # type: ignore[arg-type]
    assert info.value.field == field


def test_corrupt_settings_file_is_a_clear_error(home: Path) -> None:
    p = paths(home)
    p.config_dir.mkdir(parents=True)
    p.settings_file.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        SettingsStore(p).load()
    assert info.value.field == "settings"


def test_private_key_is_encrypted_at_rest(
    home: Path, memory_keyring: MemoryKeyring, app_key: str
) -> None:
    p = paths(home)
    secrets = SecretStore(p.secrets_dir, memory_keyring)
    stored = secrets.save_app_private_key(strip_pem(app_key))  # bare base64, as pasted
    assert stored == app_key
    assert secrets.load_app_private_key() == app_key

    body = strip_pem(app_key)
    for path, data in all_bytes_under(home):
        text = data.decode("latin-1")
        assert "PRIVATE KEY" not in text, path
        # No 40-character run of the key's base64 appears anywhere, in any file.
        for i in range(0, len(body) - 40, 40):
            assert body[i : i + 40] not in text, path
    if os.name == "posix":
        assert secrets.key_file.stat().st_mode & 0o077 == 0
    # The keychain holds only the short wrapping key, well under Windows' 2 560-byte cap.
    assert all(len(v) < 100 for v in memory_keyring._values.values())


def test_key_survives_restart_and_resave(
    home: Path, memory_keyring: MemoryKeyring, app_key: str
) -> None:
    p = paths(home)
    SecretStore(p.secrets_dir, memory_keyring).save_app_private_key(app_key)
    assert SecretStore(p.secrets_dir, memory_keyring).load_app_private_key() == app_key
    other = generate_key_pair().private_pkcs1_pem
    SecretStore(p.secrets_dir, memory_keyring).save_app_private_key(other)
    assert SecretStore(p.secrets_dir, memory_keyring).load_app_private_key() == other


def test_malformed_key_is_refused_and_nothing_is_written(
    home: Path, memory_keyring: MemoryKeyring
) -> None:
    p = paths(home)
    secrets = SecretStore(p.secrets_dir, memory_keyring)
    with pytest.raises(InvalidKeyError):
        secrets.save_app_private_key(
            "-----BEGIN RSA PRIVATE KEY-----\nnope\n-----END RSA PRIVATE KEY-----"
        )
    assert not secrets.key_file.exists()
    assert secrets.load_app_private_key() is None


def test_key_file_without_keychain_entry_is_a_clear_error(
    home: Path, memory_keyring: MemoryKeyring, app_key: str
) -> None:
    p = paths(home)
    SecretStore(p.secrets_dir, memory_keyring).save_app_private_key(app_key)
    with pytest.raises(SecretStoreError) as info:
        SecretStore(p.secrets_dir, MemoryKeyring()).load_app_private_key()
    assert "keychain" in info.value.message_en


def test_tampered_key_file_is_detected(
    home: Path, memory_keyring: MemoryKeyring, app_key: str
) -> None:
    p = paths(home)
    secrets = SecretStore(p.secrets_dir, memory_keyring)
    secrets.save_app_private_key(app_key)
    payload = json.loads(secrets.key_file.read_text())
    payload["ciphertext"] = payload["ciphertext"][:-8] + "AAAAAAA="
    secrets.key_file.write_text(json.dumps(payload))
    with pytest.raises(SecretStoreError):
        secrets.load_app_private_key()


def test_delete_removes_both_halves(
    home: Path, memory_keyring: MemoryKeyring, app_key: str
) -> None:
    p = paths(home)
    secrets = SecretStore(p.secrets_dir, memory_keyring)
    secrets.save_app_private_key(app_key)
    secrets.delete_app_private_key()
    assert secrets.load_app_private_key() is None
    assert memory_keyring._values == {}


# -- notices, collected problems, saving with keys, fingerprints --------------------------------
def test_notice_settings_round_trip_as_exact_strings(home: Path) -> None:
    p = paths(home)
    settings = Settings(notice_bill_amount=Decimal("12345.60"), notice_quota_exhausted=False)
    SettingsStore(p).save(settings)
    data = json.loads(p.settings_file.read_text(encoding="utf-8"))
    assert data["notice_bill_amount"] == "12345.60"  # a string: no float ever holds money
    assert data["notice_quota_exhausted"] is False
    assert SettingsStore(p).load() == settings
    assert Settings().notice_bill_amount == Decimal("5000.00")
    assert Settings().notice_quota_exhausted is True


@pytest.mark.parametrize("raw", [5000.5, "-1.00", "1.234", "abc", True, None], ids=repr)
def test_bad_notice_amount_in_the_file_is_refused(home: Path, raw: object) -> None:
    p = paths(home)
    p.config_dir.mkdir(parents=True)
    p.settings_file.write_text(json.dumps({"notice_bill_amount": raw}), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        SettingsStore(p).load()
    assert info.value.field == "notice_bill_amount"


def test_problems_lists_every_bad_field_at_once() -> None:
    bad = replace(
        Settings(),
        app_id="12",
        gateway_url="ftp://x",
        relay_url="ws://relay.example.com",
        alipay_public_key="not a key",
        sync=SyncIntervals(bills=1, org=10**6),
        notice_bill_amount=Decimal("-1"),
    )
    fields = [p.field for p in bad.problems()]
    assert fields == [
        "app_id",
        "gateway_url",
        "relay_url",
        "alipay_public_key",
        "sync.bills",
        "sync.org",
        "notice_bill_amount",
    ]
    with pytest.raises(ValidationError) as info:
        bad.validated()
    assert info.value.field == "app_id"
    assert Settings().problems() == []


def test_a_private_key_pasted_as_the_alipay_public_key_is_refused(app_key: str) -> None:
    problems = replace(Settings(), alipay_public_key=app_key).problems()
    assert [p.field for p in problems] == ["alipay_public_key"]
    assert "私钥" in problems[0].message_zh and "private key" in problems[0].message_en


intervals = st.integers(min_value=SyncIntervals.MIN, max_value=SyncIntervals.MAX)
valid_settings = st.builds(
    Settings,
    app_id=st.from_regex(r"\d{8,32}", fullmatch=True),
    enterprise_id=st.from_regex(r"[0-9A-Za-z_-]{0,64}", fullmatch=True),
    notice_bill_amount=st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2),
    notice_quota_exhausted=st.booleans(),
    sync=st.builds(SyncIntervals, bills=intervals, org=intervals, vouchers=intervals),
    backfill_days=st.integers(min_value=1, max_value=3650),
    language=st.sampled_from(LANGUAGES),
    theme=st.sampled_from(THEMES),
)


@hypothesis_settings(max_examples=60, deadline=None)
@given(valid_settings)
def test_any_valid_settings_survive_json(original: Settings) -> None:
    assert original.problems() == []
    text = json.dumps(original.to_json_dict(), ensure_ascii=False)
    assert Settings.from_json_dict(json.loads(text)) == original


def test_save_configuration_stores_keys_apart_and_never_in_plain_text(
    home: Path, memory_keyring: MemoryKeyring, app_key: str
) -> None:
    p = paths(home)
    secrets = SecretStore(p.secrets_dir, memory_keyring)
    store = SettingsStore(p, secrets)
    alipay_public = generate_key_pair().public_spki_pem
    pkcs8 = _pkcs8(app_key)
    saved = save_configuration(
        store,
        Settings(
            app_id="2021000000000001",
            alipay_public_key=strip_pem(alipay_public),  # bare base64, as Alipay's console shows
            relay_url="wss://relay.example.com/ws",
            relay_token="tok-very-secret-123",
        ),
        app_private_key=strip_pem(pkcs8),
    )
    assert saved.alipay_public_key == alipay_public  # normalised to SPKI PEM
    assert store.load() == saved
    assert secrets.load_app_private_key() == app_key  # PKCS#8 in, PKCS#1 stored
    body = strip_pem(app_key)
    pkcs8_body = strip_pem(pkcs8)
    for path, data in all_bytes_under(home):
        text = data.decode("latin-1")
        assert "PRIVATE KEY" not in text and "tok-very-secret-123" not in text, path
        for key_body in (body, pkcs8_body):
            for i in range(0, len(key_body) - 40, 40):
                assert key_body[i : i + 40] not in text, path

    # An empty key keeps the saved one; the rest is updated.
    save_configuration(store, replace(saved, app_id="2021000000000002"), app_private_key="")
    assert store.load().app_id == "2021000000000002"
    assert secrets.load_app_private_key() == app_key


def test_save_configuration_writes_nothing_while_anything_is_invalid(
    home: Path, memory_keyring: MemoryKeyring, app_key: str
) -> None:
    p = paths(home)
    secrets = SecretStore(p.secrets_dir, memory_keyring)
    store = SettingsStore(p, secrets)
    bad = Settings(app_id="2021000000000001", gateway_url="http://example.com/gateway.do")
    with pytest.raises(ValidationError) as info:
        save_configuration(store, bad, app_private_key=app_key)  # valid key, invalid URL
    assert info.value.field == "gateway_url"
    problems = configuration_problems(bad, "-----BEGIN RSA PRIVATE KEY-----\nx\n")
    assert [p.field for p in problems] == ["gateway_url", "app_private_key"]
    assert not p.settings_file.exists()
    assert not secrets.key_file.exists()
    assert memory_keyring._values == {}


def test_fingerprint_names_a_key_pair_without_revealing_it(app_key: str) -> None:
    public = public_key_of(app_key)
    fingerprint = key_fingerprint(app_key)
    assert re.fullmatch(r"[0-9a-f]{4}(:[0-9a-f]{4}){3}", fingerprint)
    assert key_fingerprint(public) == fingerprint  # the pair matches
    assert key_fingerprint(strip_pem(_pkcs8(app_key))) == fingerprint  # any format, same key
    assert key_fingerprint(generate_key_pair().private_pkcs1_pem) != fingerprint
    assert fingerprint.replace(":", "") not in strip_pem(app_key).lower()
    with pytest.raises(InvalidKeyError):
        key_fingerprint("not a key")


def test_saved_fingerprint_reads_the_secret_store(
    home: Path, memory_keyring: MemoryKeyring, app_key: str
) -> None:
    secrets = SecretStore(paths(home).secrets_dir, memory_keyring)
    assert saved_app_key_fingerprint(secrets) is None
    secrets.save_app_private_key(app_key)
    assert saved_app_key_fingerprint(secrets) == key_fingerprint(app_key)


def _pkcs8(pkcs1_pem: str) -> str:
    key = serialization.load_pem_private_key(pkcs1_pem.encode(), None)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
