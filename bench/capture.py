#!/usr/bin/env python3
"""Turns the statements the gateway sent (PostgreSQL's log_statement output) into pgbench scripts and the floor's
request shapes.

    capture.py LOG CAPTURE_TSV PROBE OUT_DIR

CAPTURE_TSV has a line per scenario, tab-separated: name, start and end byte offsets in LOG, method, target and body
(bench/scenarios.txt's templates, "-" for no body). bench/run.sh had the gateway serve each scenario's request twice,
with {id} as PROBE, and noted the log's size around the second, so the range holds that request's statements: its
transaction (the set_config statement through the main statement and any commit) on one backend, and what the pool
sent before it on that connection (a reset). For each scenario this writes:

    OUT_DIR/<name>.pgbench  the transaction in one pipeline (one round trip), with \\set id random(1, 10000)
    OUT_DIR/<name>.args     pgbench -D arguments (NUL-separated): every other parameter, verbatim
    OUT_DIR/shapes.json     all scenarios' statements and where each parameter comes from, for bench/Floor

Every parameter stays a parameter (pgbench -M extended sends :variables as bind values, as the gateway does). The
probe value becomes :id; a body with {id} in its template, which pgbench cannot build as a string, becomes
(:body_head || :id || :body_tail) -- the only change to the gateway's SQL text. For the floor, the settings' values
come from the request (role, claims, method, path, headers, cookies) or stay constant (search_path, read-only mode,
the role's own settings); the main statement's from the request's id and body, or constant. The log has no parameter
types: a parameter the gateway casts (`$n::json`) it sends as text, any other in the main statement as unknown (for
PostgreSQL to infer), and set_config's all as text; the floor sends them so. Prints, per scenario, every statement
the gateway sent for that request (pool resets included), so a change in the gateway shows.
"""
import json
import re
import sys
from pathlib import Path

PREFIX = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\w+):  (.*)$")
STATEMENT = re.compile(r"^(?:statement|execute [^:]*): (.*)$", re.S)
PARAMETER = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')")
# set_config('name', $n, true): the name a literal, the value a parameter.
SET_CONFIG = re.compile(r"set_config\('((?:[^']|'')*)', \$(\d+), true\)")
REFERENCE = re.compile(r"\$(\d+)(?!\d)")
TRANSACTION_START = re.compile(r"^(begin|start transaction)\b", re.I)
# The settings whose values the floor takes from the request; any other set_config stays as the gateway sent it.
REQUEST_SETTINGS = {
    "role": "role",
    "request.jwt.claims": "claims",
    "request.method": "method",
    "request.path": "path",
    "request.headers": "headers",
    "request.cookies": "cookies",
}


def entries(text):
    """Log entries as (pid, level, message), continuation lines (tab-indented) joined to their entry."""
    current = None
    for line in text.splitlines():
        match = PREFIX.match(line)
        if match:
            if current:
                yield current
            current = [match.group(1), match.group(2), match.group(3)]
        elif current and line.startswith("\t"):
            current[2] += "\n" + line[1:]
    if current:
        yield current


def statements(text):
    """The statements in log order, each {"pid", "sql", "params": {n: value or None}}."""
    found, last_by_pid = [], {}
    for pid, level, message in entries(text):
        if level == "LOG":
            match = STATEMENT.match(message)
            if match:
                last_by_pid[pid] = {"pid": pid, "sql": match.group(1).strip(), "params": {}}
                found.append(last_by_pid[pid])
        elif level == "DETAIL" and message.startswith("parameters: ") and pid in last_by_pid:
            params = last_by_pid[pid]["params"]
            for number, value in PARAMETER.findall(message):
                params[int(number)] = None if value == "NULL" else value[1:-1].replace("''", "'")
    return found


def is_settings(sql):
    """The settings statement: a select of set_config(..., true) calls (after the session reset's advisory unlock)."""
    return sql.startswith("select ") and " from " not in sql and SET_CONFIG.search(sql) is not None


