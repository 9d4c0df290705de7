#!/usr/bin/env python3
"""Turns the statements the gateway sent (PostgreSQL's log_statement output) into pgbench scripts.

    capture.py LOG OFFSET PROBE OUT_DIR

Reads LOG from byte OFFSET, where bench/run.sh had the gateway serve one GET /bench_items?id=eq.PROBE and
one POST /rpc/bench_echo {"n": PROBE} (twice each, so the last ones ran on a pooled connection). For each
scenario it takes the last request's transaction -- the set_config statement through the main statement,
exactly as logged -- and writes:

    OUT_DIR/<scenario>.pgbench  the transaction in one pipeline (one round trip), with \\set id random(1, 10000)
    OUT_DIR/<scenario>.args     pgbench -D arguments (NUL-separated): every other parameter, verbatim

Every parameter stays a parameter (pgbench -M extended sends :variables as bind values, as the gateway does).
The probe value becomes :id; the JSON body {"n": PROBE}, which pgbench cannot build as a string, becomes
(:body_head || :id || :body_tail) -- the only change to the gateway's SQL text. Prints, per scenario, every
statement the gateway sent for that request (pool resets included), so a change in the gateway shows.
"""
import re
import sys
from pathlib import Path

PREFIX = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\w+):  (.*)$")
STATEMENT = re.compile(r"^(?:statement|execute [^:]*): (.*)$", re.S)
PARAMETER = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')")
# Each marker is found in its scenario's main statement only (the embed joins before its where).
SCENARIOS = {
    "get": '"api"."bench_items" as _src where',
    "post": '"api"."bench_echo"',
    "embed": '"api"."bench_item_parts"',
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
    """Per backend pid, the statements it ran in order: {"sql": ..., "params": {n: value or None}}."""
    by_pid = {}
    for pid, level, message in entries(text):
        if level == "LOG":
            match = STATEMENT.match(message)
            if match:
                by_pid.setdefault(pid, []).append({"sql": match.group(1).strip(), "params": {}})
        elif level == "DETAIL" and message.startswith("parameters: ") and by_pid.get(pid):
            params = by_pid[pid][-1]["params"]
            for number, value in PARAMETER.findall(message):
                params[int(number)] = None if value == "NULL" else value[1:-1].replace("''", "'")
    return by_pid


def last_request(by_pid, marker):
    """The statements of the last request whose main statement contains marker, from the previous main on."""
    found = None
    for pid, items in by_pid.items():
        mains = [i for i, s in enumerate(items) if any(m in s["sql"] for m in SCENARIOS.values())]
        for k, i in enumerate(mains):
            if marker in items[i]["sql"]:
                start = mains[k - 1] + 1 if k > 0 else max(0, i - 1)
                found = items[start:i + 1]
    return found


def short(sql):
    sql = " ".join(sql.split())
    if sql.startswith("select set_config("):
        return f"select set_config(...) x{sql.count('set_config(')}"
    return sql if len(sql) <= 60 else sql[:57] + "..."


def main():
    log, offset, probe, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
    with open(log, "rb") as f:
        f.seek(offset)
        text = f.read().decode("utf-8", "replace")
    by_pid = statements(text)
    body = '{"n": ' + probe + "}"
    for scenario, marker in SCENARIOS.items():
        request = last_request(by_pid, marker)
        if not request:
            sys.exit(f"capture: no statement on {marker} in the log; is log_statement on for authenticator?")
        first = next((i for i, s in enumerate(request) if s["sql"].startswith("select set_config(")), None)
        if first is None:
            sys.exit(f"capture: the {scenario} request sent no set_config statement")
        transaction, other = request[first:], request[:first]
        print(f"  {scenario}: " + "; ".join(short(s["sql"]) for s in request)
              + (f"   (not in the pgbench script: {', '.join(short(s['sql']) for s in other)})" if other else ""))

        args, lines = [], ["\\set id random(1, 10000)", "\\startpipeline"]
        for index, statement in enumerate(transaction):
            def substitute(match, index=index, params=statement["params"]):
                value = params.get(int(match.group(1)))
                if value == probe:
                    return ":id"
                if value == body:
                    args.extend(["-Dbody_head=" + '{"n": ', "-Dbody_tail=}"])
                    return "(:body_head || :id || :body_tail)"
                if value is None:
                    return "null"
                name = f"p{index}_{match.group(1)}"
                args.append(f"-D{name}={value}")
                return ":" + name
            sql = re.sub(r"\$(\d+)(?!\d)", substitute, statement["sql"])
            if "\n" in sql:
                sys.exit("capture: a multi-line statement; pgbench scripts need one line per statement")
            lines.append(sql + ";")
        lines.append("\\endpipeline")
        (out / f"{scenario}.pgbench").write_text("\n".join(lines) + "\n")
        (out / f"{scenario}.args").write_bytes(b"".join(a.encode() + b"\0" for a in dict.fromkeys(args)))


if __name__ == "__main__":
    main()
