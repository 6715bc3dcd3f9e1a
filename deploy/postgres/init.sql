-- Roles for Razem, run once by a superuser while connected to the Razem database.
-- docker compose runs it from /docker-entrypoint-initdb.d on the first start of an empty
-- volume; elsewhere:
--
--   RAZEM_OWNER_PASSWORD=... RAZEM_APP_PASSWORD=... \
--     psql -U postgres -d razem -v ON_ERROR_STOP=1 -f init.sql
--
-- The passwords are read from the environment (psql >= 15, \getenv). Safe to run again:
-- it updates the passwords and attributes.

\set ON_ERROR_STOP on
\getenv owner_password RAZEM_OWNER_PASSWORD
\getenv app_password RAZEM_APP_PASSWORD
\if :{?owner_password}
\else
DO $$ BEGIN RAISE EXCEPTION 'RAZEM_OWNER_PASSWORD is not set'; END $$;
\endif
\if :{?app_password}
\else
DO $$ BEGIN RAISE EXCEPTION 'RAZEM_APP_PASSWORD is not set'; END $$;
\endif

-- razem_owner owns the database and every table; migrations and backups connect as it.
-- BYPASSRLS because the tenant tables FORCE row-level security, and pg_dump refuses to
-- dump a table whose policies would filter its rows. It gives the owner nothing it could
-- not take anyway (it may ALTER TABLE ... NO FORCE ROW LEVEL SECURITY); the wall is for
-- razem_app. The few reads made before a person or a city is known (a token by its hash,
-- a job by its id: app/tenancy/before_scope.py) are SECURITY DEFINER functions owned by
-- razem_owner, so they need it too; migration 0029 refuses to run without it.
SELECT 'CREATE ROLE razem_owner'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'razem_owner') \gexec
ALTER ROLE razem_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS
    PASSWORD :'owner_password';

-- razem_app is what the web and worker processes use. Not an owner and without BYPASSRLS,
-- so row-level security policies apply to every query it makes.
SELECT 'CREATE ROLE razem_app'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'razem_app') \gexec
ALTER ROLE razem_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS
    PASSWORD :'app_password';

SELECT format('ALTER DATABASE %I OWNER TO razem_owner', current_database()) \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()) \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO razem_app', current_database()) \gexec

-- Only the owner creates objects. Table privileges for razem_app are granted by the
-- migrations (APP_DB_ROLE), table by table, so there are deliberately no default
-- privileges here: they would hand UPDATE/DELETE on the append-only audit tables back.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO razem_owner;
GRANT USAGE ON SCHEMA public TO razem_app;

-- razem_regional_reader is what a regional coordinator's read runs as (SET LOCAL ROLE, see
-- app/tenancy/rls.py): the migrations grant it SELECT on the few columns the regional
-- pages read and nothing else, so notes and contacts stay with each city.
SELECT 'CREATE ROLE razem_regional_reader'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'razem_regional_reader') \gexec
ALTER ROLE razem_regional_reader WITH NOLOGIN NOSUPERUSER NOBYPASSRLS;
GRANT razem_regional_reader TO razem_app;
