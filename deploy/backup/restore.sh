#!/usr/bin/env bash
# Restore a Razem backup made by backup.sh: the database and the files under STORAGE_ROOT.
#
#   systemctl stop razem-web 'razem-worker@*'
#   set -a; . /etc/razem/razem.env; set +a
#   deploy/backup/restore.sh [--yes] /var/backups/razem/razem-20250101T020000Z
#   systemctl restart razem-migrate && systemctl start razem-web 'razem-worker@*'
#
# Stop the web and worker processes first. The database objects in the backup are dropped
# and recreated (pg_restore --clean, in one transaction, as the owner role; the app role
# must already exist, see deploy/postgres/init.sql). The current files are moved aside to
# <STORAGE_ROOT>.pre-restore-<timestamp>, not deleted.
#
# Environment: DATABASE_URL_OWNER or MIGRATION_DATABASE_URL, STORAGE_ROOT.
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$here/common.sh"

usage() { echo "usage: ${0##*/} [--yes] BACKUP_FOLDER" >&2; exit 2; }

assume_yes=false
if [[ ${1:-} == --yes ]]; then
    assume_yes=true
    shift
fi
[[ $# -eq 1 ]] || usage
src=${1%/}

storage_root=${STORAGE_ROOT:-}
[[ -n $storage_root ]] || die "set STORAGE_ROOT"
[[ -f $src/razem.dump && -f $src/storage.tar.gz ]] || die "$src is not a Razem backup folder"
command -v pg_restore >/dev/null || die "pg_restore not found (install the PostgreSQL client)"
db_connect_from_env

log "checking checksums in $src"
(cd -- "$src" && sha256sum --check --quiet SHA256SUMS)

if ! $assume_yes; then
    [[ -t 0 ]] || die "not a terminal: pass --yes to restore without asking"
    read -r -p "Replace the data in $PG_DISPLAY and $storage_root with $src? [y/N] " answer
    [[ $answer == [yY]* ]] || die "cancelled"
fi

log "restoring database $PG_DISPLAY from $src/razem.dump"
pg_restore --dbname="$PG_CONNINFO" --clean --if-exists --no-owner \
    --single-transaction --exit-on-error "$src/razem.dump"

aside=${storage_root%/}.pre-restore-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p -- "$storage_root" "$aside"
# Move the contents, not the folder itself: STORAGE_ROOT may be a mount point.
find "$storage_root" -mindepth 1 -maxdepth 1 -exec mv -t "$aside" -- {} +
log "moved the current files aside to $aside"

log "extracting $src/storage.tar.gz into $storage_root"
tar -C "$storage_root" -xzf "$src/storage.tar.gz"

log "restore done from $src; delete $aside once the restored site looks right"
