"""`handbook import bpmn FILE` and the BPMN form of `handbook export`: processes to and from other tools.

`import` is a command of its own (its first argument names the format, so draw.io can follow);
`run_export_bpmn(args)` is called by `handbook export bpmn PROCESS_ID [-o FILE]` (see export.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core import templates
from ..core.bpmn_export import export_bpmn
from ..core.bpmn_import import MAX_BYTES, BpmnError, ImportedProcess, clean, import_bpmn, plan_roles, process_yaml, scalar
from ..core.drawio_import import import_drawio
from ..core.problems import did_you_mean
from ..core.processes import PROCESS_ID
from ..core.roles import one_line
from ..site.project import load_project

FORMATS = ("bpmn", "drawio")


def register(sub) -> None:
    parser = sub.add_parser(
        "import", help="läs in processer från andra verktyg (BPMN 2.0 XML) som processfiler",
        description="Läs in processerna i en BPMN 2.0-fil (från t.ex. Camunda Modeler, Signavio, ARIS, 2c8 eller Visio) "
                    "eller en draw.io-fil med simbanor som processfiler i processes/: en process per pool, banorna som roller. "
                    "Det som handboken inte kan uttrycka skrivs ut och sparas som kommentarer i filen.")
    parser.add_argument("format", metavar="FORMAT", choices=FORMATS,
                        help="filens format: bpmn (BPMN 2.0 XML) eller drawio (draw.io med simbanor)")
    parser.add_argument("file", metavar="FIL", help="filen, t.ex. rekrytering.bpmn eller rekrytering.drawio")
    parser.add_argument("--id", default="", metavar="ID", help="processens id (a–z, 0–9, bindestreck); standard: av poolens namn")
    parser.add_argument("--pool", default="", metavar="NAMN",
                        help="importera bara poolen med det namnet (standard: alla pooler med steg)")
    parser.add_argument("--klassa", default="", metavar="KOD", help="Klassa-kod för processerna, t.ex. 2.3.2 (krävs utom med --dry-run)")
    parser.add_argument("--owner", default="", metavar="ROLL", help="processägarens roll-id; standard: rollen för första stegets bana")
    parser.add_argument("--role", action="append", default=[], metavar="\"BANA=roll-id\"",
                        help="koppla en bana i BPMN-filen till en roll i roles.yml; kan anges flera gånger")
    parser.add_argument("--add-roles", action="store_true", help="lägg till nya roller (av banornas namn) i roles.yml")
    parser.add_argument("--dry-run", action="store_true", help="visa vad som skulle skrivas, men skriv inget")
    parser.set_defaults(run=run_import)


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments `handbook export bpmn PROCESS_ID [-o FILE]` needs, for the export command's parser."""
    parser.add_argument("-o", "--output", default="", metavar="FIL",
                        help="med bpmn: filen som skrivs (standard: PROCESS-ID.bpmn i aktuell mapp; - skriver till skärmen)")


def _fail(messages: list[str], what: str = "import") -> int:
    for message in messages:
        print(f"handbook {what}: fel: {message}", file=sys.stderr)
    print("Ingen fil skrevs.", file=sys.stderr)
    return 1


def _read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except OSError:
        raise BpmnError("filen finns inte; kontrollera sökvägen") from None
    if size > MAX_BYTES:
        raise BpmnError(f"filen är {size / 1024 / 1024:.0f} MB; gränsen är {MAX_BYTES // 1024 // 1024} MB. "
                        "Dela upp modellen i flera filer (en pool per fil) och importera dem var för sig")
    if path.is_dir():
        raise BpmnError("det är en mapp, inte en fil; ange BPMN-filen")
    with open(path, "rb") as file:
        return file.read(MAX_BYTES + 1)


