# Sourced by the image's entrypoint on first start, with a server on the local socket only.
psql -q -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v role="$ECOMLAB_SERVICE_ROLE" -v password="$ECOMLAB_SERVICE_PASSWORD" -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
ALTER DATABASE :"db" OWNER TO :"role";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
sed -i '/^host/d' "$PGDATA/pg_hba.conf"
echo "host $POSTGRES_DB $ECOMLAB_SERVICE_ROLE all scram-sha-256" >> "$PGDATA/pg_hba.conf"
