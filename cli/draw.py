"""``draw``: 双随机抽查 on the command line - pools, a new draw, the record, and its replay.

``draw pools`` prints the pool hashes to read out before the witness types; ``draw run`` makes
and records a draw; ``draw show ID --json`` prints it as published; ``draw replay ID`` recomputes
it and exits 1 when the record does not match.
"""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from cli.context import CliContext


def register(sub: Any) -> None:
    p = sub.add_parser("draw", help="双随机抽查：名录哈希、抽取、公示内容、重放核验")
    cmds = p.add_subparsers(dest="draw_command", metavar="子命令", required=True)

    def filters(q: argparse.ArgumentParser) -> None:
        q.add_argument("--entity-type", action="append", default=[],
                       help="单位类型代码（如 childcare）；可重复")
        q.add_argument("--region", action="append", default=[], help="行政区划代码；可重复")
        q.add_argument("--department", action="append", default=[],
                       help="检查人员部门类别；可重复")

    pools = cmds.add_parser("pools", help="当前名录及其哈希（抽取前公示）")
    filters(pools)
    pools.set_defaults(func=cmd_pools)
    run = cmds.add_parser("run", help="抽取并记录")
    filters(run)
    run.add_argument("--title", required=True, help="抽查任务名称")
    run.add_argument("--theme", required=True, help="检查主题名称")
    run.add_argument("--kind", default="执法检查", help="检查类型（执法检查、督查、自查）")
    run.add_argument("-n", type=int, required=True, help="抽取户数")
    run.add_argument("--per-entity", type=int, default=2, help="每户检查人员数（默认2）")
    run.add_argument("--witness-name", required=True, help="见证人姓名")
    run.add_argument("--witness-input", required=True, help="见证人当场输入的内容")
    run.add_argument("--expect", nargs=2, metavar=("单位名录哈希", "人员名录哈希"),
                     help="抽取前公示的两个哈希；名录有变化则拒绝抽取")
    run.set_defaults(func=cmd_run)
    show = cmds.add_parser("show", help="一次抽取的公示内容")
    show.add_argument("draw_id", type=int)
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    show.set_defaults(func=cmd_show)
    replay = cmds.add_parser("replay", help="按记录重放并核验")
    replay.add_argument("draw_id", type=int)
    replay.set_defaults(func=cmd_replay)


def _filters(args: argparse.Namespace) -> dict[str, list[str]]:
    return {"entity_types": args.entity_type, "region_codes": args.region,
            "departments": args.department}


def cmd_pools(args: argparse.Namespace, ctx: CliContext) -> int:
    from services.draw_records import draw_pools

    with ctx.open_db().session() as session:
        p = draw_pools(session, **_filters(args))
    print(f"被检查单位 {len(p.entities)} 户  {p.entity_pool_hash}", file=ctx.stdout)
    print(f"检查人员   {len(p.inspectors)} 名  {p.inspector_pool_hash}", file=ctx.stdout)
    print(f"回避登记   {len(p.conflicts)} 条  {p.conflicts_hash}", file=ctx.stdout)
    return 0


def cmd_run(args: argparse.Namespace, ctx: CliContext) -> int:
    from services.draw_records import DrawError, perform_draw

    try:
        with ctx.open_db().session() as session:
            info = perform_draw(session, title=args.title, theme=args.theme, kind=args.kind,
                                n=args.n, per_entity=args.per_entity,
                                witness_name=args.witness_name,
                                witness_input=args.witness_input,
                                expected_hashes=tuple(args.expect) if args.expect else None,
                                entity_types=args.entity_type, region_codes=args.region,
                                departments=args.department)
    except DrawError as exc:
        return ctx.fail(str(exc))
    print(f"抽取编号 {info.id}  随机种子 {info.seed}", file=ctx.stdout)
    for r in info.results:
        print(f"{r.position:>3}  {r.entity_name}  {'、'.join(r.inspector_names)}", file=ctx.stdout)
    return 0


def cmd_show(args: argparse.Namespace, ctx: CliContext) -> int:
    from services.draw_followup import publication
    from services.draw_records import DrawError

    try:
        with ctx.open_db().session() as session:
            pub = publication(session, args.draw_id)
    except DrawError as exc:
        return ctx.fail(str(exc))
    if args.json:
        ctx.write_json(dataclasses.asdict(pub))
        return 0
    print(f"{pub.title}（{pub.status}）  抽取时间 {pub.drawn_at}", file=ctx.stdout)
    print(f"见证人 {pub.witness_name}  见证输入 {pub.witness_input}  种子 {pub.seed}",
          file=ctx.stdout)
    for r in pub.rows:
        print(f"{r.position:>3}  {r.entity_name}  {r.credit_code}  {r.inspectors}  {r.outcome}",
              file=ctx.stdout)
    return 0


def cmd_replay(args: argparse.Namespace, ctx: CliContext) -> int:
    from services.draw_records import DrawError, replay_draw

    try:
        with ctx.open_db().session() as session:
            report = replay_draw(session, args.draw_id)
    except DrawError as exc:
        return ctx.fail(str(exc))
    for c in report.checks:
        print(f"{'一致' if c.ok else '不一致'}  {c.label}  {c.detail}", file=ctx.stdout)
    print("重放结果与记录一致。" if report.matches else "重放结果与记录不一致！", file=ctx.stdout)
    return 0 if report.matches else 1
