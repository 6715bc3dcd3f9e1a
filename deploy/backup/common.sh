# shellcheck shell=bash
# Helpers sourced by backup.sh and restore.sh.

log() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
die() { log "error: $*" >&2; exit 1; }

urldecode() {
    local s=${1//\\/\\\\}
    printf '%b' "${s//%/\\x}"
}

# Splits a SQLAlchemy or libpq URL into URL_USER, URL_PASSWORD (decoded), URL_HOST
# (host:port), URL_DATABASE and URL_QUERY ("?..." or empty). The "+psycopg" driver suffix
# is dropped.
split_url() {
    local re='^postgres(ql)?(\+[A-Za-z0-9_]+)?://(([^:@/]*)(:([^@/]*))?@)?([^/?]*)(/([^?]*))?(\?.*)?$'
    [[ $1 =~ $re ]] || die "not a PostgreSQL URL: ${1%%://*}://..."
    URL_USER=${BASH_REMATCH[4]}
    URL_PASSWORD=$(urldecode "${BASH_REMATCH[6]}")
    URL_HOST=${BASH_REMATCH[7]}
    URL_DATABASE=${BASH_REMATCH[9]}
    URL_QUERY=${BASH_REMATCH[10]}
}

# A libpq URI, without the password, from the parts split_url set.
conninfo() {
    printf 'postgresql://%s%s/%s%s' "${URL_USER:+$URL_USER@}" "$URL_HOST" "$1" "$URL_QUERY"
}

# Sets PG_CONNINFO (a libpq URI without the password) and exports PGPASSWORD from
# DATABASE_URL_OWNER or MIGRATION_DATABASE_URL. The owner role is needed: it can read
# every row (table owners are not subject to row-level security) and recreate the schema.
# The password goes into the environment so that it does not show up in `ps`.
db_connect_from_env() {
    local url=${DATABASE_URL_OWNER:-${MIGRATION_DATABASE_URL:-}}
    [[ -n $url ]] || die "set DATABASE_URL_OWNER or MIGRATION_DATABASE_URL (the owner role's URL)"
    split_url "$url"
    if [[ -n $URL_PASSWORD ]]; then
        PGPASSWORD=$URL_PASSWORD
        export PGPASSWORD
    fi
    # shellcheck disable=SC2034  # these are read by the scripts that source this file
    OWNER_USER=$URL_USER OWNER_PASSWORD=$URL_PASSWORD PG_DATABASE=$URL_DATABASE
    # shellcheck disable=SC2034
    PG_CONNINFO=$(conninfo "$URL_DATABASE")
    # shellcheck disable=SC2034
    PG_DISPLAY=${PG_CONNINFO%%\?*}
}
