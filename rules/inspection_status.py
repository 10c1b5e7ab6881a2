"""What an inspection can be and what its findings can say: kinds, statuses, results, signers."""

from __future__ import annotations

ENFORCEMENT = "执法检查"
SUPERVISION = "督查"
SELF_CHECK = "自查"
KINDS = (ENFORCEMENT, SUPERVISION, SELF_CHECK)

DRAFT = "draft"
COMPLETED = "completed"
SIGNED = "signed"
STATUS_LABELS = {DRAFT: "草稿", COMPLETED: "已完成", SIGNED: "已签名"}

PASS, FAIL, PARTIAL, NOT_APPLICABLE, NOT_CHECKED = "符合", "不符合", "部分符合", "不适用", "未检查"
RESULTS = (PASS, FAIL, PARTIAL, NOT_APPLICABLE, NOT_CHECKED)

ROLE_OFFICER = "检查人员"
ROLE_PARTY = "被检查单位负责人"
ROLE_WITNESS = "见证人"
SIGNER_ROLES = (ROLE_OFFICER, ROLE_PARTY, ROLE_WITNESS)

#: The party's opinion starts empty: it is the party's to give, never pre-filled.
DEFAULT_STATEMENT = ""
