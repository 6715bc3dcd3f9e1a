#!/usr/bin/env bash
# Back up Razem: the database (pg_dump, custom format) and the files under STORAGE_ROOT,
# into $BACKUP_DIR/razem-<UTC timestamp>/, then delete backups older than BACKUP_KEEP_DAYS.
#
#   set -a; . /etc/razem/razem.env; set +a
#   deploy/backup/backup.sh
#
# Environment:
#   DATABASE_URL_OWNER or MIGRATION_DATABASE_URL   the owner role (see common.sh)
#   STORAGE_ROOT                                   attachments and job results
#   BACKUP_DIR        where backups go (default /var/backups/razem)
#   BACKUP_KEEP_DAYS  retention in days (default 14)
#
# pg_dump must be at least as new as the server. The dump is consistent on its own; the
# files are copied while the app runs, so a file uploaded during the backup may be missing.
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$here/common.sh"

backup_dir=${BACKUP_DIR:-/var/backups/razem}
keep_days=${BACKUP_KEEP_DAYS:-14}
storage_root=${STORAGE_ROOT:-}

[[ $keep_days =~ ^[0-9]+$ ]] || die "BACKUP_KEEP_DAYS must be a whole number of days, not '$keep_days'"
[[ -n $storage_root ]] || die "set STORAGE_ROOT"
[[ -d $storage_root ]] || die "STORAGE_ROOT $storage_root is not a folder"
command -v pg_dump >/dev/null || die "pg_dump not found (install the PostgreSQL client)"
db_connect_from_env

stamp=$(date -u +%Y%m%dT%H%M%SZ)
dest=$backup_dir/razem-$stamp
work=$dest.partial

# Backups hold every tenant's data and password hashes: readable by their owner only.
umask 077
mkdir -p -- "$work"
trap 'rm -rf -- "$work"' EXIT

log "dumping $PG_DISPLAY to $work/razem.dump"
pg_dump --dbname="$PG_CONNINFO" --format=custom --file="$work/razem.dump"
# Reading the table of contents back proves the archive is complete and readable.
pg_restore --list "$work/razem.dump" >/dev/null

log "archiving $storage_root to $work/storage.tar.gz"
tar -C "$storage_root" -czf "$work/storage.tar.gz" .

(cd -- "$work" && sha256sum razem.dump storage.tar.gz >SHA256SUMS)
mv -- "$work" "$dest"
trap - EXIT
log "backup done: $dest ($(du -sh -- "$dest" | cut -f1))"

# Retention by the timestamp in the folder name, not by mtime, which copying can change.
cutoff=$(date -u -d "$keep_days days ago" +%Y%m%dT%H%M%SZ)
removed=0
for old in "$backup_dir"/razem-*; do
    [[ -d $old && $old != "$dest" ]] || continue
    name=${old##*/razem-}
    name=${name%.partial}
    if [[ $name < $cutoff ]]; then
        rm -rf -- "$old"
        log "removed old backup $old"
        removed=$((removed + 1))
    fi
done
log "retention: kept backups newer than $keep_days days, removed $removed"
