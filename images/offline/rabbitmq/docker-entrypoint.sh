#!/bin/sh
# Writes the default account into rabbitmq.conf, adds the files of /etc/rabbitmq/conf.d as
# the official image reads them, and runs the server itself (not Debian's wrapper script,
# which forks and logs to a file) as the rabbitmq account.
set -eu
{
    echo "loopback_users = none"
    echo "listeners.tcp.default = 5672"
    echo "management.tcp.port = 15672"
    echo "default_user = ${RABBITMQ_DEFAULT_USER:-guest}"
    echo "default_pass = ${RABBITMQ_DEFAULT_PASS:-guest}"
    for extra in /etc/rabbitmq/conf.d/*.conf; do
        if [ -f "$extra" ]; then cat "$extra"; fi
    done
} > /etc/rabbitmq/rabbitmq.conf
if [ "$(id -u)" = 0 ]; then
    chown -R rabbitmq:rabbitmq /var/lib/rabbitmq
fi
if [ "$1" = rabbitmq-server ]; then
    shift
    exec setpriv --reuid rabbitmq --regid rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
fi
exec "$@"
