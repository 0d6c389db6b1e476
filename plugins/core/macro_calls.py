"""The handbook's macros as pages call them: what each takes, why a call cannot be shown.

A page that opts in (`render_macros: true`) may call `documents(...)`, `process_steps(...)` and
`role_responsibilities(...)`. The build renders them (site/macros.py); `handbook check` reads the
calls without rendering (`problems_of_calls`), so a wrong call is found before a build, with the
same message at the same line.
"""

from __future__ import annotations

import jinja2
import jinja2.nodes

from .documents import Document
from .handbook import Handbook
from .problems import ERROR, Problem, did_you_mean
from .selections import select_documents

PARAMETERS = {"documents": ("klassa", "owner", "doc_type", "state"), "process_steps": ("id",),
              "role_responsibilities": ("role_id",)}
MACROS = tuple(f"{name}()" for name in PARAMETERS)
# mkdocs-macros' own environment: the default Jinja syntax, no extensions.
_PARSER = jinja2.Environment()


def cannot_run(detail: object) -> str:
    """A page whose macros cannot run at all (Jinja's syntax, an unknown name)."""
    return (f"sidans makron kan inte köras ({detail}). Makron som finns: {', '.join(MACROS)}. "
            "Kontrollera stavningen; text med {{ eller {% skrivs inom {% raw %} och {% endraw %}.")


def call_text(name: str, arguments: dict) -> str:
    shown = ", ".join(f"{key}=\"{value}\"" for key, value in arguments.items() if value is not None)
    return f"{name}({shown})"


def process_reason(handbook: Handbook, process_id) -> str | None:
    process = handbook.processes.get(str(process_id))
    if process is None:
        published = [p.id for p in handbook.published_processes()]
        return f"processen \"{process_id}\" finns inte.{did_you_mean(process_id, published)}"
    if not handbook.is_published(process):
        return f"processen \"{process_id}\" publiceras inte (informationsklass över webbplatsens gräns)"
    return None


def role_reason(handbook: Handbook, role_id) -> str | None:
    if role_id in handbook.roles:
        return None
    return f"rollen \"{role_id}\" finns inte i {handbook.roles.path}.{did_you_mean(role_id, handbook.roles.roles)}"


def reasons(handbook: Handbook, name: str, arguments: dict) -> list[str]:
    """Why a call of one of the handbook's macros cannot be shown; nothing when it can."""
    if name == "documents":
        return select_documents(handbook, **arguments).problems
    if not arguments:
        return [f"ange {PARAMETERS[name][0]}, t.ex. {name}(\"...\")"]
    reason = process_reason(handbook, arguments["id"]) if name == "process_steps" \
        else role_reason(handbook, arguments["role_id"])
    return [reason] if reason else []


def problems_of_calls(handbook: Handbook, doc: Document) -> list[Problem]:
    """The page's wrong macro calls, found without rendering: only calls whose arguments are written out."""
    if doc.meta.get("render_macros") is not True:
        return []
    path, first = handbook.report_path(handbook.docs_dir / doc.path), doc.body_line - 1
    try:
        tree = _PARSER.parse(doc.body)
    except jinja2.TemplateSyntaxError as exc:
        return [Problem(path, first + (exc.lineno or 1), ERROR, cannot_run(exc.message))]
    found = []
    for call in tree.find_all(jinja2.nodes.Call):
        if not isinstance(call.node, jinja2.nodes.Name):
            continue
        name, line = call.node.name, first + call.lineno
        if name not in PARAMETERS:
            hint = did_you_mean(name, PARAMETERS)
            if hint:  # another name may be one of mkdocs-macros' own; a near miss of ours is a typo
                found.append(Problem(path, line, ERROR, f"{name}() är inget av handbokens makron.{hint} "
                                                        f"Makron som finns: {', '.join(MACROS)}."))
            continue
        arguments = _written_arguments(call, PARAMETERS[name])
        if arguments is not None:
            found += [Problem(path, line, ERROR, f"{call_text(name, arguments)}: {reason}")
                      for reason in reasons(handbook, name, arguments)]
    return found


def _written_arguments(call: jinja2.nodes.Call, parameters: tuple[str, ...]) -> dict | None:
    """The call's arguments by name, when every one is a constant (or a list of constants)."""
    if len(call.args) > len(parameters) or call.dyn_args or call.dyn_kwargs:
        return None
    pairs = list(zip(parameters, call.args)) + [(k.key, k.value) for k in call.kwargs]
    if any(key not in parameters for key, _ in pairs):
        return None
    try:
        return {key: node.as_const() for key, node in pairs}
    except jinja2.nodes.Impossible:
        return None
