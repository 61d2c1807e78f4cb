#!/bin/sh
# Writes PgBouncer's auth_file from the environment, so no password is baked into an image or committed:
#   PGBOUNCER_USERS="stellar_lake_api other_user"   the users allowed through PgBouncer
#   PGBOUNCER_PASSWORD_<user>=...                     each one's password (plaintext or a SCRAM-SHA-256 secret
#                                                     copied from pg_authid.rolpassword)
# usage: write-userlist.sh OUTFILE
set -eu
out="${1:?usage: write-userlist.sh OUTFILE}"
: "${PGBOUNCER_USERS:?PGBOUNCER_USERS is not set}"
umask 077
tmp="$out.tmp.$$"
: >"$tmp"
for user in $PGBOUNCER_USERS; do
  case "$user" in
    *[!a-z0-9_]* | "") echo "write-userlist: user name '$user' must match [a-z0-9_]+" >&2; rm -f "$tmp"; exit 2 ;;
  esac
  eval "password=\${PGBOUNCER_PASSWORD_$user:-}"
  if [ -z "$password" ]; then
    echo "write-userlist: PGBOUNCER_PASSWORD_$user is not set" >&2
    rm -f "$tmp"
    exit 2
  fi
  # auth_file syntax: "user" "password", a double quote inside doubled.
  escaped=$(printf '%s' "$password" | sed 's/"/""/g')
  printf '"%s" "%s"\n' "$user" "$escaped" >>"$tmp"
done
mv "$tmp" "$out"
