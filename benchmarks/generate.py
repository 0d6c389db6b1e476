"""Synthetic handbooks in the contract's format, for the benchmark.

    python benchmarks/generate.py OUT --documents 2000 --processes 100 [--seed 1]

writes OUT/docs/ and OUT/processes/ (no mkdocs.yml: `run.py` adds one per build). The same seed
always gives the same handbook. What it holds, so that a build does the work a real one does:

- local Klassa codes in `processes/klassa.yml` that grow with the handbook: one per process
  (level 4) and about one per 40 documents for subjects (level 4, some with level 5 below);
- documents under those codes and the Klassa 2.1 process groups (two in five belong to a process,
  two to a subject code, one is a steering document at a process group), in one docs/ folder per
  verksamhetsområde, a few hundred words each with headings, a list, a table and links;
- mixed states (fastställd, utkast, upphävd), review dates around "today" (`TODAY`, so some are
  due and overdue), about 2 % classified above K1;
- processes with 8 steps: a decision, a subprocess where there is another process, documents;
- 40 roles, every one of them used;
- with `requirements=True` (`--requirements`), a requirements register `processes/krav.yml` with
  one requirement per two processes (real Swedish legal sources), a `requirements:` list on every
  process (two or three, one with a note) and one on some steps; one requirement in ten is
  referred to by nothing (a coverage gap, as in a real register). These draws use a random
  generator of their own, so the handbook without requirements is the same as before.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
from pathlib import Path

import yaml

from handbook.core.klassa import builtin_tree

TODAY = "2026-06-01"  # run.py builds with HANDBOOK_TODAY set to this
# The probe: one rutin with the same text at every size, alone in its process group, so that
# its page's HTML size shows what the handbook's size adds to each page. The benchmark edits it.
PROBE_GROUP = "2.3.9"
PROBE_PREFIX = "2.3"  # the parts the benchmark previews
PROBE_FOLDER = "hr"
PROBE_PATH = "hr/rutin-provsida.md"
PROBE_URL = "hr/rutin-provsida"
PROBE_TITLE = "Rutin för provsidan"
STEPS = 8

ROLES = [
    ("kommunfullmaktige", "Kommunfullmäktige"), ("kommunstyrelsen", "Kommunstyrelsen"),
    ("kommundirektor", "Kommundirektör"), ("ekonomichef", "Ekonomichef"), ("hr-chef", "HR-chef"),
    ("it-chef", "IT-chef"), ("kommunikationschef", "Kommunikationschef"), ("kanslichef", "Kanslichef"),
    ("sakerhetschef", "Säkerhetschef"), ("arkivarie", "Kommunarkivarie"), ("registrator", "Registrator"),
    ("controller", "Controller"), ("redovisningsekonom", "Redovisningsekonom"), ("upphandlare", "Upphandlare"),
    ("hr-konsult", "HR-konsult"), ("loneadministrator", "Löneadministratör"), ("forvaltningschef", "Förvaltningschef"),
    ("verksamhetschef", "Verksamhetschef"), ("enhetschef", "Enhetschef"), ("rektor", "Rektor"),
    ("forskolechef", "Förskolechef"), ("skolskoterska", "Skolsköterska"), ("kurator", "Kurator"),
    ("socialsekreterare", "Socialsekreterare"), ("bistandshandlaggare", "Biståndshandläggare"),
    ("sjukskoterska", "Medicinskt ansvarig sjuksköterska"), ("bygglovshandlaggare", "Bygglovshandläggare"),
    ("miljoinspektor", "Miljöinspektör"), ("planarkitekt", "Planarkitekt"), ("gatuchef", "Gatuchef"),
    ("driftledare", "Driftledare"), ("fastighetsforvaltare", "Fastighetsförvaltare"),
    ("it-servicedesk", "IT-servicedesk"), ("systemforvaltare", "Systemförvaltare"),
    ("informationssakerhetssamordnare", "Informationssäkerhetssamordnare"), ("dataskyddsombud", "Dataskyddsombud"),
    ("kommunikator", "Kommunikatör"), ("kontaktcenter", "Kontaktcenter"), ("processagare", "Processägare"),
    ("verksamhetsutvecklare", "Verksamhetsutvecklare"),
]
assert len(ROLES) == 40
# One docs/ folder per verksamhetsområde, named as a municipality names its administrations.
FOLDERS = {"1.1": "ledning", "1.2": "styrning", "1.3": "organisation", "1.4": "demokrati",
           "2.1": "informationshantering", "2.2": "it", "2.3": "hr", "2.4": "ekonomi", "2.5": "inkop",
           "2.6": "fastighet", "2.7": "inventarier", "2.8": "sakerhet", "2.9": "kommunikation",
           "2.10": "forvaltningsstod", "3.1": "bygg", "3.2": "miljo", "3.3": "gata-park", "3.4": "naringsliv",
           "3.5": "skola", "3.6": "kultur-fritid", "3.7": "omsorg", "3.8": "samhallsinsatser",
           "3.9": "regional-utveckling", "3.10": "regional-trafik", "3.11": "regional-utbildning",
           "3.12": "regional-kultur", "3.13": "regional-halsa"}

DOC_TYPES = ["rutin"] * 6 + ["riktlinje"] * 3 + ["instruktion"] * 3 + ["checklista"] * 2 + [
    "mall", "anvisning", "plan", "policy", "program", "regler", "strategi", "processbeskrivning", "handbok"]
PROCESS_DOC_TYPES = ["processbeskrivning", "rutin", "rutin", "rutin", "instruktion", "instruktion", "checklista", "mall"]
STEERING_DOC_TYPES = ["policy", "strategi", "program", "plan", "riktlinje", "riktlinje", "regler", "handbok", "anvisning"]
DECIDERS = ["Kommunfullmäktige", "Kommunstyrelsen", "Kommundirektör", "Förvaltningschef", "Nämnden", "Verksamhetschef"]
SUBJECTS = ["arbetsmiljö", "dokumenthantering", "diarieföring", "informationssäkerhet", "inköp", "attest",
            "budgetuppföljning", "rekrytering", "introduktion", "sjukfrånvaro", "synpunkter", "klagomål",
            "tillbud", "avvikelser", "behörigheter", "lösenord", "gallring", "arkivering", "kommunikation",
            "krisberedskap", "tillsyn", "delegation", "personuppgifter", "fakturering", "representation",
            "resor", "löneutbetalning", "elevhälsa", "bygglov", "felanmälan", "vinterväghållning",
            "nyckelhantering", "brandskydd", "utbildning", "kvalitetsuppföljning", "intern kontroll"]
NOUNS = ["ärendet", "handläggaren", "verksamheten", "förvaltningen", "nämnden", "beslutet", "underlaget",
         "medarbetaren", "chefen", "kommunen", "rutinen", "systemet", "uppföljningen", "dokumentationen",
         "invånaren", "arbetsgruppen", "avdelningen", "handlingen", "rapporten", "planen"]
VERBS = ["ansvarar för", "dokumenterar", "följer upp", "granskar", "registrerar", "beslutar om", "informerar om",
         "säkerställer", "bereder", "rapporterar", "samordnar", "återkopplar", "prioriterar", "utvärderar"]
ADVERBS = ["skyndsamt", "enligt gällande delegationsordning", "i verksamhetssystemet", "minst en gång per år",
           "i samråd med berörd chef", "senast inom tio arbetsdagar", "enligt kommunens riktlinjer",
           "i ärendehanteringssystemet", "vid behov", "innan beslut fattas", "efter varje avvikelse"]
# Sources of requirements of external origin, as a municipality's register names them.
SOURCES = [("SoL", "3 kap. 3 §", "Insatser av god kvalitet"), ("SOSFS 2011:9", "4 kap. 2 §", "Processer identifierade"),
           ("SOSFS 2011:9", "4 kap. 3 §", "Aktiviteter i processerna"), ("SOSFS 2011:9", "4 kap. 4 §", "Rutiner för aktiviteterna"),
           ("Arkivlagen", "6 §", "Arkivvård"), ("OSL", "5 kap. 1 §", "Registrering av allmänna handlingar"),
           ("Förvaltningslagen", "9 §", "Snabb handläggning"), ("Dataskyddsförordningen", "art. 30", "Register över behandling"),
           ("Arbetsmiljölagen", "3 kap. 2 a §", "Systematiskt arbetsmiljöarbete"), ("LOU", "4 kap. 1 §", "Likabehandling"),
           ("Kommunallagen", "6 kap. 6 §", "Intern kontroll"), ("Skollagen", "4 kap. 3 §", "Systematiskt kvalitetsarbete"),
           ("PBL", "9 kap. 27 §", "Handläggningstid för bygglov"), ("Miljöbalken", "26 kap. 1 §", "Tillsyn")]
HEADINGS = ["Syfte", "Omfattning", "Ansvar och roller", "Genomförande", "Dokumentation", "Uppföljning",
            "Avvikelser", "Lagstöd", "Begrepp"]


def slug(text: str) -> str:
    text = text.lower().translate(str.maketrans("åäöé", "aaoe"))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(NOUNS).capitalize(), rng.choice(VERBS), rng.choice(NOUNS), rng.choice(ADVERBS)]
    if rng.random() < 0.4:
        words += ["och", rng.choice(VERBS), "att", rng.choice(NOUNS), "är", rng.choice(["fullständig", "korrekt", "aktuell", "diarieförd"])]
    return " ".join(words) + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


class Generator:
    def __init__(self, documents: int, processes: int, seed: int = 1, requirements: bool = False) -> None:
        self.rng = random.Random(seed)
        self.requirements = requirements
        self.req_rng = random.Random(seed + 1000)  # requirements draw apart: the rest stays as without them
        self.requirement_ids: list[str] = []
        self.n_documents = documents
        self.n_processes = processes
        self.today = dt.date.fromisoformat(TODAY)
        tree = builtin_tree()
        self.groups = [n for n in tree.nodes.values() if n.depth == 3 and n.code != PROBE_GROUP]
        self.local: dict[str, str] = {}
        self.process_codes: list[str] = []
        self.topic_codes: list[str] = []
        self.process_of: dict[str, str] = {}  # a process's Klassa code → its id
        self.role_ids = [rid for rid, _ in ROLES]

    # -- Klassa ---------------------------------------------------------------

    def make_codes(self) -> None:
        """Local codes grow with the handbook, as a municipality's do: each process has a code of
        its own (level 4), and about one more level-4 code per 40 documents gathers documents by
        subject, a third of them with a level-5 code below."""
        for i in range(self.n_processes):
            group = self.groups[i * 7 % len(self.groups)]
            self.process_codes.append(f"{group.code}.{50 + i}")
            self.local[self.process_codes[-1]] = f"Process för {self.rng.choice(SUBJECTS)} {i + 1}"
        numbers: dict[str, int] = {}
        for _ in range(max(10, self.n_documents // 40)):
            group = self.rng.choice(self.groups).code
            numbers[group] = numbers.get(group, 0) + 1
            code = f"{group}.{numbers[group]}"
            self.local[code] = f"{self.rng.choice(SUBJECTS).capitalize()} {numbers[group]}"
            self.topic_codes.append(code)
            if self.rng.random() < 0.3:
                self.local[f"{code}.1"] = f"{self.rng.choice(SUBJECTS).capitalize()} i praktiken"
                self.topic_codes.append(f"{code}.1")

    # -- governance -------------------------------------------------------------

    def governance(self, owner: str, k_level: int) -> dict:
        state = self.rng.choices(["fastställd", "utkast", "upphävd"], [80, 15, 5])[0]
        review = self.today + dt.timedelta(days=self.rng.randint(-200, 1100))
        meta = {"owner": owner, "version": f"{self.rng.randint(1, 4)}.{self.rng.randint(0, 12)}",
                "review_date": review, "state": state}
        if state == "fastställd":
            meta["valid_from"] = review - dt.timedelta(days=self.rng.randint(400, 1200))
            meta["decided_by"] = self.rng.choice(DECIDERS)
        elif state == "upphävd":  # what applies instead (a repeal without it is a warning); no random draw
            meta["repeal_note"] = "Uppgiften har upphört."
        if k_level > 1:
            meta["information_class"] = f"K{k_level}"
        return meta

    def k_level(self) -> int:
        return self.rng.choices([1, 2, 3], [98, 1, 1])[0]

    # -- documents ------------------------------------------------------------

    def plan_documents(self) -> list[dict]:
        """Two documents in five belong to a process (under its code), two to a subject code and one
        is a steering document at a process group; within each, a few codes are busy, many quiet."""
        buckets = [(self.process_codes, PROCESS_DOC_TYPES, 2), (self.topic_codes, DOC_TYPES, 2),
                   ([g.code for g in self.groups], STEERING_DOC_TYPES, 1)]
        buckets = [(codes, types, share) for codes, types, share in buckets if codes]
        weights = {id(codes): [min(self.rng.paretovariate(1.5), 20) for _ in codes] for codes, _, _ in buckets}
        plans = []
        for i in range(self.n_documents):
            codes, types, _ = self.rng.choices(buckets, [share for _, _, share in buckets])[0]
            code = self.rng.choices(codes, weights[id(codes)])[0]
            folder = FOLDERS[".".join(code.split(".")[:2])]
            doc_type = self.rng.choice(types)
            subject = self.rng.choice(SUBJECTS)
            title = f"{doc_type.capitalize()} för {subject} ({i + 1})"
            path = f"{folder}/{doc_type}-{slug(subject)}-{i + 1}.md"
            plans.append({"path": path, "title": title, "doc_type": doc_type, "klassa": code})
        return plans

    def document_text(self, plan: dict, plans: list[dict], process_ids: list[str]) -> str:
        rng = self.rng
        meta = {"title": plan["title"], "doc_type": plan["doc_type"], "klassa": plan["klassa"],
                **self.governance(rng.choice(self.role_ids), plan["k_level"])}
        if rng.random() < 0.5:
            meta["roles"] = rng.sample(self.role_ids, rng.randint(1, 3))
        if plan["klassa"] in self.process_of:
            meta["processes"] = [self.process_of[plan["klassa"]]]
        elif process_ids and rng.random() < 0.1:
            meta["processes"] = [rng.choice(process_ids)]
        if rng.random() < 0.3:
            meta["diarienummer"] = f"KS {rng.randint(2019, 2026)}/{rng.randint(1, 999):04d}"
        lines = ["---"] + [_yaml_line(k, v) for k, v in meta.items()] + ["---", ""]
        links = rng.sample(plans, min(3, len(plans)))  # now and then a classified one: shown withheld
        here = plan["path"].rsplit("/", 1)[0]
        for number, heading in enumerate(rng.sample(HEADINGS, 5)):
            lines += [f"## {heading}", "", paragraph(rng, rng.randint(3, 6)), ""]
            if number == 1:
                lines += [f"- {sentence(rng)}" for _ in range(rng.randint(3, 5))] + [""]
            if number == 2:
                lines += ["| Roll | Ansvar |", "|---|---|"]
                lines += [f"| {name} | {rng.choice(VERBS)} {rng.choice(NOUNS)} |" for _, name in rng.sample(ROLES, 3)] + [""]
        lines += ["## Relaterade dokument", ""]
        lines += [f"- [{other['title']}]({_relative(here, other['path'])})" for other in links] + [""]
        return "\n".join(lines)

    # -- processes ------------------------------------------------------------

    def process_data(self, pid: str, name: str, code: str, others: list[str], plans: list[dict]) -> dict:
        rng = self.rng
        own = [p for p in plans if p["klassa"] == code]
        plans = own if len(own) >= 2 else plans
        team = rng.sample(self.role_ids, 4)
        steps = []
        for i in range(STEPS):
            step = {"id": f"steg-{i + 1}", "name": f"{rng.choice(VERBS).capitalize()} {rng.choice(NOUNS)}",
                    "role": team[i % len(team)], "description": paragraph(rng, 2)}
            if rng.random() < 0.5:
                step["documents"] = [p["path"] for p in rng.sample(plans, min(2, len(plans)))]
            steps.append(step)
        steps[3].update(kind="decision", name="Är underlaget komplett?", next={"Ja": "steg-5", "Nej": "steg-2"})
        steps[3].pop("documents", None)
        if others:
            steps[5].update(kind="subprocess", process=rng.choice(others))
            steps[5].pop("documents", None)
        data = {"id": pid, "name": name, "klassa": code, **self.governance(team[0], self.k_level()),
                "leader": team[1], "team": team[2:], "purpose": paragraph(rng, 2),
                "trigger": sentence(rng), "customer": rng.choice(NOUNS).capitalize(), "result": sentence(rng),
                "inputs": [f"{rng.choice(NOUNS).capitalize()}"], "outputs": [f"{rng.choice(NOUNS).capitalize()}"],
                "steps": steps}
        data["review_date"] = data["review_date"].isoformat()
        if self.requirements_used():
            self.add_requirements(data)
        if "valid_from" in data:  # processes carry no valid_from or decided_by
            del data["valid_from"], data["decided_by"]
        return data

    # -- requirements (krav.yml) -------------------------------------------------

    def requirements_used(self) -> bool:
        return self.requirements and bool(self.requirement_ids)

    def make_requirements(self) -> dict:
        """One requirement per two processes, from real sources; the last tenth is referred to by nothing."""
        rng, register = self.req_rng, {}
        for i in range(max(4, self.n_processes // 2)):
            law, chapter, title = SOURCES[i % len(SOURCES)]
            rid = f"{slug(law)}-{i + 1}"
            entry = {"title": f"{title} ({i + 1})", "source": f"{law} {chapter}",
                     "link": f"https://www.riksdagen.se/sv/dokument-och-lagar/{slug(law)}/",
                     "checked": self.today - dt.timedelta(days=rng.randint(0, 400)),
                     "owner": rng.choice(self.role_ids)}
            if rng.random() < 0.3:
                entry["description"] = paragraph(rng, 1)
            register[rid] = entry
        ids = list(register)
        self.requirement_ids = ids[:len(ids) - max(1, len(ids) // 10)]
        return register

    def add_requirements(self, data: dict) -> None:
        rng = self.req_rng
        refs: list = rng.sample(self.requirement_ids, min(len(self.requirement_ids), rng.randint(2, 3)))
        refs[0] = {"id": refs[0], "note": sentence(rng)}
        data["requirements"] = refs
        for step in data["steps"]:
            if step.get("kind") is None and rng.random() < 0.25:
                step["requirements"] = [rng.choice(self.requirement_ids)]

    # -- the whole handbook ---------------------------------------------------

    def write(self, out: Path) -> None:
        docs, processes = out / "docs", out / "processes"
        self.make_codes()
        pids = [f"{slug(self.local[c].removeprefix('Process för ').rsplit(' ', 1)[0])}-{i + 1}"
                for i, c in enumerate(self.process_codes)]
        self.process_of = dict(zip(self.process_codes, pids))
        plans = self.plan_documents()
        for plan in plans:
            plan["k_level"] = self.k_level()
        published = [p for p in plans if p["k_level"] == 1]
        _write(processes / "klassa.yml", yaml.safe_dump({c: n for c, n in self.local.items()}, allow_unicode=True, sort_keys=False))
        roles = {rid: {"name": name, "description": f"{name} i Benchby kommun.", "contact": f"{rid}@benchby.se"}
                 for rid, name in ROLES}
        _write(processes / "roles.yml", yaml.safe_dump(roles, allow_unicode=True, sort_keys=False))
        if self.requirements:
            _write(processes / "krav.yml", yaml.safe_dump(self.make_requirements(), allow_unicode=True, sort_keys=False))
        folders = {"1": "ledning", "2": "stod", "3": "karn"}
        for i, (pid, code) in enumerate(zip(pids, self.process_codes)):
            data = self.process_data(pid, self.local[code], code, pids[:i] or pids[i + 1:], published)
            _write(processes / folders[code[0]] / f"{pid}.yml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        for plan in plans:
            _write(docs / plan["path"], self.document_text(plan, plans, pids))
        self._use_every_role(docs, plans)
        probe = {"path": PROBE_PATH, "title": PROBE_TITLE, "doc_type": "rutin", "klassa": PROBE_GROUP, "k_level": 1}
        _write(docs / PROBE_PATH, Generator(0, 0, seed=0).document_text(probe, [probe], []))
        _write(docs / "index.md", "# Benchby kommuns ledningssystem\n\n" + paragraph(self.rng, 4) + "\n")
        _write(docs / "om-handboken/index.md", "# Om handboken\n\n" + paragraph(self.rng, 6) + "\n")
        _write(docs / "om-handboken/ordlista.md", "# Ordlista\n\n" + "\n".join(
            f"{s.capitalize()}\n:   {sentence(self.rng)}\n" for s in SUBJECTS[:12]))

    def _use_every_role(self, docs: Path, plans: list[dict]) -> None:
        """An unused role is a warning; the first documents name every role (if there are documents)."""
        if not plans:
            return
        path = docs / plans[0]["path"]
        text = path.read_text("utf-8")
        text = re.sub(r"^roles: .*\n", "", text, flags=re.M)
        path.write_text(text.replace("---\n", "---\n" + _yaml_line("roles", self.role_ids) + "\n", 1), "utf-8")


def _yaml_line(key: str, value) -> str:
    """A front matter line as an author writes it: codes and versions quoted, dates bare."""
    if isinstance(value, list):
        return f"{key}: [{', '.join(value)}]"
    if isinstance(value, dt.date):
        return f"{key}: {value.isoformat()}"
    return f"{key}: \"{value}\"" if key in ("klassa", "version", "title") else f"{key}: {value}"


def _relative(from_dir: str, path: str) -> str:
    return path[len(from_dir) + 1:] if path.startswith(from_dir + "/") else "../" + path


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def generate(out: str | Path, documents: int, processes: int, seed: int = 1, requirements: bool = False) -> Path:
    out = Path(out)
    Generator(documents, processes, seed, requirements).write(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic handbook (docs/ + processes/) for the benchmark.")
    parser.add_argument("out", help="folder to write docs/ and processes/ in (must not hold them already)")
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--processes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requirements", action="store_true",
                        help="write processes/krav.yml and a requirements: list on every process")
    args = parser.parse_args(argv)
    out = Path(args.out)
    if (out / "docs").exists() or (out / "processes").exists():
        parser.error(f"{out} holds docs/ or processes/ already; choose an empty folder")
    generate(out, args.documents, args.processes, args.seed, args.requirements)
    print(f"wrote {args.documents} documents and {args.processes} processes to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
