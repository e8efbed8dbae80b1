"""The control endpoint that adds bills in bulk (benchmarks and demos use it)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from workstation.sandbox.testing import running_sandbox


def post(url: str, payload: object) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), method="POST", headers={"Connection": "close"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, json.loads(exc.read())


def test_simulate_adds_the_requested_number_of_bills(tmp_path: Path) -> None:
    with running_sandbox(tmp_path, employees=10, bills=50) as server:
        before = server.health()
        status, answer = post(f"{server.base_url}/control/simulate", {"bills": 7})
        assert status == 200
        assert len(answer["bills"]) == len(set(answer["bills"])) == 7  # type: ignore[arg-type]
        for pay_no in answer["bills"]:  # type: ignore[union-attr]
            detail = server.call(
                "alipay.commerce.ec.consume.detail.query",
                {"pay_no": pay_no, "enterprise_id": server.config["enterprise_id"]},
            )
            assert detail["consume_info"]["pay_no"] == pay_no
        assert before is not None


@pytest.mark.parametrize("bad", [0, -1, "5", True, 10**6])
def test_simulate_rejects_bad_counts(tmp_path: Path, bad: object) -> None:
    with running_sandbox(tmp_path, employees=5, bills=10) as server:
        status, answer = post(f"{server.base_url}/control/simulate", {"bills": bad})
        assert status == 400 and "bills" in str(answer["error"])
