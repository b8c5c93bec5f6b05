#!/usr/bin/env bash
# API load benchmark: gunicorn on 127.0.0.1 with the demo data (plus rows enough to fill the
# pages), wrk against two API lists and, in the same run, two baselines: a bare Django view
# returning a tiny JSON body, and a hand-written view returning the same page of rows
# (.values() + JsonResponse, no DRF). Needs Debian's wrk (apt-get install -y wrk).
#   bash benchmarks/bench_api.sh            # 10 s per URL
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8011}
DURATION=${DURATION:-10s}
export DATABASE_URL=${BENCH_DATABASE_URL:-sqlite:////tmp/bench_api.sqlite3}
export DEBUG=0 SECURE_SSL=0 SECRET_KEY=bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuv
export ALLOWED_HOSTS=127.0.0.1 BENCHMARK_VIEWS=1 API_THROTTLE_USER=100000000/min
PY=.venv/bin/python

rm -f /tmp/bench_api.sqlite3
$PY manage.py migrate -v0
$PY manage.py load_demo >/dev/null
$PY manage.py shell -v0 -c "
from datetime import date
from catalog.models import Item, Product, Vendor
from pricing.models import Offering
vendor = Vendor.objects.get(slug='northwind')
product = Product.objects.create(vendor=vendor, name='Bench product')
Item.objects.bulk_create(Item(product=product, mpn=f'BENCH-{n:03d}', name=f'Bench item {n}',
    kind='subscription', billing_period='monthly') for n in range(120))
Offering.objects.bulk_create(Offering(vendor=vendor, name=f'Bench offering {n:03d}',
    start_date=date(2026, 1, 1)) for n in range(60))
"
KEY=$($PY manage.py drf_create_token northwind | awk '{print $3}')

.venv/bin/gunicorn catalog_site.wsgi -w 2 -b "127.0.0.1:$PORT" --log-level warning &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/bench/tiny/" && break; sleep 0.2; done

run() {  # name url
    out=$(wrk -t2 -c16 -d"$DURATION" --latency -H "Authorization: Token $KEY" "$2")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    printf '%-48s %10s req/s  p50 %8s  p99 %8s  non-2xx %s\n' "$1" "$rps" "$p50" "$p99" "${non2xx:-0}"
}
echo "machine: $(nproc) cores, $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2}'); database: $DATABASE_URL"
BASE="http://127.0.0.1:$PORT"
run "baseline: bare Django view, tiny JSON" "$BASE/bench/tiny/"
run "baseline: hand-written offerings page of 50" "$BASE/bench/offerings/?page_size=50"
run "API GET /api/v1/offerings/?page_size=50" "$BASE/api/v1/offerings/?page_size=50"
run "baseline: hand-written items page of 100" "$BASE/bench/items/?page_size=100"
run "API GET /api/v1/items/?page_size=100" "$BASE/api/v1/items/?page_size=100"
