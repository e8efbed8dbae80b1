"""Settings round-trip; the app private key is never on disk in plain text."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from workstation.config import AppPaths, Settings, SettingsStore, SyncIntervals
from workstation.errors import ValidationError
from workstation.keys import InvalidKeyError, generate_key_pair, strip_pem
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
