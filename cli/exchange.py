"""Exchange packages on the command line: ``export``, ``import``, ``verify``, ``devices``,
``conflicts``, ``receipt`` and ``received`` (the packages imported here)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cli.context import CliContext
from cli.dates import date_argument


def register(sub: Any) -> None:
    p = sub.add_parser("export", help="导出数据包（.sypkg），交给督查人员或其他检查人员")
    p.add_argument("-o", "--output", type=Path, required=True, help="数据包文件")
    p.add_argument("--since-last-to", metavar="接收方",
                   help="只导出上次交给该接收方之后新增或修改的记录")
    p.add_argument("--from", dest="date_from", type=date_argument, help="检查日期起")
    p.add_argument("--to", dest="date_to", type=date_argument, help="检查日期止")
    p.add_argument("--theme", help="检查主题")
    p.add_argument("--region", help="行政区划（代码或名称）")
    p.add_argument("--inspection", action="append", default=[], metavar="ID",
                   help="指定检查记录（inspections --json 中的 id；可重复）")
    p.add_argument("--drafts", action="store_true", help="同时导出草稿")
    p.add_argument("--password-file", type=Path, help="加密密码所在的文件（第一行）")
    p.add_argument("--split-mb", type=float, help="按此大小（MB）分卷")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="导入数据包：先校验并显示将要合并的内容，确认后合并")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE",
                   help="一个或多个数据包，逐个预览并合并；分卷的数据包请列出它的全部分卷")
    p.add_argument("--dry-run", action="store_true", help="只显示将要合并的内容，不写入")
    p.add_argument("--yes", action="store_true", help="不再询问，直接合并")
    p.add_argument("--trust", action="store_true", help="接受未签名或未信任设备的数据包")
    p.add_argument("--password-file", type=Path, help="解密密码所在的文件（第一行）")
    p.add_argument("--receipt-dir", type=Path, help="回执保存到此文件夹")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("verify", help="校验数据包：完整性、签名、格式，不导入")
    p.add_argument("file", nargs="+", type=Path, metavar="FILE",
                   help="数据包文件（分卷的数据包请列出它的全部分卷）")
    p.add_argument("--password-file", type=Path, help="解密密码所在的文件（第一行）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("devices", help="设备：查看本机指纹、信任或撤销其他设备")
    p.add_argument("action", choices=("list", "trust", "revoke"),
                   help="list：列出本机指纹和各设备；trust：信任一台设备（与对方核对指纹后）；"
                        "revoke：撤销信任，此后拒绝它的数据包")
    p.add_argument("target", nargs="?", help="设备指纹（至少前 8 位）或该设备的数据包文件")
    p.add_argument("--name", help="给这台设备起的名称，如“中宁县卫健局 张三”，导入时按此显示来源")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_devices)

    p = sub.add_parser("conflicts", help="冲突：查看双方版本并作出决定")
    p.add_argument("action", choices=("list", "show", "resolve"),
                   help="list：列出冲突；show：查看一条冲突的双方版本；resolve：作出决定")
    p.add_argument("id", nargs="?", type=int, help="冲突编号")
    p.add_argument("--use", choices=("local", "incoming", "merged", "noted"),
                   help="采用本机版本、对方版本、逐项合并，或（文书编号重复）登记为已知悉")
    p.add_argument("--field", action="append", default=[], metavar="字段=local|incoming",
                   help="逐项合并时每个字段采用哪一方（未列出的采用本机）；字段写 conflicts show "
                        "列出的名称，如 --field 地址=incoming")
    p.add_argument("--all", action="store_true", help="list：包括已解决的冲突")
    p.add_argument("--again", action="store_true",
                   help="resolve：改变本机对一条已解决冲突的决定（该记录此后未再修改时）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_conflicts)

    p = sub.add_parser("received", help="收到的数据包：列出导入过的数据包，查看一次导入的详情")
    p.add_argument("action", choices=("list", "show"),
                   help="list：列出导入过的数据包（最新的在前）；show：一次导入的各类记录数量、"
                        "提示和有变化的记录")
    p.add_argument("id", nargs="?", type=int, help="导入编号（list 列出的 #编号）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_received)

    p = sub.add_parser("receipt", help="回执：导入督查方的回执，查看其已接收的记录")
    p.add_argument("action", choices=("import",), help="import：导入对方交回的回执")
    p.add_argument("file", type=Path, metavar="FILE", help="回执文件（.syrcpt）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_receipt)


def _password(path: Path | None, ctx: CliContext) -> str | None:
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"无法读取密码文件 {path}：{getattr(exc, 'strerror', exc)}") from None
    if not text or not text[0].strip():
        raise ValueError(f"密码文件 {path} 是空的。")
    return text[0].strip()


def _dump(ctx: CliContext, data: Any) -> None:
    ctx.write_json(data, default=str)


def _inspection_ids(session: Any, wanted: list[str]) -> tuple[int, ...]:
    from services.inspection_access import find_inspection_id

    return tuple(find_inspection_id(session, w) for w in wanted)


def cmd_export(args: argparse.Namespace, ctx: CliContext) -> int:
    from sync.export import ExportError, ExportSelection, export_package
    from sync.format import PackageError
    from sync.keys import SigningKeyError, load_or_create

    if args.since_last_to and (args.date_from or args.date_to or args.theme or args.region
                               or args.inspection):
        return ctx.fail("--since-last-to 不能与日期、主题、地区或检查记录的选择同时使用。", 2)
    if args.split_mb is not None and args.split_mb <= 0:
        return ctx.fail("--split-mb 应大于 0。", 2)
    try:
        password = _password(args.password_file, ctx)
        key = load_or_create()
        db = ctx.open_db()
        with db.session() as session:
            ids = _inspection_ids(session, args.inspection)
            selection = ExportSelection(
                since_last_to=args.since_last_to, date_from=args.date_from,
                date_to=args.date_to, theme=args.theme, region=args.region,
                inspection_ids=ids, include_drafts=args.drafts)
            result = export_package(
                session, args.output, selection, key=key, evidence_root=db.evidence_root,
                password=password,
                split_bytes=int(args.split_mb * 1024 * 1024) if args.split_mb else None)
    except (ExportError, PackageError, SigningKeyError, ValueError, LookupError) as exc:
        return ctx.fail(str(exc))
    if args.json:
        _dump(ctx, {"files": [str(p) for p in result.paths], "package_id": result.package_id,
                    "sha256": result.sha256, "counts": result.counts, "total": result.total,
                    "evidence_files": result.evidence_files, "demo": result.demo,
                    "encrypted": result.encrypted, "drafts_left_out": result.drafts_left_out,
                    "size_bytes": result.size_bytes, "warnings": list(result.warnings)})
        return 0
    print(f"已导出 {result.total} 条记录、{result.evidence_files} 个照片和附件文件"
          f"（{result.size_bytes / 1024 / 1024:.1f} MB）：", file=ctx.stdout)
    for p in result.paths:
        print(f"  {p}", file=ctx.stdout)
    if result.drafts_left_out:
        print(f"未导出 {result.drafts_left_out} 份草稿（如需导出请加 --drafts）。", file=ctx.stdout)
    if result.demo:
        print("这是演示数据包，只能导入演示数据库或空数据库。", file=ctx.stdout)
    for w in result.warnings:
        print(f"注意：{w}", file=ctx.stdout)
    return 0


def _when(text: str) -> str:
    """A time written in a package or receipt (ISO 8601, UTC) as 北京时间 reads it."""
    from datetime import datetime

    from rules.china_time import beijing

    try:
        return f"{beijing(datetime.fromisoformat(text)):%Y-%m-%d %H:%M}（北京时间）"
    except (TypeError, ValueError):
        return str(text)


def _print_report(ctx: CliContext, report: Any) -> None:
    """What a package holds and what its import does (a preview) or did."""
    from sync.importer import CONFIRMED, TRUST_LABELS, UNKNOWN, UNSIGNED
    from sync.keys import show_fingerprint
    from sync.kinds import BY_NAME
    from sync.merge import STATUS_LABELS

    i = report.info
    merged = not report.dry_run and report.already_imported_at is None
    trust = TRUST_LABELS[CONFIRMED] if merged and i.trust in (UNKNOWN, UNSIGNED) \
        else i.trust_label
    print(f"数据包：{'、'.join(i.file_names)}", file=ctx.stdout)
    print(f"来自：{i.sender}（{trust}；指纹 "
          f"{show_fingerprint(i.fingerprint) if i.fingerprint else '无'}）", file=ctx.stdout)
    print(f"导出时间：{_when(i.exported_at)}{'；演示数据' if i.demo else ''}"
          f"{'；已加密' if i.encrypted else ''}{f'；{i.parts} 个分卷' if i.parts > 1 else ''}",
          file=ctx.stdout)
    if report.already_imported_at is not None:
        print(report.summary(), file=ctx.stdout)
    elif merged:
        print(f"已合并：{report.summary()}", file=ctx.stdout)
    else:
        print(f"预览（尚未导入）：{report.summary()}", file=ctx.stdout)
        if i.trust in (UNKNOWN, UNSIGNED):
            print("注意：这是未信任设备的数据包，导入时须与对方核对指纹后加 --trust 确认。",
                  file=ctx.stdout)
    for kind, per in report.counts.items():
        label = BY_NAME[kind].label if kind in BY_NAME else kind
        shown = "，".join(f"{STATUS_LABELS[s]} {per[s]}" for s in STATUS_LABELS if per.get(s))
        if shown:
            print(f"  {label}：{shown}", file=ctx.stdout)
    for c in report.conflicts[:50]:
        print(f"  冲突：{BY_NAME[c.kind].label} {c.label}", file=ctx.stdout)
    for note in report.clash_notes():
        print(f"  注意：{note}", file=ctx.stdout)
    for w in report.warnings:
        print(f"  注意：{w}", file=ctx.stdout)


def cmd_import(args: argparse.Namespace, ctx: CliContext) -> int:
    """Import one package or several (a county's packages one after another, each previewed
    and confirmed as if alone); one that fails does not stop the others."""
    from sync.format import PackageError
    from sync.keys import SigningKeyError, load_or_create
    from sync.parts import package_groups

    groups = package_groups(args.files)
    try:
        password = _password(args.password_file, ctx)
        key = load_or_create()
        db = ctx.open_db()
    except (PackageError, SigningKeyError, ValueError) as exc:
        return ctx.fail(str(exc))
    return _each_package(
        args, ctx, groups, lambda files, outcomes: _import_one(
            args, ctx, db, files, password, key, outcomes=outcomes),
        done="已处理", failed="未能导入")


def _each_package(args: argparse.Namespace, ctx: CliContext, groups: list[list[Path]],
                  one: Callable[[list[Path], list[dict[str, Any]] | None], int], *,
                  done: str, failed: str) -> int:
    """``one`` for each package given (its files): alone as if it were the only one; of
    several, each under a heading (or its JSON collected under ``packages``) and the totals
    at the end. Non-zero when any failed."""
    if len(groups) == 1:
        return one(groups[0], None)
    outcomes: list[dict[str, Any]] = []
    bad = 0
    for n, files in enumerate(groups, start=1):
        if not args.json:
            print(f"{'' if n == 1 else chr(10)}—— 第 {n}/{len(groups)} 个数据包："
                  f"{'、'.join(p.name for p in files)} ——", file=ctx.stdout)
        bad += one(files, outcomes) != 0
    if args.json:
        _dump(ctx, {"packages": outcomes})
    else:
        print(f"\n共 {len(groups)} 个数据包：{len(groups) - bad} 个{done}"
              + (f"，{bad} 个{failed}（原因见上）" if bad else "") + "。", file=ctx.stdout)
    return 1 if bad else 0


def _import_one(args: argparse.Namespace, ctx: CliContext, db: Any, files: list[Path],
                password: str | None, key: Any,
                outcomes: list[dict[str, Any]] | None = None) -> int:
    """One package (its parts together): preview, confirm, merge; with ``outcomes`` (one of
    several), the JSON of each is collected there and a failure is recorded with it."""
    from sync.format import PackageError
    from sync.importer import import_package
    from sync.keys import SigningKeyError

    def out(report: Any) -> None:
        if outcomes is not None:
            outcomes.append({"files": [str(p) for p in files], **report.as_json()})
        else:
            _dump(ctx, report.as_json())

    try:
        if args.yes and not args.dry_run:  # confirmed already: check and merge in one pass
            report = import_package(db, files, password=password,
                                    trust_unknown=args.trust, receipt_dir=args.receipt_dir,
                                    key=key)
            if args.json:
                out(report)
            else:
                _print_report(ctx, report)
                _next_steps(ctx, report)
            return 0
        preview = import_package(db, files, password=password, trust_unknown=args.trust,
                                 dry_run=True, key=key)
        if args.dry_run or preview.already_imported_at is not None:
            if args.json:
                out(preview)
            else:
                _print_report(ctx, preview)
            return 0
        if not args.yes:
            if not args.json:
                _print_report(ctx, preview)
            if not sys.stdin.isatty():
                return _failed(ctx, files, "请加 --yes 确认合并（或先用 --dry-run 查看）。",
                               outcomes, code=2)
            answer = input("确认合并以上内容？[y/N] ").strip().lower()
            if answer not in ("y", "yes", "是"):
                print("未导入。", file=ctx.stdout)
                return 1
        report = import_package(db, files, password=password, trust_unknown=args.trust,
                                receipt_dir=args.receipt_dir, key=key)
    except (PackageError, SigningKeyError, ValueError) as exc:
        return _failed(ctx, files, str(exc), outcomes)
    if args.json:
        out(report)
        return 0
    print(f"已合并：{report.summary()}", file=ctx.stdout)
    _next_steps(ctx, report)
    return 0


def _failed(ctx: CliContext, files: list[Path], message: str,
            outcomes: list[dict[str, Any]] | None, code: int = 1) -> int:
    if outcomes is None:
        return ctx.fail(message, code)
    outcomes.append({"files": [str(p) for p in files], "error": message})
    print(f"错误：{message}", file=ctx.stderr)
    return code


def _next_steps(ctx: CliContext, report: Any) -> None:
    """After a merge: where the receipt is, and what waits for the user."""
    from sync.merge import CONFLICT

    if report.receipt:
        print(f"回执已保存：{report.receipt}（请交回数据包的发送方）", file=ctx.stdout)
    if report.total(CONFLICT) or report.number_clashes:
        print("下一步：用 main.py conflicts list 查看冲突，main.py conflicts show 编号 查看双方"
              "版本，再用 conflicts resolve 作出决定。", file=ctx.stdout)


def cmd_verify(args: argparse.Namespace, ctx: CliContext) -> int:
    """Check one package or several (a split package's parts together), without importing."""
    from sync.format import PackageError
    from sync.parts import package_groups

    try:
        password = _password(args.password_file, ctx)
        db = ctx.open_db()
    except (PackageError, ValueError) as exc:
        return ctx.fail(str(exc))
    return _each_package(
        args, ctx, package_groups(args.file),
        lambda files, outcomes: _verify_one(args, ctx, db, files, password, outcomes),
        done="完好", failed="有问题")


def _verify_one(args: argparse.Namespace, ctx: CliContext, db: Any, files: list[Path],
                password: str | None, outcomes: list[dict[str, Any]] | None = None) -> int:
    from sync.format import PackageError
    from sync.importer import describe_package, opened
    from sync.keys import show_fingerprint

    try:
        with opened(files, password=password) as (pkg, encrypted, count):
            with db.session() as session:
                info = describe_package(session, pkg, [p.name for p in files],
                                        encrypted=encrypted, count=count, own_fingerprint=None)
            _check_records(pkg)
    except (PackageError, ValueError) as exc:
        return _failed(ctx, files, str(exc), outcomes)
    if args.json:
        result = {"ok": True, "package_id": info.package_id, "sha256": info.sha256,
                  "device": {"id": info.device_id, "name": info.device_name,
                             "fingerprint": info.fingerprint},
                  "trust": info.trust, "signed": info.trust != "unsigned",
                  "exported_at": info.exported_at, "demo": info.demo,
                  "counts": info.counts, "encrypted": info.encrypted, "parts": info.parts}
        if outcomes is not None:
            outcomes.append({"files": [str(p) for p in files], **result})
        else:
            _dump(ctx, result)
        return 0
    print("数据包完好：所有文件的校验值相符，记录符合格式。", file=ctx.stdout)
    print(f"来自：{info.sender}（{info.trust_label}；指纹 "
          f"{show_fingerprint(info.fingerprint) if info.fingerprint else '无'}）",
          file=ctx.stdout)
    print(f"记录：{sum(info.counts.values())} 条；导出时间 {_when(info.exported_at)}",
          file=ctx.stdout)
    return 0


def _check_records(pkg: Any) -> None:
    """Every record line parses and fits the schema (what an import would check first)."""

    from sync.format import PackageError, json_depth, strict_json
    from sync.kinds import KINDS
    from sync.schema import record_validator

    for kind in KINDS:
        check = record_validator(kind.name)
        for line in pkg.lines(f"records/{kind.name}.jsonl"):
            try:
                obj = strict_json(line)
            except (ValueError, RecursionError):
                raise PackageError(f"数据包中的{kind.label}记录不是有效的 JSON。") from None
            check(obj)
            json_depth(obj, pkg.limits.json_depth)


def cmd_devices(args: argparse.Namespace, ctx: CliContext) -> int:
    from rules.china_time import beijing
    from sync.devices import DeviceError, list_devices, revoke_device, trust_device
    from sync.keys import SigningKeyError, load_or_create, show_fingerprint

    try:
        db = ctx.open_db()
        if args.action == "list":
            key = load_or_create()
            with db.session() as session:
                devices = list_devices(session)
            if args.json:
                _dump(ctx, {"own": {"device_id": db.device_id, "fingerprint": key.fingerprint},
                            "devices": [{"fingerprint": d.fingerprint, "name": d.name,
                                         "device_id": d.device_id, "status": d.status,
                                         "last_package_at": d.last_package_at,
                                         "packages": d.packages, "records": d.records}
                                        for d in devices]})
                return 0
            print(f"本机指纹：{show_fingerprint(key.fingerprint)}", file=ctx.stdout)
            if not devices:
                print("尚未信任任何设备，也没有导入过其他设备的数据包。", file=ctx.stdout)
            for d in devices:
                last = (f"{beijing(d.last_package_at):%Y-%m-%d %H:%M}（北京时间）"
                        if d.last_package_at else "无")
                print(f"{d.short_fingerprint}  {d.status_label}  {d.name}  "
                      f"数据包 {d.packages} 个，最近 {last}", file=ctx.stdout)
            return 0
        if not args.target:
            return ctx.fail("请给出设备指纹（至少前 8 位）或该设备的数据包文件。", 2)
        with db.session() as session:
            if args.action == "trust":
                target = Path(args.target)
                if target.is_file():
                    info = _package_key(target)
                    device = trust_device(session, public_key=info[0],
                                          name=args.name or info[1], device_id=info[2])
                else:
                    device = trust_device(session, fingerprint=args.target, name=args.name)
            else:
                device = revoke_device(session, args.target)
    except (DeviceError, SigningKeyError, ValueError) as exc:
        return ctx.fail(str(exc))
    print(f"{device.status_label}：{device.name}（指纹 {device.short_fingerprint}）",
          file=ctx.stdout)
    return 0


def _package_key(path: Path) -> tuple[str, str, str]:
    """(public key, name, device id) of a signed package, checked."""
    from sync.format import PackageError
    from sync.importer import opened

    with opened([path]) as (pkg, _enc, _n):
        device = pkg.manifest["device"]
        if pkg.signed is None:
            raise PackageError("该数据包没有签名，不能据此信任设备。")
        return pkg.signed.public_key, str(device.get("name") or ""), str(device.get("id") or "")


def cmd_conflicts(args: argparse.Namespace, ctx: CliContext) -> int:
    from sync.conflicts import (
        RESOLUTION_LABELS,
        ConflictError,
        conflict_detail,
        display_pair,
        list_conflicts,
        resolve_conflict,
    )

    db = ctx.open_db()
    try:
        with db.session() as session:
            if args.action == "list":
                rows = list_conflicts(session, status=None if args.all else "open")
                if args.json:
                    _dump(ctx, {"conflicts": [c.__dict__ for c in rows]})
                    return 0
                if not rows:
                    print("没有待处理的冲突。", file=ctx.stdout)
                for c in rows:
                    state = (RESOLUTION_LABELS.get(c.resolution or "", "已解决")
                             if c.status != "open" else "待处理")
                    print(f"#{c.id}  {c.reason_label}  {c.kind_label}  {c.label}  "
                          f"来自 {c.from_device or '未知'}  {state}", file=ctx.stdout)
                return 0
            if args.id is None:
                return ctx.fail("请给出冲突编号。", 2)
            if args.action == "show":
                d = conflict_detail(session, args.id)
                if args.json:
                    _dump(ctx, {"conflict": d.info.__dict__,
                                "fields": [{"name": f.name, "label": f.label, "local": f.local,
                                            "incoming": f.incoming, "differs": f.differs,
                                            **({"taken": d.taken.get(f.name)}
                                               if d.taken is not None else {})}
                                           for f in d.fields],
                                "documents": list(d.documents),
                                "can_decide_again": d.can_decide_again})
                    return 0
                print(f"#{d.info.id} {d.info.reason_label}：{d.info.kind_label} {d.info.label}",
                      file=ctx.stdout)
                if d.info.status != "open":  # the versions below are those met at the time
                    print(f"已解决：{RESOLUTION_LABELS.get(d.info.resolution or '', '已处理')}。"
                          "下面是发现冲突时双方的版本。", file=ctx.stdout)
                if d.info.reason == "doc_number":
                    print("使用这一编号的文书：", file=ctx.stdout)
                    for n, text in enumerate(d.documents, start=1):
                        print(f"  第 {n} 份：{text}", file=ctx.stdout)
                    if d.info.status == "open":
                        print("请核实后按规定处理（如作废其中一份并重新开具），再用 "
                              f"conflicts resolve {d.info.id} --use noted 登记为已知悉。",
                              file=ctx.stdout)
                    return 0
                sides = {"local": "本机", "incoming": "对方"}
                for f in d.differing:  # one block per field: Chinese does not line up in columns
                    if d.taken is not None:
                        print(f"【{f.label}】采用了{sides[d.taken[f.name]]}的版本", file=ctx.stdout)
                    elif d.info.status == "open":
                        print(f"【{f.label}】（逐项合并时写 --field {f.label}=local 或 "
                              f"--field {f.label}=incoming）", file=ctx.stdout)
                    else:
                        print(f"【{f.label}】", file=ctx.stdout)
                    mine, theirs = display_pair(f.name, f.local, f.incoming)
                    print(f"  本机：{mine}", file=ctx.stdout)
                    print(f"  对方（{d.info.from_device or '对方'}）：{theirs}",
                          file=ctx.stdout)
                if d.can_decide_again:
                    print(f"如当初选错，可用 conflicts resolve {d.info.id} --again --use … "
                          "重新作出决定。", file=ctx.stdout)
                elif d.final_because:
                    print(f"不能再改变这一决定：{d.final_because}", file=ctx.stdout)
                return 0
            if not args.use:
                return ctx.fail("请用 --use 指定采用哪一方。", 2)
            picks = {}
            named = {f.label: f.name for f in conflict_detail(session, args.id).fields}
            for item in args.field:
                name, _, side = item.partition("=")
                if side not in ("local", "incoming"):
                    return ctx.fail(f"--field 应写成 字段=local 或 字段=incoming：{item}", 2)
                picks[named.get(name.strip(), name.strip())] = side
            info = resolve_conflict(session, args.id, args.use, fields=picks,
                                    again=args.again)
    except ConflictError as exc:
        return ctx.fail(str(exc))
    print(f"冲突 #{info.id} {'已重新处理' if args.again else '已解决'}："
          f"{RESOLUTION_LABELS.get(info.resolution or '', '')}。"
          "导出下一个数据包时，解决结果会随之发回各方。", file=ctx.stdout)
    return 0


def cmd_received(args: argparse.Namespace, ctx: CliContext) -> int:
    from rules.china_time import beijing
    from sync.history import import_history, import_record
    from sync.kinds import BY_NAME
    from sync.merge import STATUS_LABELS

    def when(at: Any) -> str:
        return f"{beijing(at):%Y-%m-%d %H:%M}" if at is not None else "未知"

    def kind_label(kind: str) -> str:
        return BY_NAME[kind].label if kind in BY_NAME else kind

    db = ctx.open_db()
    with db.session() as session:
        if args.action == "list":
            rows = import_history(session)
            if args.json:
                _dump(ctx, {"imports": [{**r.__dict__, "trust_label": r.trust_label}
                                        for r in rows]})
                return 0
            if not rows:
                print("还没有导入过数据包。", file=ctx.stdout)
            for r in rows:
                said = "，".join(f"{label} {n}" for label, n in (
                    ("新增", r.new), ("更新", r.updated), ("冲突", r.conflicts)) if n)
                print(f"#{r.id}  {when(r.at)}  {r.device_name}（{r.trust_label}）  "
                      f"{r.file_name or '（无文件名）'}  {said or '没有新内容'}"
                      f"（共 {r.total} 条）{'  演示数据' if r.demo else ''}", file=ctx.stdout)
            return 0
        if args.id is None:
            return ctx.fail("请给出导入编号（received list 列出的 #编号）。", 2)
        rec = import_record(session, args.id)
    if rec is None:
        return ctx.fail(f"没有编号为 {args.id} 的导入记录，请用 received list 查看。", 1)
    if args.json:
        _dump(ctx, {"import": {**rec.entry.__dict__, "trust_label": rec.entry.trust_label},
                    "package_id": rec.package_id, "sha256": rec.sha256,
                    "exported_at": rec.exported_at, "user": rec.user, "counts": rec.counts,
                    "details_kept": rec.kept, "notes": list(rec.notes),
                    "changed": rec.changed,
                    "changes": [{"kind": c.kind, "uuid": c.uuid, "status": c.status,
                                 "label": c.label} for c in rec.changes],
                    "organisation": rec.organisation, "jurisdiction": rec.jurisdiction,
                    "files": list(rec.files), "encrypted": rec.encrypted, "parts": rec.parts,
                    "app_version": rec.app_version, "backup": rec.backup,
                    "conflicts_open": rec.conflicts_open,
                    "conflicts_resolved": rec.conflicts_resolved})
        return 0
    out = ctx.stdout
    e = rec.entry
    print(f"#{e.id} 收到的数据包：{'、'.join(rec.files) or '（无文件名）'}", file=out)
    print(f"来自：{e.device_name}（{e.trust_label}，设备指纹 {e.fingerprint}）", file=out)
    office = "　".join(x for x in (rec.organisation, rec.jurisdiction) if x)
    if office:
        print(f"单位：{office}", file=out)
    print(f"导出时间：{when(rec.exported_at)}　导入时间：{when(e.at)}"
          + (f"　导入人：{rec.user}" if rec.user else ""), file=out)
    extras = [x for x in ("演示数据" if e.demo else "", "已加密" if rec.encrypted else "",
                          f"{rec.parts} 个分卷" if rec.parts > 1 else "",
                          "已写回执" if e.receipt_written else "") if x]
    if extras:
        print("　".join(extras), file=out)
    print("各类记录：", file=out)
    for kind, per in rec.counts.items():
        said = "，".join(f"{STATUS_LABELS.get(status, status)} {n}"
                        for status, n in per.items() if n)
        if said:
            print(f"  {kind_label(kind)}：{said}", file=out)
    if not rec.kept:
        print("这次导入由较早版本的程序完成，当时没有保存提示和有变化记录的明细，只有上面的数量。",
              file=out)
    for note in rec.notes:
        print(f"提示：{note}", file=out)
    if rec.conflicts_open or rec.conflicts_resolved:
        print(f"冲突：这个数据包带来 {rec.conflicts_open + rec.conflicts_resolved} 条，"
              f"其中 {rec.conflicts_open} 条尚待处理（conflicts list 查看）。", file=out)
    if rec.kept:
        if not rec.changes:
            print("没有有变化的记录。", file=out)
        else:
            listed = (f"共 {rec.changed} 条，列出前 {len(rec.changes)} 条"
                      if rec.changed > len(rec.changes) else f"{rec.changed} 条")
            print(f"有变化的记录（{listed}）：", file=out)
            for c in rec.changes:
                print(f"  {kind_label(c.kind)}  {c.label}  {STATUS_LABELS.get(c.status, c.status)}",
                      file=out)
    if rec.backup:
        print(f"合并前的备份：{rec.backup}（backups list 中可见）", file=out)
    return 0


def cmd_receipt(args: argparse.Namespace, ctx: CliContext) -> int:
    from sync.format import PackageError
    from sync.receipts import import_receipt

    try:
        summary = import_receipt(ctx.open_db(), args.file)
    except PackageError as exc:
        return ctx.fail(str(exc))
    if args.json:
        _dump(ctx, {**summary.__dict__, "missing": summary.missing,
                    "conflicts": summary.conflicts})
        return 0
    if summary.already:
        print("这份回执已经导入过。", file=ctx.stdout)
    print(f"{summary.receiver} 于 {_when(summary.merged_at)}合并了数据包中的 {summary.held} 条记录"
          f"（数据包共 {summary.sent} 条）。", file=ctx.stdout)
    if summary.missing:
        print(f"注意：有 {summary.missing} 条记录回执中没有列出，请重新导出并交付。",
              file=ctx.stdout)
    if summary.conflicts:
        print(f"其中 {summary.conflicts} 条对方也修改过（冲突），由对方决定采用哪个版本，"
              "结果会随对方的下一个数据包发回。", file=ctx.stdout)
    else:
        print("对方已收到全部记录。", file=ctx.stdout)
    return 0
