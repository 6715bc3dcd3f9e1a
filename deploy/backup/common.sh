# shellcheck shell=bash
# Helpers sourced by backup.sh and restore.sh.

log() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
die() { log "error: $*" >&2; exit 1; }

urldecode() {
    local s=${1//\\/\\\\}
    printf '%b' "${s//%/\\x}"
}

# Sets PG_CONNINFO (a libpq URI without the password) and exports PGPASSWORD from
# DATABASE_URL_OWNER or MIGRATION_DATABASE_URL. The owner role is needed: it can read
# every row (table owners are not subject to row-level security) and recreate the schema.
# The "+psycopg" driver suffix is dropped for libpq, and the password goes into the
# environment so that it does not show up in `ps`.
db_connect_from_env() {
    local url=${DATABASE_URL_OWNER:-${MIGRATION_DATABASE_URL:-}}
    [[ -n $url ]] || die "set DATABASE_URL_OWNER or MIGRATION_DATABASE_URL (the owner role's URL)"
    local re='^postgres(ql)?(\+[A-Za-z0-9_]+)?://(([^:@/]*)(:([^@/]*))?@)?(.*)$'
    [[ $url =~ $re ]] || die "not a PostgreSQL URL: ${url%%://*}://..."
    local user=${BASH_REMATCH[4]} password=${BASH_REMATCH[6]} rest=${BASH_REMATCH[7]}
    if [[ -n $password ]]; then
        PGPASSWORD=$(urldecode "$password")
        export PGPASSWORD
    fi
    # shellcheck disable=SC2034  # both are read by the scripts that source this file
    PG_CONNINFO="postgresql://${user:+$user@}$rest"
    # shellcheck disable=SC2034
    PG_DISPLAY="postgresql://${user:+$user@}${rest%%\?*}"
}
