"""Identifier formats. Numeric strings like Alipay's, with a leading digit per kind so a value
pasted into a bug report says what it is (1… department, 2… employee, 3… institution, …)."""

from __future__ import annotations

import hashlib

__all__ = [
    "app_id_for_seed",
    "department_id",
    "digits",
    "employee_id",
    "enterprise_id_for_seed",
    "institution_id",
    "issue_batch_id",
    "issue_rule_id",
    "open_id_for",
    "pay_no",
    "pay_no_id",
    "quota_id",
    "rule_id",
    "standard_id",
    "user_id_for",
]

_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def digits(tag: str, n: int) -> str:
    """``n`` decimal digits derived from ``tag`` (stable across runs and platforms)."""
    value = int.from_bytes(hashlib.sha256(tag.encode()).digest(), "big")
    return f"{value % 10**n:0{n}d}"


def app_id_for_seed(seed: int) -> str:
    return f"2021{seed % 10**12:012d}"


def enterprise_id_for_seed(seed: int) -> str:
    return "2088" + digits(f"enterprise:{seed}", 12)


def department_id(n: int) -> str:
    return f"1{n:07d}"


def employee_id(n: int) -> str:
    return f"2{n:09d}"


def institution_id(n: int) -> str:
    return f"3{n:011d}"


def standard_id(n: int) -> str:
    return f"4{n:011d}"


def issue_rule_id(n: int) -> str:
    return f"5{n:011d}"


def quota_id(n: int) -> str:
    return f"6{n:015d}"


def issue_batch_id(n: int) -> str:
    return f"7{n:015d}"


def rule_id(n: int) -> str:
    return f"8{n:011d}"


def user_id_for(employee: str) -> str:
    """The employee's Alipay uid (2088 + 12 digits), known once the employee has activated."""
    return "2088" + digits(f"user:{employee}", 12)


def open_id_for(employee: str) -> str:
    value = int.from_bytes(hashlib.sha256(f"open:{employee}".encode()).digest(), "big")
    out = []
    for _ in range(30):
        value, r = divmod(value, 62)
        out.append(_B62[r])
    return "0" + "".join(out)


def pay_no(bill_id: int, created: str) -> str:
    """Alipay-style 28-digit trade number: ``yyyyMMdd`` + ``2200`` + 16-digit serial.

    The serial is the bill's row id, so a lookup by pay_no needs no extra index.
    """
    return f"{created[0:4]}{created[5:7]}{created[8:10]}2200{bill_id:016d}"


def pay_no_id(value: str) -> int | None:
    """The row id inside a pay_no, or None if the text cannot be one of ours."""
    if len(value) != 28 or not value.isdigit() or value[8:12] != "2200":
        return None
    return int(value[12:])
