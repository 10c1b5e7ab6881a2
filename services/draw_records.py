"""双随机一公开: drawing units from the register and inspectors from the roster, on the record.

The pools are fixed and hashed before the draw (:func:`draw_pools`); the seed comes from what a
witness types (:func:`perform_draw`, computed by :mod:`rules.random_draw`); every draw is kept,
including those discarded (作废, with the reason); :func:`replay_draw` recomputes a stored draw
from its recorded pools and shows it was not rigged; :func:`publication` lays it out for
公示. The drawn units become draft inspections with :func:`create_draw_inspections`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from checklists.regions import ancestors, region_by_code
from checklists.vocabulary import load_vocabulary
from models.base import utcnow
from models.draw import Draw, DrawResult
from models.registry import Conflict, Entity, Inspector
from rules import random_draw as dr
from rules.random_draw import (
    INSPECTED,
    OUTCOME_LABELS,
    OUTCOMES,
    PENDING,
    STATUS_LABELS,
    VALID,
    VOID,
)
from services.audit import audit


class DrawError(ValueError):
    """A draw cannot be made or changed as asked. The message is Chinese."""


# --------------------------------------------------------------------------- plain results


@dataclass(frozen=True)
class PoolEntity:
    id: int
    uuid: str
    name: str
    type_label: str
    region_name: str
    credit_code: str | None


@dataclass(frozen=True)
class PoolInspector:
    id: int
    uuid: str
    name: str
    department: str
    cert_no: str


@dataclass(frozen=True)
class DrawPools:
    """The pools as they stand now, hashed; shown before the witness types."""

    entities: tuple[PoolEntity, ...]
    inspectors: tuple[PoolInspector, ...]
    conflicts: tuple[tuple[str, str], ...]  # (inspector uuid, entity uuid)
    entity_pool_hash: str
    inspector_pool_hash: str
    conflicts_hash: str


@dataclass(frozen=True)
class DrawResultInfo:
    id: int
    position: int
    entity_id: int | None
    entity_uuid: str
    entity_name: str
    inspector_ids: tuple[int, ...]
    inspector_names: tuple[str, ...]
    outcome: str  # effective: 已检查 once the linked inspection is completed
    outcome_note: str | None
    inspection_id: int | None

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, self.outcome)


@dataclass(frozen=True)
class DrawInfo:
    id: int
    uuid: str
    title: str
    theme: str
    kind: str
    entity_types: tuple[str, ...]
    region_codes: tuple[str, ...]
    departments: tuple[str, ...]
    n: int
    per_entity: int
    entity_pool_size: int
    inspector_pool_size: int
    entity_pool_hash: str
    inspector_pool_hash: str
    conflicts_hash: str
    witness_name: str
    witness_input: str
    drawn_at: str
    algorithm: str
    seed: str
    operator: str | None
    status: str
    discard_reason: str | None
    results: tuple[DrawResultInfo, ...]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class ReplayCheck:
    label: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class ReplayReport:
    draw_id: int
    checks: tuple[ReplayCheck, ...]

    @property
    def matches(self) -> bool:
        return all(c.ok for c in self.checks)


# --------------------------------------------------------------------------- pools and draw


def draw_pools(session: Session, *, entity_types: Sequence[str] = (),
               region_codes: Sequence[str] = (),
               departments: Sequence[str] = ()) -> DrawPools:
    """Units of the given types (a group code takes its members) in the given regions (a region
    takes the regions under it), and the active inspectors with a 执法证号 of the given
    departments (all when empty), with every declared conflict between the two."""
    vocab = load_vocabulary()
    entities = []
    for row in session.scalars(select(Entity).order_by(Entity.uuid)):
        if entity_types and not vocab.is_any(row.type_code, list(entity_types)):
            continue
        if region_codes and not (row.region_code and set(ancestors(row.region_code))
                                 & set(region_codes)):
            continue
        region = region_by_code(row.region_code)
        entities.append(PoolEntity(row.id, row.uuid, row.name, vocab.type_label(row.type_code),
                                   region.name if region else (row.region_code or ""),
                                   row.credit_code))
    stmt = (select(Inspector).where(Inspector.active.is_(True), Inspector.cert_no.is_not(None))
            .order_by(Inspector.uuid))
    if departments:
        stmt = stmt.where(Inspector.department.in_(list(departments)))
    inspectors = [PoolInspector(r.id, r.uuid, r.name, r.department, r.cert_no or "")
                  for r in session.scalars(stmt) if (r.cert_no or "").strip()]
    e_uuid = {e.id: e.uuid for e in entities}
    i_uuid = {i.id: i.uuid for i in inspectors}
    pairs = sorted({(i_uuid[c.inspector_id], e_uuid[c.entity_id])
                    for c in session.scalars(select(Conflict))
                    if c.inspector_id in i_uuid and c.entity_id in e_uuid})
    return DrawPools(tuple(entities), tuple(inspectors), tuple(pairs),
                     dr.pool_hash(_rows(entities)), dr.pool_hash(_rows(inspectors)),
                     dr.conflicts_hash(pairs))


def perform_draw(session: Session, *, title: str, theme: str, kind: str, n: int,
                 per_entity: int = 2, witness_name: str, witness_input: str,
                 entity_types: Sequence[str] = (), region_codes: Sequence[str] = (),
                 departments: Sequence[str] = (), expected_hashes: tuple[str, str] | None = None,
                 operator: str | None = None, demo: bool = False,
                 now: datetime | None = None) -> DrawInfo:
    """Make and record one draw. ``expected_hashes`` are the (entity, inspector) pool hashes
    shown before the draw: if the register changed since, the draw is refused."""
    from rules.inspection_status import ENFORCEMENT, KINDS

    if kind not in KINDS:
        raise DrawError(f"检查类型应为{'、'.join(KINDS)}之一")
    if kind == ENFORCEMENT and per_entity < 2:
        raise DrawError("执法检查每户须派两名以上持有执法证件的检查人员")
    witness = (witness_name or "").strip()
    text = (witness_input or "").strip()
    if not witness:
        raise DrawError("请填写见证人姓名")
    if len(text) < 4:
        raise DrawError("请见证人输入至少4个字符的随机内容（如随口说出的一串数字或词语）")
    if not (title or "").strip():
        raise DrawError("请填写抽查任务名称")
    pools = draw_pools(session, entity_types=entity_types, region_codes=region_codes,
                       departments=departments)
    if expected_hashes is not None and expected_hashes != (pools.entity_pool_hash,
                                                           pools.inspector_pool_hash):
        raise DrawError("抽取前公示的名录与当前名录不一致（名录已被修改），请重新核对名录后再抽取")
    stamp = (now or utcnow()).replace(microsecond=0).isoformat()
    seed = dr.derive_seed(witness=text, entity_pool=pools.entity_pool_hash,
                          inspector_pool=pools.inspector_pool_hash,
                          conflicts=pools.conflicts_hash, n=n, per_entity=per_entity,
                          drawn_at=stamp)
    try:
        drawn = dr.compute_draw(_rows(pools.entities), _rows(pools.inspectors), pools.conflicts,
                                seed=seed, n=n, per_entity=per_entity)
    except dr.DrawComputationError as exc:
        raise DrawError(str(exc)) from None
    row = Draw(title=title.strip(), theme=theme, kind=kind, entity_types=list(entity_types),
               region_codes=list(region_codes), departments=list(departments), n=n,
               per_entity=per_entity, entity_pool=dr.pool_json(_rows(pools.entities)),
               inspector_pool=dr.pool_json(_rows(pools.inspectors)),
               conflicts=dr.conflicts_json(pools.conflicts),
               entity_pool_hash=pools.entity_pool_hash,
               inspector_pool_hash=pools.inspector_pool_hash,
               conflicts_hash=pools.conflicts_hash, witness_name=witness, witness_input=text,
               drawn_at=stamp, algorithm=dr.ALGORITHM, seed=seed, operator=operator,
               status=VALID, demo=demo)
    session.add(row)
    session.flush()
    session.add_all(DrawResult(
        draw_id=row.id, position=i, entity_id=d.entity.id, entity_uuid=d.entity.uuid,
        entity_name=d.entity.name, inspector_ids=[p.id for p in d.inspectors],
        inspector_uuids=[p.uuid for p in d.inspectors],
        inspector_names=[p.name for p in d.inspectors]) for i, d in enumerate(drawn, 1))
    session.flush()
    audit(session, "draw", "draws", row.uuid,
          {"seed": seed, "entity_pool": pools.entity_pool_hash,
           "inspector_pool": pools.inspector_pool_hash, "n": n, "witness": witness},
          user=operator)
    return get_draw(session, row.id)


def replay_draw(session: Session, draw_id: int) -> ReplayReport:
    """Recompute a stored draw from its recorded pools, witness text and time."""
    row = _draw(session, draw_id)
    entities = [dr.PoolRow(int(i), str(u), str(n)) for i, u, n in row.entity_pool]
    inspectors = [dr.PoolRow(int(i), str(u), str(n)) for i, u, n in row.inspector_pool]
    pairs = [(str(a), str(b)) for a, b in row.conflicts]
    checks = []
    hashes = (("被检查单位名录哈希", dr.pool_hash(entities), row.entity_pool_hash),
              ("检查人员名录哈希", dr.pool_hash(inspectors), row.inspector_pool_hash),
              ("回避关系哈希", dr.conflicts_hash(pairs), row.conflicts_hash))
    for label, got, want in hashes:
        checks.append(ReplayCheck(label, got == want, f"{got[:16]}…"))
    seed = dr.derive_seed(witness=row.witness_input, entity_pool=row.entity_pool_hash,
                          inspector_pool=row.inspector_pool_hash, conflicts=row.conflicts_hash,
                          n=row.n, per_entity=row.per_entity, drawn_at=row.drawn_at)
    checks.append(ReplayCheck("随机种子", seed == row.seed, f"{seed[:16]}…"))
    stored = [(r.entity_uuid, tuple(r.inspector_uuids)) for r in _results(session, row.id)]
    try:
        again = dr.compute_draw(entities, inspectors, pairs, seed=seed, n=row.n,
                                per_entity=row.per_entity)
        recomputed = [(d.entity.uuid, tuple(p.uuid for p in d.inspectors)) for d in again]
        same = recomputed == stored
        detail = f"{len(recomputed)}户单位及其检查人员" + ("一致" if same else "不一致")
    except dr.DrawComputationError as exc:
        same, detail = False, str(exc)
    checks.append(ReplayCheck("抽取结果", same, detail))
    return ReplayReport(row.id, tuple(checks))


def discard_draw(session: Session, draw_id: int, *, reason: str,
                 user: str | None = None) -> DrawInfo:
    """Mark a draw 作废 with its reason. It stays on record; drafts made from it stay too."""
    row = _draw(session, draw_id)
    why = (reason or "").strip()
    if not why:
        raise DrawError("作废抽查结果须写明理由")
    if row.status == VOID:
        raise DrawError("该次抽取已作废")
    from models.inspection import Inspection
    from rules.inspection_status import DRAFT

    made = session.scalars(select(Inspection.status).join(
        DrawResult, DrawResult.inspection_id == Inspection.id).where(
        DrawResult.draw_id == row.id)).all()
    if any(s != DRAFT for s in made):
        raise DrawError("已有检查按本次抽取结果开展，不能作废")
    row.status, row.discard_reason, row.discarded_at = VOID, why, utcnow()
    session.flush()
    audit(session, "discard", "draws", row.uuid, {"reason": why}, user=user)
    return get_draw(session, row.id)


def set_outcome(session: Session, result_id: int, outcome: str, *, note: str | None = None,
                user: str | None = None) -> DrawResultInfo:
    spec = next((o for o in OUTCOMES if o.code == outcome or o.label == outcome), None)
    if spec is None:
        raise DrawError(f"抽查结果应为{'、'.join(OUTCOME_LABELS.values())}之一")
    row = session.get(DrawResult, result_id)
    if row is None:
        raise DrawError(f"找不到抽取结果（编号 {result_id}）")
    if _draw(session, row.draw_id).status == VOID:
        raise DrawError("该次抽取已作废，不能登记结果")
    text = (note or "").strip() or None
    if spec.needs_note and text is None:
        raise DrawError(f"登记为“{spec.label}”须写明情况")
    old = row.outcome
    row.outcome, row.outcome_note = spec.code, text
    session.flush()
    audit(session, "outcome", "draw_results", row.uuid,
          {"from": old, "to": spec.code, "note": text}, user=user)
    return _result_info(session, row)


def get_draw(session: Session, draw_id: int) -> DrawInfo:
    row = _draw(session, draw_id)
    results = tuple(_result_info(session, r) for r in _results(session, row.id))
    return DrawInfo(
        row.id, row.uuid, row.title, row.theme, row.kind, tuple(row.entity_types),
        tuple(row.region_codes), tuple(row.departments), row.n, row.per_entity,
        len(row.entity_pool), len(row.inspector_pool), row.entity_pool_hash,
        row.inspector_pool_hash, row.conflicts_hash, row.witness_name, row.witness_input,
        row.drawn_at, row.algorithm, row.seed, row.operator, row.status, row.discard_reason,
        results)


def list_draws(session: Session) -> list[DrawInfo]:
    ids = session.scalars(select(Draw.id).order_by(Draw.id.desc())).all()
    return [get_draw(session, i) for i in ids]


def _draw(session: Session, draw_id: int) -> Draw:
    row = session.get(Draw, draw_id)
    if row is None:
        raise DrawError(f"找不到抽取记录（编号 {draw_id}）")
    return row


def _results(session: Session, draw_id: int) -> list[DrawResult]:
    return list(session.scalars(select(DrawResult).where(DrawResult.draw_id == draw_id)
                                .order_by(DrawResult.position)))


def _result_info(session: Session, row: DrawResult) -> DrawResultInfo:
    from models.inspection import Inspection
    from rules.inspection_status import COMPLETED, SIGNED

    outcome = row.outcome
    if outcome == PENDING and row.inspection_id is not None:
        status = session.scalar(select(Inspection.status)
                                .where(Inspection.id == row.inspection_id))
        if status in (COMPLETED, SIGNED):
            outcome = INSPECTED
    return DrawResultInfo(row.id, row.position, row.entity_id, row.entity_uuid, row.entity_name,
                          tuple(int(i) for i in row.inspector_ids),
                          tuple(str(n) for n in row.inspector_names), outcome, row.outcome_note,
                          row.inspection_id)


def _rows(items: Sequence[PoolEntity] | Sequence[PoolInspector]) -> list[dr.PoolRow]:
    return [dr.PoolRow(i.id, i.uuid, i.name) for i in items]

