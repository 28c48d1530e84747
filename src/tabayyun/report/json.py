"""JSON output: UTF-8 Arabic as is, one object per claim."""
from __future__ import annotations

import json
from typing import Any

from tabayyun.records import Claim

__all__ = ["dumps", "claim_dict"]


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def claim_dict(claim: Claim) -> dict[str, Any]:
    return {"claim": claim.text, "span": list(claim.span) if claim.span else None,
            "checkworthiness": round(claim.checkworthiness, 4)}
