"""The end of bench/soak.sh: reads its minute-by-minute figures (TSV), prints the verdict (no 5xx, no socket errors,
RSS flat after the warm-up) and draws RSS and throughput by minute as an SVG. Exits 1 when the verdict is not met.

    python3 bench/soak-report.py SOAK_TSV CHART_SVG WARMUP_MINUTES TITLE
"""
import csv, sys

tsv, svg, warmup, title = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rows = [{k: float(v) for k, v in row.items()} for row in csv.DictReader(open(tsv), delimiter="\t")]
minutes = [r["minute"] for r in rows]
rss = [r["rss_mb"] for r in rows]
rate = [r["req_per_s"] for r in rows]

server = sum(r["server_errors"] for r in rows)
socket = sum(r["socket_errors"] for r in rows)
requests = sum(r["req_per_s"] * 60 for r in rows)
print(f"{requests:.0f} requests, {sum(r['client_errors'] for r in rows):.0f} of them meant as client errors (4xx)")
print(f"no 5xx: {'met' if server == 0 else 'MISSED'} ({server:.0f}); no socket errors or timeouts: {'met' if socket == 0 else 'MISSED'} ({socket:.0f})")

# RSS flat after the warm-up: the least-squares trend over the remaining minutes, projected over their span,
# within 5% of their mean (or 5 MB, whichever is larger).
steady = [(m, v) for m, v in zip(minutes, rss) if m > warmup]
flat = True
if len(steady) >= 3:
    n = len(steady)
    mx = sum(m for m, _ in steady) / n
    my = sum(v for _, v in steady) / n
    slope = sum((m - mx) * (v - my) for m, v in steady) / sum((m - mx) ** 2 for m, _ in steady)
    drift = slope * (steady[-1][0] - steady[0][0])
    flat = abs(drift) <= max(0.05 * my, 5)
    print(f"RSS after minute {warmup}: mean {my:.1f} MB, min {min(v for _, v in steady):.1f}, max {max(v for _, v in steady):.1f}, "
          f"trend {slope * 10:+.2f} MB per 10 min ({drift:+.1f} MB over the run); flat: {'met' if flat else 'MISSED'}")
else:
    print(f"RSS trend: not judged (fewer than 3 minutes after the {warmup}-minute warm-up)")

# The chart: RSS (left axis) and throughput (right axis) by minute.
W, H, L, R, T, B = 900, 420, 70, 80, 50, 50
pw, ph = W - L - R, H - T - B
xmax = max(minutes[-1], 2)
def ceil_nice(v):
    for p in range(0, 9):
        for step in (1, 2, 5):
            if step * 10 ** p >= v:
                return step * 10 ** p
    return v
rmax = ceil_nice(max(rss) * 1.15 or 1)
qmax = ceil_nice(max(rate) * 1.15 or 1)
x = lambda m: L + (m - 1) / max(xmax - 1, 1) * pw
yr = lambda v: T + ph - v / rmax * ph
yq = lambda v: T + ph - v / qmax * ph
def line(ys, color):
    pts = " ".join(f"{x(m):.1f},{y:.1f}" for m, y in zip(minutes, ys))
    return f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{pts}"/>'
parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
         f'<rect width="{W}" height="{H}" fill="white"/>',
         f'<text x="{L}" y="22" font-size="14">{title}</text>']
for i in range(6):
    gy = T + ph - i / 5 * ph
    parts.append(f'<line x1="{L}" y1="{gy:.1f}" x2="{L + pw}" y2="{gy:.1f}" stroke="#ddd"/>')
    parts.append(f'<text x="{L - 6}" y="{gy + 4:.1f}" text-anchor="end" fill="#c0392b">{rmax * i / 5:g}</text>')
    parts.append(f'<text x="{L + pw + 6}" y="{gy + 4:.1f}" fill="#2471a3">{qmax * i / 5:g}</text>')
ticks = sorted({1, int(xmax)} | set(range(5, int(xmax) + 1, 5)))
for m in ticks:
    parts.append(f'<text x="{x(m):.1f}" y="{T + ph + 18}" text-anchor="middle">{m}</text>')
if warmup and xmax > warmup:
    parts.append(f'<line x1="{x(warmup):.1f}" y1="{T}" x2="{x(warmup):.1f}" y2="{T + ph}" stroke="#999" stroke-dasharray="4 4"/>')
    parts.append(f'<text x="{x(warmup) + 4:.1f}" y="{T + 12}" fill="#777">warm-up ends</text>')
parts += [f'<rect x="{L}" y="{T}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>',
          line([yr(v) for v in rss], "#c0392b"), line([yq(v) for v in rate], "#2471a3"),
          f'<text x="{L + pw / 2}" y="{H - 12}" text-anchor="middle">minute</text>',
          f'<text x="16" y="{T + ph / 2}" transform="rotate(-90 16 {T + ph / 2})" text-anchor="middle" fill="#c0392b">RSS (MB)</text>',
          f'<text x="{W - 16}" y="{T + ph / 2}" transform="rotate(90 {W - 16} {T + ph / 2})" text-anchor="middle" fill="#2471a3">requests per second</text>',
          "</svg>"]
open(svg, "w").write("\n".join(parts) + "\n")
print(f"chart: {svg}")
sys.exit(0 if server == 0 and socket == 0 and flat else 1)
