"""``checklist generate``, ``checklist coverage`` and ``checklist themes`` on the command line.

The catalog comes from the database and the themes are the shipped ones with the user's
template layer laid over them, so the command line gives exactly what the GUI gives. A name
that does not exist (theme, document, entity type, department, fact) exits with code 2 and a
Chinese message on stderr.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from cli.context import CliContext
from rules.china_time import today as china_today

USAGE_ERROR = 2


def register(sub: Any) -> None:
    p = sub.add_parser("checklist", help="生成检查清单、查看措施覆盖情况")
    cmds = p.add_subparsers(dest="checklist_command", metavar="子命令", required=True)

    g = cmds.add_parser("generate", help="按主题、政策文件和被检查单位生成检查清单")
    g.add_argument("--theme", action="append", required=True,
                   help="检查主题（名称如 母婴设施，或代码）；可重复")
    g.add_argument("--document", action="append", default=[],
                   help="政策文件：目录编号，或地区简称（中宁、宝鸡、鹿寨、内蒙古、白银）；可重复")
    g.add_argument("--entity-type", help="被检查单位类型（代码如 childcare，或名称如 托育机构）")
    g.add_argument("--fact", action="append", default=[], metavar="键=值",
                   help="单位情况，如 building_area_m2=12000、frequent_mother_infant=是；可重复")
    g.add_argument("--department", action="append", default=[],
                   help="检查（或被督查）部门类别，如 卫生健康、消防救援；可重复")
    g.add_argument("--jurisdiction", help="被检查单位所在行政区划代码（默认取自所选文件）")
    g.add_argument("--as-of", help="依据日期 YYYY-MM-DD（默认今天；决定督查目标是否到期）")
    g.add_argument("--format", choices=("json", "xlsx", "xlsform"), default="json")
    g.add_argument("-o", "--output", type=Path, help="输出文件（xlsx、xlsform 必填）")
    g.set_defaults(func=cmd_generate)

    c = cmds.add_parser("coverage", help="各政策文件中尚无检查项核查的措施")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")
    c.set_defaults(func=cmd_coverage)

    t = cmds.add_parser("themes", help="列出检查主题")
    t.add_argument("--json", action="store_true", help="以 JSON 输出")
    t.set_defaults(func=cmd_themes)


def cmd_generate(args: argparse.Namespace, ctx: CliContext) -> int:
    from checklists.checklist_model import Selection
    from checklists.generator import SelectionError, generate
    from checklists.template_model import TemplateError
    from checklists.vocabulary import load_vocabulary
    from services.catalog import load_catalog
    from services.user_templates import effective_themes

    if args.format in ("xlsx", "xlsform") and args.output is None:
        return ctx.fail(f"输出 {args.format} 时请用 -o 指定文件。", USAGE_ERROR)
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else china_today()
    except ValueError:
        return ctx.fail(f"日期格式应为 YYYY-MM-DD：{args.as_of}", USAGE_ERROR)
    vocab = load_vocabulary()
    try:
        entity_type = _entity_type(args.entity_type, vocab)
        facts = _facts(args.fact)
    except ValueError as exc:
        return ctx.fail(str(exc), USAGE_ERROR)
    try:
        with ctx.open_db().session() as session:
            catalog = load_catalog(session)
            themes = effective_themes(session)
    except TemplateError as exc:
        return ctx.fail(str(exc))
    try:
        documents = [_document(name, catalog) for name in args.document]
        selection = Selection(themes=tuple(args.theme), documents=tuple(documents),
                              entity_type=entity_type, facts=facts,
                              departments=tuple(args.department), jurisdiction=args.jurisdiction)
        checklist = generate(selection, catalog, themes, as_of=as_of, vocab=vocab)
    except (SelectionError, ValueError) as exc:
        return ctx.fail(str(exc), USAGE_ERROR)
    return _write(checklist, args, ctx, catalog, vocab)


def _write(checklist: Any, args: argparse.Namespace, ctx: CliContext, catalog: Any,
           vocab: Any) -> int:
    from checklists.snapshot import checklist_json

    if args.format == "json":
        text = json.dumps(checklist_json(checklist), ensure_ascii=False, indent=2) + "\n"
        if args.output is None:
            ctx.stdout.write(text)
            return 0
        args.output.write_text(text, encoding="utf-8")
    elif args.format == "xlsx":
        from checklists.export_xlsx import write_checklist_xlsx

        chosen = set(checklist.selection.documents)
        titles = [d.title for d in catalog if d.id in chosen]
        label = vocab.type_label(checklist.selection.entity_type) if \
            checklist.selection.entity_type else None
        write_checklist_xlsx(checklist, args.output, entity_label=label, documents=titles)
    else:
        from checklists.export_xlsform import write_xlsform

        write_xlsform(checklist, args.output)
    print(f"已生成“{checklist.title}”检查清单：{len(checklist.items)} 项，"
          f"排除 {len(checklist.excluded)} 项 → {args.output}", file=ctx.stdout)
    return 0


def cmd_coverage(args: argparse.Namespace, ctx: CliContext) -> int:
    from checklists.coverage import coverage, coverage_json
    from checklists.template_model import TemplateError
    from services.catalog import load_catalog
    from services.user_templates import effective_themes

    try:
        with ctx.open_db().session() as session:
            cov = coverage(load_catalog(session), effective_themes(session))
    except TemplateError as exc:
        return ctx.fail(str(exc))
    if args.json:
        ctx.write_json(coverage_json(cov))
        return 0
    for d in cov.documents:
        print(f"{d.short}《{d.title}》：{len(d.covered)}/{d.total} 条措施已有检查项"
              f"（{d.ratio:.0%}）", file=ctx.stdout)
        themes = "、".join(f"{name} {n}" for _, name, n in d.by_theme if n)
        if themes:
            print(f"  按主题：{themes}", file=ctx.stdout)
        for m in d.uncovered:
            print(f"  未覆盖 {m.ref} {m.title}", file=ctx.stdout)
    return 0


def cmd_themes(args: argparse.Namespace, ctx: CliContext) -> int:
    from checklists.template_model import TemplateError
    from services.user_templates import effective_themes

    try:
        with ctx.open_db().session() as session:
            themes = effective_themes(session)
    except TemplateError as exc:
        return ctx.fail(str(exc))
    rows = [{"code": t.code, "name": t.name, "kind": t.kind, "version": t.version,
             "description": t.description, "entity_types": list(t.entity_types),
             "facts": list(t.facts), "items": len(t.items)} for t in themes]
    if args.json:
        ctx.write_json({"themes": rows})
    else:
        for r in rows:
            size = "按所选文件的措施生成" if r["kind"] == "supervision" else f"{r['items']} 项"
            print(f"{r['name']}（{r['code']}）：{size}  {r['description']}", file=ctx.stdout)
    return 0


def _entity_type(name: str | None, vocab: Any) -> str | None:
    if name is None:
        return None
    for t in vocab.entity_types:
        if name in (t.code, t.label):
            return str(t.code)
    known = "、".join(f"{t.code}（{t.label}）" for t in vocab.entity_types)
    raise ValueError(f"没有这个被检查单位类型：{name}（可选：{known}）")


def _facts(pairs: list[str]) -> dict[str, str]:
    facts: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"单位情况应写成 键=值：{pair}")
        facts[key.strip()] = value.strip()
    return facts


def _document(name: str, catalog: Any) -> str:
    """A document id from an id, a region short name (宝鸡) or a region's full name."""
    from checklists.regions import region_by_code

    for doc in catalog:
        if doc.id == name:
            return str(doc.id)
    hits = []
    for doc in catalog:
        region = region_by_code(doc.region_code)
        if name in (doc.short, region.name if region else None):
            hits.append(doc)
    if len(hits) == 1:
        return str(hits[0].id)
    if len(hits) > 1:
        listed = "；".join(f"{d.id}《{d.title}》" for d in hits)
        raise ValueError(f"“{name}”对应多份政策文件，请用目录编号指定：{listed}")
    known = "、".join(d.short for d in catalog)
    raise ValueError(f"政策目录中没有这份文件：{name}（可用地区简称：{known}，或目录编号）")