def _role_mapping(values: list[str], known: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    mapping, problems = {}, []
    for value in values:
        lane, sep, role = value.rpartition("=")
        lane, role = clean(lane), role.strip()
        if not sep or not lane or not role:
            problems.append(f"--role \"{one_line(value)}\" ska skrivas \"Banans namn=roll-id\", t.ex. --role \"HR=hr-chef\"")
        elif role not in known:
            problems.append(f"--role: okänd roll \"{one_line(role)}\".{did_you_mean(role, known)} "
                            "Ange ett roll-id från roles.yml, eller lägg till rollen där först")
        else:
            mapping[lane] = role
    return mapping, problems


def run_import(args: argparse.Namespace) -> int:
    source = Path(args.file)
    try:
        reader = import_drawio if args.format == "drawio" else import_bpmn
        imported = reader(_read_file(source), base_id=args.id.strip(), source_name=source.name, pool=args.pool)
    except BpmnError as exc:
        print(f"{args.file}:{exc.line}: error: {exc.message}", file=sys.stderr)
        print("Ingen fil skrevs.", file=sys.stderr)
        return 1
    project = load_project(args.root)
    handbook = project.handbook()
    known = {r.id: r.name for r in handbook.roles.roles.values()}
    messages = []
    if args.id.strip() and not PROCESS_ID.match(args.id.strip()):
        messages.append(f"--id \"{one_line(args.id)}\" får bara innehålla a–z, 0–9 och bindestreck, t.ex. --id rekrytering")
    klassa = args.klassa.strip()
    processes = imported.processes
    if not klassa and not args.dry_run and not all(p.meta.get("klassa") for p in processes):
        messages.append("ange --klassa, t.ex. --klassa 2.3.2 (Klassa-koden som processerna hör till)")
    elif klassa:
        messages.append(templates.check_klassa(handbook, klassa))
    mapping, role_problems = _role_mapping(args.role, known)
    messages += role_problems
    lanes = list(dict.fromkeys(lane for p in processes for lane in p.lanes))
    own = {k: v for p in processes for k, v in p.lane_roles.items()}
    plan = plan_roles(lanes, known, mapping, own)
    owner = args.owner.strip() or plan.roles[processes[0].steps[0].lane]
    if args.owner.strip() and owner not in known and owner not in plan.new:
        messages.append(templates.check_owner(handbook, owner))
    for process in processes:
        if process.id in handbook.processes:
            messages.append(f"process-id \"{process.id}\" används redan av {handbook.processes[process.id].path}; "
                            f"ange ett annat med --id, t.ex. --id {process.id}-importerad")
    targets = {p.id: project.processes_dir / f"{p.id}.yml" for p in processes}
    for process_id, target in targets.items():
        if target.exists() and process_id not in handbook.processes:
            messages.append(f"{handbook.report_path(target)} finns redan; ange ett annat id med --id")
    messages = [m for m in messages if m]
    if messages:
        return _fail(messages)

    today = project.settings.today
    # The owner given, else the one a handbook's own export carried, else the first step's role.
    texts = {p.id: process_yaml(p, plan.roles, klassa, args.owner.strip() or ("" if p.meta.get("owner") else owner),
                                today, source.name) for p in processes}
    added = plan.new if args.add_roles else {}
    _report(args, handbook, imported.notes, processes, plan, targets, added)
    if args.dry_run:
        for process in processes:
            print(f"\n--- {handbook.report_path(targets[process.id])} ---")
            print(texts[process.id], end="")
        print("\nIngen fil skrevs (--dry-run).")
        return 0
    for process in processes:
        target = targets[process.id]
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as file:
            file.write(texts[process.id])
    if added:
        _add_roles(project.processes_dir / "roles.yml", added, source.name, today)
    print(f"Skrev {len(processes)} processfil{'er' if len(processes) != 1 else ''}"
          f"{' och ' + str(len(added)) + ' nya roller i roles.yml' if added else ''}. "
          "Kontrollera med handbook check och förhandsgranska med handbook preview.")
    return 0


def _report(args, handbook, file_notes, processes: list[ImportedProcess], plan, targets, added) -> None:
    print(f"Importerar {args.file}: {len(processes)} process{'er' if len(processes) != 1 else ''}.")
    for process in processes:
        print(f"  {handbook.report_path(targets[process.id])}: {process.name} ({len(process.steps)} steg)")
    print("Banor och roller:")
    for lane, role in plan.roles.items():
        if role in added:
            state = "ny roll, läggs till i roles.yml"
        elif role in plan.new:
            state = (f"ny roll som saknas i roles.yml: lägg till den med --add-roles eller koppla banan till en "
                     f"befintlig roll med --role \"{lane}=roll-id\"")
        else:
            state = "finns i roles.yml"
        print(f"  bana \"{lane}\" -> {role} ({state})")
    notes = [(p, n) for p in processes for n in p.notes]  # the file's own notes are the first process's first
    if notes:
        print(f"Förenklat ({len(notes)}); samma lista står som kommentarer överst i processfilerna:")
        for process, note in notes:
            where = f"{process.id}: " if process else ""
            print(f"  - {where}{one_line(str(note))}")


def _add_roles(path: Path, added: dict[str, str], source: str, today) -> None:
    existing = path.read_text("utf-8") if path.exists() else ""
    if existing.strip() in ("{}", "null", "~"):  # an empty mapping written as such: the new roles replace it
        path.write_text("", "utf-8")
        existing = ""
    lines = [] if not existing or existing.endswith("\n") else [""]
    lines.append(f"\n# Tillagda vid import från BPMN-filen {one_line(source)} {today.isoformat()}; skriv beskrivning och kontakt.")
    for role_id, lane in added.items():
        lines += [f"{role_id}:", f"  name: {scalar(lane)}", f"  description: {scalar('Roll från banan ' + lane + ' i ' + one_line(source) + '.')}"]
    with open(path, "a", encoding="utf-8", newline="\n") as file:
        file.write("\n".join(lines) + "\n")


def run_export_bpmn(args: argparse.Namespace) -> int:
    """`handbook export bpmn PROCESS_ID [-o FILE]`: BPMN 2.0 XML with a drawn diagram."""
    process_id = (getattr(args, "process_id", "") or "").strip()
    if not process_id:
        return _fail(["ange processens id: handbook export bpmn PROCESS-ID [-o FIL]"], "export")
    project = load_project(args.root)
    handbook = project.handbook()
    process = handbook.processes.get(process_id)
    if process is None or not handbook.is_published(process):
        # A process above the classification limit is not named, as if it did not exist.
        shown = [p for p in handbook.processes if handbook.is_published(handbook.processes[p])]
        return _fail([f"processen \"{one_line(process_id)}\" finns inte.{did_you_mean(process_id, shown)} "
                      "Ange ett process-id från processes/, t.ex. det som står under id:"], "export")
    for problem in handbook.problems_of(process):
        print(problem, file=sys.stderr)
    xml = export_bpmn(process, handbook.roles)
    output = getattr(args, "output", "") or f"{process.id}.bpmn"
    if output == "-":
        sys.stdout.write(xml)
        return 0
    target = Path(output)
    try:
        target.write_text(xml, "utf-8")
    except OSError as exc:
        return _fail([f"kan inte skriva {output}: {exc.strerror or exc}"], "export")
    print(f"Skrev {output}: {process.name} som BPMN 2.0 ({len(process.steps)} steg, "
          f"{len(process.roles_in_order())} banor). Öppna den i t.ex. Camunda Modeler eller Signavio.")
    return 0

