"""Demo data. Every demo database is marked as such, so its records can never leave in a package."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.catalog import Measure, PolicyDocument
from models.settings import DEMO, JURISDICTION, ORG_CODE, ORGANISATION, get_setting, set_setting

DEMO_JURISDICTION = "640521"  # 中宁县: the demo is set in one county of 中卫市
DEMO_ORGANISATION = "中宁县卫生健康局"
DEMO_ORG_CODE = "中宁卫"


def fill_demo(session: Session) -> dict[str, int]:
    """Mark the database as demo and give it an organisation and a jurisdiction.

    The policy catalog itself is loaded on every open; this adds what a demo user needs to
    find their way around. Idempotent: running it again changes nothing.
    """
    set_setting(session, DEMO, True)
    if not get_setting(session, JURISDICTION):
        set_setting(session, JURISDICTION, DEMO_JURISDICTION)
    if not get_setting(session, ORGANISATION):
        set_setting(session, ORGANISATION, DEMO_ORGANISATION)
    if not get_setting(session, ORG_CODE):
        set_setting(session, ORG_CODE, DEMO_ORG_CODE)
    return {
        "政策文件": session.scalar(select(func.count()).select_from(PolicyDocument)) or 0,
        "措施": session.scalar(select(func.count()).select_from(Measure)) or 0,
    }
