#!/usr/bin/env bash
# API load benchmark: gunicorn on 127.0.0.1 with the demo data (plus rows enough to fill the
# pages), wrk against two API lists and, in the same run, three baselines: a bare Django view
# returning a tiny JSON body, a hand-written view returning the same page of rows
# (.values() + JsonResponse, no DRF), that same hand-written body answered through DRF's
# request and response (an APIView with the API's authentication, throttles and renderer:
# DRF's own envelope), and the hand-written body encoded by orjson as the API's is (the
# baseline with the API's encoder). Needs Debian's wrk (apt-get install -y wrk).
#   bash benchmarks/bench_api.sh            # 10 s per URL, 3 rounds, 8 connections
#   DURATION=10s ROUNDS=3 CONNECTIONS=8 bash benchmarks/bench_api.sh
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_api bash benchmarks/bench_api.sh
# On PostgreSQL the database named is dropped and made again (it must not be one you keep).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8011}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-8}
export DATABASE_URL=${BENCH_DATABASE_URL:-sqlite:////tmp/bench_api.sqlite3}
# Connections kept open, as in production (README: CONN_MAX_AGE); 0 on SQLite changes nothing.
export CONN_MAX_AGE=${CONN_MAX_AGE:-60}
export DEBUG=0 SECURE_SSL=0 SECRET_KEY=bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuv
export ALLOWED_HOSTS=127.0.0.1 BENCHMARK_VIEWS=1 API_THROTTLE_USER=100000000/min
PY=.venv/bin/python

case "$DATABASE_URL" in
    postgres*)
        name=${DATABASE_URL##*/}
        admin=${DATABASE_URL%/*}/postgres
        psql -q "$admin" -c "DROP DATABASE IF EXISTS \"$name\"" -c "CREATE DATABASE \"$name\"" ;;
    *) rm -f /tmp/bench_api.sqlite3 ;;
esac
$PY manage.py migrate -v0
$PY manage.py load_demo >/dev/null
$PY manage.py shell -v0 -c "
from datetime import date
from catalog.models import Item, ItemPath, ItemTranslation, Product, Vendor
from pricing.models import Offering, OfferingItem, Rate
vendor = Vendor.objects.get(slug='northwind')
product = Product.objects.create(vendor=vendor, name='Bench product')
items = Item.objects.bulk_create(Item(product=product, mpn=f'BENCH-{n:03d}',
    name=f'Bench item {n}', description='A subscription of the load benchmark.',
    kind='subscription', billing_period='monthly') for n in range(120))
ItemTranslation.objects.bulk_create(ItemTranslation(item=item, locale=locale,
    name=f'{item.name} ({locale})', description='') for item in items for locale in ('de', 'fr'))
ItemPath.objects.bulk_create([ItemPath(source=a, target=b, kind='upgrade') for a, b in zip(items, items[1:])]
    + [ItemPath(source=b, target=a, kind='downgrade') for a, b in zip(items, items[1:])])
offerings = Offering.objects.bulk_create(Offering(vendor=vendor, name=f'Bench offering {n:03d}',
    start_date=date(2026, 1, 1)) for n in range(60))
OfferingItem.objects.bulk_create(OfferingItem(offering=offering, item=items[(3 * n + k) % 120],
    default_quantity=1) for n, offering in enumerate(offerings) for k in range(3))
Rate.objects.bulk_create(Rate(offering=offering, name='USD monthly', currency='USD',
    status='active' if n % 2 else 'draft') for n, offering in enumerate(offerings))
"
# Statistics, as a database in use has them (PostgreSQL's autovacuum would get there later).
$PY manage.py shell -v0 -c "from django.db import connection; connection.cursor().execute('ANALYZE')"
KEY=$($PY manage.py drf_create_token northwind | awk '{print $3}')

.venv/bin/gunicorn catalog_site.wsgi -w 2 -b "127.0.0.1:$PORT" --log-level warning &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/bench/tiny/" && break; sleep 0.2; done

RATES=$(mktemp)
run() {  # name url
    out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Token $KEY" "$2")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
    printf '%-48s %10s req/s  p50 %8s  p99 %8s  non-2xx %s\n' "$1" "$rps" "$p50" "$p99" "${non2xx:-0}"
    echo "$1 $rps" >>"$RATES"
}
echo "machine: $(nproc) cores, $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2}'); database: $DATABASE_URL; wrk -c$CONNECTIONS"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
BASE="http://127.0.0.1:$PORT"
run "baseline: bare Django view, tiny JSON" "$BASE/bench/tiny/"
# Each API page runs right after its baseline, ROUNDS times, so both see the same machine;
# the ratio of each pair is printed, then the median ratio over the rounds.
for round in $(seq 1 "${ROUNDS:-3}"); do
    echo "-- round $round"
    run "baseline: hand-written offerings page of 50" "$BASE/bench/offerings/?page_size=50"
    run "hand-written offerings through DRF" "$BASE/bench/offerings-drf/?page_size=50"
    run "API GET /api/v1/offerings/?page_size=50" "$BASE/api/v1/offerings/?page_size=50"
    run "hand-written offerings, orjson" "$BASE/bench/offerings-orjson/?page_size=50"
    run "baseline: hand-written items page of 100" "$BASE/bench/items/?page_size=100"
    run "hand-written items through DRF" "$BASE/bench/items-drf/?page_size=100"
    run "API GET /api/v1/items/?page_size=100" "$BASE/api/v1/items/?page_size=100"
    run "hand-written items, orjson" "$BASE/bench/items-orjson/?page_size=100"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk '
    /^baseline: hand-written offerings/ {bo = $NF}
    /^hand-written offerings through DRF/ {d[++nd] = $NF / bo}
    /^API GET \/api\/v1\/offerings/ {o[++no] = $NF / bo; ao = $NF}
    /^hand-written offerings, orjson/ {oj[++noj] = ao / $NF}
    /^baseline: hand-written items/ {bi = $NF}
    /^hand-written items through DRF/ {e[++ne] = $NF / bi}
    /^API GET \/api\/v1\/items/ {i[++ni] = $NF / bi; ai = $NF}
    /^hand-written items, orjson/ {ij[++nij] = ai / $NF}
    function median(a, n,   k, j, t) {
        for (k = 1; k <= n; k++) for (j = k + 1; j <= n; j++) if (a[j] < a[k]) {t = a[k]; a[k] = a[j]; a[j] = t}
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    END {
        printf "ratios API / hand-written, offerings:"; for (k = 1; k <= no; k++) printf " %.2f", o[k]
        printf "  median %.2f\n", median(o, no)
        printf "ratios API / hand-written, items:    "; for (k = 1; k <= ni; k++) printf " %.2f", i[k]
        printf "  median %.2f\n", median(i, ni)
        printf "ratios DRF envelope / hand-written, offerings:"; for (k = 1; k <= nd; k++) printf " %.2f", d[k]
        printf "  median %.2f\n", median(d, nd)
        printf "ratios DRF envelope / hand-written, items:    "; for (k = 1; k <= ne; k++) printf " %.2f", e[k]
        printf "  median %.2f\n", median(e, ne)
        printf "ratios API / hand-written with orjson, offerings:"; for (k = 1; k <= noj; k++) printf " %.2f", oj[k]
        printf "  median %.2f\n", median(oj, noj)
        printf "ratios API / hand-written with orjson, items:    "; for (k = 1; k <= nij; k++) printf " %.2f", ij[k]
        printf "  median %.2f\n", median(ij, nij)
    }' "$RATES"
