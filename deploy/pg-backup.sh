#!/usr/bin/env bash
# Nightly PostgreSQL backup: one pg_dump (custom format, compressed) per run into BACKUP_DIR,
# checked readable (pg_restore --list), dumps older than BACKUP_KEEP_DAYS removed.
# partners-backup.timer runs it; copy BACKUP_DIR off the machine too (another host, object store).
#
#   DATABASE_URL=postgresql://partners@db/partners BACKUP_DIR=/var/backups/partners deploy/pg-backup.sh
set -euo pipefail

url=${1:-${DATABASE_URL:?give a DATABASE_URL (argument or environment)}}
url=${url/postgresql+psycopg:/postgresql:}
url=${url/#postgres:/postgresql:}
dir=${BACKUP_DIR:-/var/backups/partners}
keep=${BACKUP_KEEP_DAYS:-14}

mkdir -p "$dir"
umask 077  # a dump holds every client's record: readable by its owner only
target="$dir/partners-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --no-owner --no-privileges --file "$target.partial" "$url"
pg_restore --list "$target.partial" >/dev/null  # the file is a complete, readable archive
mv "$target.partial" "$target"
find "$dir" -maxdepth 1 -name 'partners-*.dump' -mtime "+$keep" -delete
echo "backup written: $target ($(stat -c %s "$target") bytes); kept: $(find "$dir" -maxdepth 1 -name 'partners-*.dump' | wc -l) dumps"
