#!/bin/sh
# Container entry: userlist from the environment into tmpfs, then PgBouncer in the foreground.
set -eu
mkdir -p /run/pgbouncer
/usr/local/bin/write-userlist.sh /run/pgbouncer/userlist.txt
exec pgbouncer /etc/pgbouncer/pgbouncer.ini
