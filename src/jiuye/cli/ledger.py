"""``jiuye ledger``: the real-name assistance ledger for unemployed graduates (1131 service,
桂人社发〔2025〕38号（十七）), for caseworkers at the command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from jiuye.assistance import GraduateStatus, ServiceKind, Stage
from jiuye.cli.staff import DataDir, Today, Username, parse_day, staff_session

__all__ = ["ledger_app"]

ledger_app = typer.Typer(help="实名帮扶台账：离校未就业高校毕业生“1131”服务", no_args_is_help=True)
out = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)


@ledger_app.command("register")
def register(
    id_number: Annotated[str, typer.Option("--id-number", help="公民身份号码")],
    name: Annotated[str, typer.Option("--name", help="姓名")],
    region: Annotated[str, typer.Option("--region", help="常住地行政区划代码")],
    graduated_on: Annotated[str, typer.Option("--graduated-on", help="毕业（离校）日期 YYYY-MM-DD")],
    username: Username,
    school: Annotated[str, typer.Option("--school", help="毕业院校")] = "",
    major: Annotated[str, typer.Option("--major", help="专业")] = "",
    phone: Annotated[str | None, typer.Option("--phone", help="联系电话")] = None,
    hardship: Annotated[
        list[str] | None,
        typer.Option(
            "--hardship",
            help="困难类别（可重复）：low_income_family、zero_employment_family、poverty_monitoring、disabled",
        ),
    ] = None,
    unemployed_since: Annotated[str | None, typer.Option("--unemployed-since", help="失业登记日期（如有）")] = None,
    today: Today = None,
    data_dir: DataDir = None,
) -> None:
    """把离校未就业高校毕业生登记入实名帮扶台账（按 gx.grad.1131 规则核对是否属于帮扶对象）。"""
    from jiuye.service.assistance import register_graduate

    day = parse_day(today)
    with staff_session(username, data_dir) as staff:
        graduate = register_graduate(
            staff.session, staff.engine, staff.caller, number=id_number, name=name, region=region,
            graduated_on=parse_day(graduated_on, "--graduated-on"), today=day, school=school, major=major,
            phone=phone, hardship=hardship or (),
            unemployment_registered_on=parse_day(unemployed_since, "--unemployed-since") if unemployed_since else None,
        )  # fmt: skip
        graduate_id = graduate.id
    out.print(f"已登记入台账，编号 {graduate_id}")


@ledger_app.command("service")
def service(
    graduate_id: Annotated[int, typer.Argument(help="台账编号")],
    kind: Annotated[ServiceKind, typer.Option("--kind", help="服务类别")],
    channel: Annotated[str, typer.Option("--channel", help="服务方式：上门走访、电话、短信、线上、窗口、招聘会")],
    evidence: Annotated[str, typer.Option("--evidence", help="服务内容或凭证")],
    username: Username,
    on: Annotated[str | None, typer.Option("--on", help="服务日期（默认今天）")] = None,
    data_dir: DataDir = None,
) -> None:
    """记录一次服务（政策宣介、职业指导、岗位推荐、培训、见习、联系）。"""
    from jiuye.service.assistance import record_service

    with staff_session(username, data_dir) as staff:
        record_service(staff.session, staff.caller, graduate_id, kind=kind, on=parse_day(on, "--on"), channel=channel,
                       evidence=evidence)  # fmt: skip
    out.print(f"已记录：{kind.label}")


@ledger_app.command("status")
def status(
    graduate_id: Annotated[int, typer.Argument(help="台账编号")],
    to: Annotated[GraduateStatus, typer.Option("--to", help="新状态")],
    reason: Annotated[str, typer.Option("--reason", help="依据")],
    username: Username,
    on: Annotated[str | None, typer.Option("--on", help="日期（默认今天）")] = None,
    data_dir: DataDir = None,
) -> None:
    """变更帮扶状态（已就业、暂无就业意愿、无法联系、恢复帮扶……），须写明依据。"""
    from jiuye.service.assistance import set_status

    with staff_session(username, data_dir) as staff:
        set_status(staff.session, staff.caller, graduate_id, to, on=parse_day(on, "--on"), reason=reason)
    out.print(f"状态已改为：{to.label}")


@ledger_app.command("trail")
def trail(
    push_id: Annotated[int, typer.Argument(help="岗位推送编号")],
    stage: Annotated[
        Stage, typer.Option("--stage", help="进展：viewed、applied、interviewed、hired、declined、not_taken")
    ],
    username: Username,
    on: Annotated[str | None, typer.Option("--on", help="日期（默认今天）")] = None,
    data_dir: DataDir = None,
) -> None:
    """记录推送岗位的进展：查看 → 投递 → 面试 → 录用（或本人放弃、未被录用）。"""
    from jiuye.service.assistance import advance_push

    with staff_session(username, data_dir) as staff:
        advance_push(staff.session, staff.caller, push_id, stage, on=parse_day(on, "--on"))
    out.print(f"已记录：{stage.label}")


@ledger_app.command("list")
def list_ledger(
    username: Username,
    caseworker: Annotated[str | None, typer.Option("--caseworker", help="只列该帮扶人员的对象")] = None,
    region: Annotated[str | None, typer.Option("--region", help="只列辖区内该地区的对象")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="只列有逾期未提供服务的")] = False,
    today: Today = None,
    data_dir: DataDir = None,
) -> None:
    """台账：每名毕业生的状态、尚欠哪些“1131”服务、自何日起逾期、推送岗位的进展。"""
    from jiuye.service.assistance import ledger

    with staff_session(username, data_dir) as staff:
        rows = ledger(staff.session, staff.caller, today=parse_day(today), caseworker=caseworker, region=region,
                      overdue_only=overdue)  # fmt: skip
    table = Table("编号", "姓名", "身份号码", "帮扶人员", "状态", "困难类别", "待提供服务", "逾期起始", "推送岗位")
    for r in rows:
        pushes = "、".join(f"{label}{n}" for label, n in r.pushes.items())
        table.add_row(str(r.graduate_id), r.name, r.number, r.caseworker, r.status, r.hardship, r.owed,
                      r.overdue_since.isoformat() if r.overdue_since else "", pushes)  # fmt: skip
    out.print(table)
    out.print(f"共 {len(rows)} 人，其中逾期 {sum(1 for r in rows if r.overdue_since)} 人")


@ledger_app.command("export")
def export(
    target: Annotated[Path, typer.Argument(help="输出 Excel 文件（.xlsx）")],
    username: Username,
    caseworker: Annotated[str | None, typer.Option("--caseworker", help="只导出该帮扶人员的对象")] = None,
    region: Annotated[str | None, typer.Option("--region", help="只导出辖区内该地区的对象")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="只导出有逾期的")] = False,
    today: Today = None,
    data_dir: DataDir = None,
) -> None:
    """把台账导出为 Excel（身份号码脱敏）。"""
    from jiuye.service.assistance import export_ledger, ledger

    day = parse_day(today)
    with staff_session(username, data_dir) as staff:
        rows = ledger(staff.session, staff.caller, today=day, caseworker=caseworker, region=region,
                      overdue_only=overdue)  # fmt: skip
    target.write_bytes(export_ledger(rows, today=day))
    out.print(f"已导出 {len(rows)} 人到 {target}")


@ledger_app.command("profile")
def profile(
    graduate_id: Annotated[int, typer.Argument(help="台账编号")],
    resume: Annotated[Path, typer.Option("--resume", help="简历或求职意向文本文件（UTF-8）")],
    username: Username,
    data_dir: DataDir = None,
) -> None:
    """从简历文本读取求职意向（岗位、城市、期望薪资、学历、经验、技能），作为推荐岗位的依据。"""
    from jiuye.jobs.seekers import read_resume
    from jiuye.service.assistance import update_profile

    reading = read_resume(resume.read_text("utf-8"), seeker_id=str(graduate_id))
    with staff_session(username, data_dir) as staff:
        update_profile(staff.session, staff.caller, graduate_id, reading.seeker)
    s = reading.seeker
    out.print(f"求职意向：{'、'.join(s.titles) or '未写明'}；地区 {'、'.join(s.regions) or '不限'}；"
              f"期望月薪 {s.salary_min or '未写明'}；技能 {'、'.join(s.skills) or '无'}")  # fmt: skip
    for note in reading.notes:
        out.print(f"  提示：{note}")
