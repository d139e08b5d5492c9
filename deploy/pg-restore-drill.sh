#!/usr/bin/env bash
# Restore drill for PostgreSQL: dump the database, restore the dump into a scratch database on the
# same server, compare every table's row count and the migration version, drop the scratch
# database. Exits 0 only when everything matches. Run it monthly, and after every upgrade.
#
#   deploy/pg-restore-drill.sh [DATABASE_URL]          (default: $DATABASE_URL)
#   DUMP=/var/backups/partners/partners-2026-01-01.dump deploy/pg-restore-drill.sh
#       drills an existing dump instead of making a new one (counts are then compared with the
#       live database, so rows written since the dump show as differences: expected).
#
# Needs pg_dump, pg_restore and psql of the server's major version, and a role that may CREATE
# DATABASE. Nothing is written to the live database.
set -euo pipefail

url=${1:-${DATABASE_URL:?give a DATABASE_URL (argument or environment)}}
url=${url/postgresql+psycopg:/postgresql:}
url=${url/#postgres:/postgresql:}
base=${url%%\?*}                # without ?options
query=${url#"$base"}            # ?options, or empty
server=${base%/*}               # postgresql://user@host:port
scratch="partners_restore_drill_$(date +%Y%m%d%H%M%S)"
scratch_url="$server/$scratch$query"
admin_url="$server/postgres$query"

workdir=$(mktemp -d)
cleanup() {
    psql -q "$admin_url" -c "DROP DATABASE IF EXISTS \"$scratch\"" >/dev/null 2>&1 || true
    rm -rf "$workdir"
}
trap cleanup EXIT

count_rows() {  # table<TAB>rows for every table, exact counts, sorted
    psql -X -At -F $'\t' "$1" <<'SQL'
SELECT table_schema || '.' || table_name,
       (xpath('/row/c/text()', query_to_xml(
           format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')
       ))[1]::text::bigint
FROM information_schema.tables
WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1;
SQL
}

seconds() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%6.2f", b - a }'; }

if [[ -z "${DUMP:-}" ]]; then
    dump="$workdir/partners.dump"
    start=$(seconds)
    pg_dump --format=custom --no-owner --no-privileges --file "$dump" "$url"
    echo "dump:     $(since "$start") s  $(stat -c %s "$dump") bytes"
else
    dump=$DUMP
    echo "dump:     existing file $dump ($(stat -c %s "$dump") bytes)"
fi
count_rows "$url" >"$workdir/live.tsv"

psql -q "$admin_url" -c "CREATE DATABASE \"$scratch\"" >/dev/null
start=$(seconds)
pg_restore --no-owner --no-privileges --exit-on-error --dbname "$scratch_url" "$dump"
echo "restore:  $(since "$start") s  into scratch database $scratch"
count_rows "$scratch_url" >"$workdir/restored.tsv"

tables=$(wc -l <"$workdir/live.tsv")
rows=$(awk -F '\t' '{s += $2} END {print s + 0}' "$workdir/live.tsv")
echo "tables:   $tables live, $(wc -l <"$workdir/restored.tsv") restored; $rows rows live"
status=0
if ! diff -u --label live --label restored "$workdir/live.tsv" "$workdir/restored.tsv"; then
    echo "MISMATCH: the restored row counts differ (above)"
    status=1
fi
live_version=$(psql -X -At "$url" -c 'SELECT version_num FROM alembic_version')
restored_version=$(psql -X -At "$scratch_url" -c 'SELECT version_num FROM alembic_version')
echo "migration: live $live_version, restored $restored_version"
[[ "$live_version" == "$restored_version" ]] || status=1
if [[ $status -eq 0 ]]; then
    echo "RESTORE DRILL OK: every table restored with the same row count"
fi
exit $status