def request_of(logged):
    """(before, transaction): the last request's statements, split at its settings statement. Before it come the
    session reset (the gateway's own statements at the start of its batch, or a pool's reset) and any BEGIN; the BEGIN
    goes with the transaction, the reset is left out of what pgbench and the floor replay."""
    starts = [i for i, s in enumerate(logged) if is_settings(s["sql"])]
    if not starts:
        return None, None
    pid = logged[starts[-1]]["pid"]
    own = [s for s in logged if s["pid"] == pid]
    first = next(i for i, s in enumerate(own) if s is logged[starts[-1]])
    begins = [s for s in own[:first] if TRANSACTION_START.match(s["sql"])]
    before = [s for s in own[:first] if not TRANSACTION_START.match(s["sql"])]
    return before, begins[-1:] + own[first:]


def short(sql):
    sql = " ".join(sql.split())
    if is_settings(sql):
        return f"select set_config(...) x{sql.count('set_config(')}" + (" with pg_advisory_unlock_all()" if "pg_advisory_unlock_all()" in sql else "")
    return sql if len(sql) <= 60 else sql[:57] + "..."


def sources(statement, probe, body, has_id):
    """Per parameter number: (source, constant value, sent as unknown)."""
    sql, params = statement["sql"], statement["params"]
    if sorted(params) != list(range(1, len(params) + 1)):
        sys.exit(f"capture: the log shows parameters {sorted(params)} of: {short(sql)}")
    named = {int(value): name.replace("''", "'") for name, value in SET_CONFIG.findall(sql)}
    result = {}
    for number, value in params.items():
        if number in named:
            source = REQUEST_SETTINGS.get(named[number], "value")
        elif has_id and value == probe:
            source = "id"
        elif body is not None and value == body:
            source = "body"
        else:
            source = "value"
        cast = re.search(rf"\${number}(?!\d)::", sql) is not None
        result[number] = (source, value, not named and not cast)
    return result


def main():
    log, capture, probe, out = sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4])
    with open(log, "rb") as f:
        text = f.read()
    shapes = []
    for line in Path(capture).read_text().splitlines():
        name, start, end, method, target, body_template = line.split("\t")
        logged = statements(text[int(start):int(end)].decode("utf-8", "replace"))
        before, transaction = request_of(logged)
        if not transaction:
            sys.exit(f"capture: the {name} request sent no set_config statement; is log_statement on for authenticator?")
        print(f"  {name}: " + "; ".join(short(s["sql"]) for s in before + transaction)
              + (f"   (not in the pgbench script: {', '.join(short(s['sql']) for s in before)})" if before else ""))

        path, _, query = target.partition("?")
        has_id = "{id}" in target or "{id}" in body_template
        body = None if body_template == "-" else body_template.replace("{id}", probe)
        args, lines, shape_statements = [], ["\\set id random(1, 10000)", "\\startpipeline"], []
        for index, statement in enumerate(transaction):
            found = sources(statement, probe, body, has_id)

            def pgbench_value(match, index=index):
                source, value, _ = found[int(match.group(1))]
                if source == "id":
                    return ":id"
                if source == "body" and "{id}" in body_template:
                    head, _, tail = body_template.partition("{id}")
                    args.extend(["-Dbody_head=" + head, "-Dbody_tail=" + tail])
                    return "(:body_head || :id || :body_tail)"
                if value is None:
                    return "null"
                variable = f"p{index}_{match.group(1)}"
                args.append(f"-D{variable}={value}")
                return ":" + variable
            sql = REFERENCE.sub(pgbench_value, statement["sql"])
            if "\n" in sql:
                sys.exit("capture: a multi-line statement; pgbench scripts need one line per statement")
            lines.append(sql + ";")
            shape_statements.append({
                "sql": statement["sql"],
                "parameters": [
                    {"source": source, "value": value if source in ("value", "role", "claims") else None, "unknown": unknown}
                    for _, (source, value, unknown) in sorted(found.items())
                ],
            })
        lines.append("\\endpipeline")
        (out / f"{name}.pgbench").write_text("\n".join(lines) + "\n")
        (out / f"{name}.args").write_bytes(b"".join(a.encode() + b"\0" for a in dict.fromkeys(args)))
        shapes.append({"name": name, "method": method, "path": path, "query": query, "statements": shape_statements})
    (out / "shapes.json").write_text(json.dumps(shapes, indent=1) + "\n")


if __name__ == "__main__":
    main()
