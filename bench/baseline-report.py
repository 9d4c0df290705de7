"""The table of bench/baseline.sh from its rounds (bench/.out/baseline/rounds.tsv, one line per round and build:
scenario, round, build, requests, duration_us, p50_us, p99_us, server_cpu_us, postgres_cpu_us, errors).

A round's ratio is current/baseline in that round (the two ran back to back, so a change in the machine's load
between rounds cancels); the figure to read is the median of those ratios, beside their geometric mean."""
import statistics
import sys
from collections import defaultdict

rows = defaultdict(lambda: defaultdict(dict))  # scenario -> round -> build -> fields
order = []
with open(sys.argv[1]) as lines:
    for line in lines:
        scenario, rnd, build, requests, duration, p50, p99, server, postgres, errors = line.rstrip("\n").split("\t")
        if scenario not in order:
            order.append(scenario)
        rows[scenario][int(rnd)][build] = dict(
            requests=int(requests), seconds=int(duration) / 1e6, p50=int(p50) / 1000, p99=int(p99) / 1000,
            server=int(server), postgres=int(postgres), errors=int(errors))

print(f"{'scenario':10} {'baseline req/s':>14} {'current req/s':>13} {'ratio median':>12} {'geomean':>7} {'range':>11}"
      f" {'p50/p99 ms baseline':>20} {'p50/p99 ms current':>19} {'CPU us/req gw, pg: baseline':>27} {'current':>11}  2x")
for scenario in order:
    rounds = [r for r in sorted(rows[scenario]) if len(rows[scenario][r]) == 2]
    def of(build, key):
        return [rows[scenario][r][build][key] for r in rounds]
    def rate(build):
        return [rows[scenario][r][build]["requests"] / rows[scenario][r][build]["seconds"] for r in rounds]
    def cpu(build, key):
        requests = sum(of(build, "requests"))
        return sum(of(build, key)) / requests if requests else 0
    base, cur = rate("baseline"), rate("current")
    ratios = [c / b for c, b in zip(cur, base) if b]
    if not ratios:
        print(f"{scenario:10} no round completed on both builds")
        continue
    median = statistics.median(ratios)
    errors = sum(of("baseline", "errors")) + sum(of("current", "errors"))
    print(f"{scenario:10} {statistics.median(base):14.0f} {statistics.median(cur):13.0f} {median:12.2f}"
          f" {statistics.geometric_mean(ratios):7.2f} {min(ratios):5.2f}-{max(ratios):<5.2f}"
          f" {statistics.median(of('baseline', 'p50')):9.2f}/{statistics.median(of('baseline', 'p99')):<10.2f}"
          f" {statistics.median(of('current', 'p50')):8.2f}/{statistics.median(of('current', 'p99')):<10.2f}"
          f" {cpu('baseline', 'server'):13.0f}, {cpu('baseline', 'postgres'):<13.0f} {cpu('current', 'server'):4.0f}, {cpu('current', 'postgres'):<5.0f}"
          f"  {'met' if median >= 2 else 'MISSED'}{f'  ({errors} failed requests)' if errors else ''}")
