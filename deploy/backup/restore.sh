#!/usr/bin/env bash
# Restore a Razem backup made by backup.sh: the database and the files under STORAGE_ROOT.
#
#   systemctl stop razem-web 'razem-worker@*'
#   set -a; . /etc/razem/razem.env; set +a
#   deploy/backup/restore.sh [--yes] [--create] /var/backups/razem/razem-20250101T020000Z
#   systemctl restart razem-migrate && systemctl start razem-web 'razem-worker@*'
#
# Stop the web and worker processes first. The database objects in the backup are dropped
# and recreated (pg_restore --clean, in one transaction, as the owner role). The current
# files are moved aside to <STORAGE_ROOT>.pre-restore-<timestamp>, not deleted.
#
# --create prepares an empty PostgreSQL server first, as a superuser: the database of the
# owner's URL if it is missing, then deploy/postgres/init.sql in it (the roles, with the
# passwords of the owner's and the app's URLs; safe on a server that has them already).
# Without it, the database and the roles must exist.
#
# Environment: DATABASE_URL_OWNER or MIGRATION_DATABASE_URL, STORAGE_ROOT; with --create
# also DATABASE_URL (the app role's URL) and POSTGRES_SUPERUSER_URL (e.g.
# postgresql://postgres:PASSWORD@localhost:5432/postgres).
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
. "$here/common.sh"

usage() { echo "usage: ${0##*/} [--yes] [--create] BACKUP_FOLDER" >&2; exit 2; }

assume_yes=false
create=false
while [[ ${1:-} == --* ]]; do
    case $1 in
        --yes) assume_yes=true ;;
        --create) create=true ;;
        *) usage ;;
    esac
    shift
done
[[ $# -eq 1 ]] || usage
src=${1%/}

storage_root=${STORAGE_ROOT:-}
[[ -n $storage_root ]] || die "set STORAGE_ROOT"
[[ -f $src/razem.dump && -f $src/storage.tar.gz ]] || die "$src is not a Razem backup folder"
command -v pg_restore >/dev/null || die "pg_restore not found (install the PostgreSQL client)"
db_connect_from_env
if $create; then
    [[ -n ${POSTGRES_SUPERUSER_URL:-} ]] || die "--create: set POSTGRES_SUPERUSER_URL (a superuser's URL)"
    [[ -n ${DATABASE_URL:-} ]] || die "--create: set DATABASE_URL (the app role's URL)"
    [[ $OWNER_USER == razem_owner ]] || die "--create: init.sql makes razem_owner, not '$OWNER_USER'"
    split_url "$DATABASE_URL"
    [[ $URL_USER == razem_app ]] || die "--create: init.sql makes razem_app, not '$URL_USER'"
    app_password=$URL_PASSWORD
fi

log "checking checksums in $src"
(cd -- "$src" && sha256sum --check --quiet SHA256SUMS)

if ! $assume_yes; then
    [[ -t 0 ]] || die "not a terminal: pass --yes to restore without asking"
    read -r -p "Replace the data in $PG_DISPLAY and $storage_root with $src? [y/N] " answer
    [[ $answer == [yY]* ]] || die "cancelled"
fi

# The database of the owner's URL and init.sql's roles, as a superuser. init.sql sets the
# passwords again, so they match the URLs the processes use.
create_database_and_roles() {
    local init_sql=$here/../postgres/init.sql
    [[ -f $init_sql ]] || die "$init_sql not found: run restore.sh from the code's deploy/backup"
    split_url "$POSTGRES_SUPERUSER_URL"
    log "creating database $PG_DATABASE and the roles of init.sql if missing"
    PGPASSWORD=$URL_PASSWORD psql --no-psqlrc --quiet -v ON_ERROR_STOP=1 \
        --dbname="$(conninfo "$URL_DATABASE")" -v name="$PG_DATABASE" <<'SQL'
SELECT format('CREATE DATABASE %I', :'name')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name') \gexec
SQL
    PGPASSWORD=$URL_PASSWORD RAZEM_OWNER_PASSWORD=$OWNER_PASSWORD \
        RAZEM_APP_PASSWORD=$app_password psql --no-psqlrc --quiet -v ON_ERROR_STOP=1 \
        --dbname="$(conninfo "$PG_DATABASE")" --file="$init_sql"
}

if $create; then
    command -v psql >/dev/null || die "psql not found (install the PostgreSQL client)"
    create_database_and_roles
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
