import QueueDeckJournal

/// The journal's tables, functions and grants in PostgreSQL, by schema version (docs/POSTGRES.md).
/// Nobody writes a table directly: every write goes through a `SECURITY DEFINER` function that
/// knows the caller from `session_user`, so identity and what a role may never do are the
/// database's to enforce, whatever the client sends.
enum Schema {
    /// The version this build writes and reads.
    static let version = 3

    /// The highest event type code this build writes (EventCodec.knownTypes); a database refuses
    /// others from anyone but an administrator (a copy from a newer desk).
    static var knownTypes: Int { Int(EventCodec.knownTypes.upperBound) }

    /// A notification on this channel says "appended up to N"; only a wake-up (docs/POSTGRES.md).
    static let channel = "qdeck_events"

    /// Advisory lock keys (two-integer form; the first is qdeck's, the second the purpose).
    static let lockClass: Int32 = 0x71_646b
    static let intakeLock: Int32 = 1
    static let outboxLock: Int32 = 2
    static let automationLock: Int32 = 3

    /// Event type codes a role in `qdeck_intake` may write: what mail, call, chat and self-service
    /// intake produce (EventCodec's codes). Notes, postponing, priorities, claims, contact edits and
    /// the reply hand-over (deliveries) are agents' work; an agent's words (agent replies, taking a
    /// conversation) come through intake only on call and chat tickets, where the phone or chat
    /// system is the witness.
    static let intakeTypes: [Int] = [1, 2, 3, 5, 7, 10, 12, 13, 14, 16, 17, 18]

    /// Event type codes a rule's effects may have (`rules (name)` actors, README: Automation):
    /// replies and their hand-over, notes, routing, postponing, resolving, priorities, tags, marks.
    static let ruleTypes: [Int] = [3, 4, 5, 6, 7, 9, 10, 15, 21]

    /// Each version's statements, run in one transaction with the version's record.
    static let migrations: [[String]] = [
        // Version 1: the tables.
        [
            "INSERT INTO qdeck_meta (key, value) VALUES ('uuid', gen_random_uuid()::text) ON CONFLICT DO NOTHING",
            "INSERT INTO qdeck_meta (key, value) VALUES ('created', (extract(epoch FROM clock_timestamp()) * 1000)::bigint::text) ON CONFLICT DO NOTHING",
            // The one counter every append takes, held to commit: commit order is sequence order.
            "CREATE TABLE qdeck_head (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), last bigint NOT NULL)",
            "INSERT INTO qdeck_head (last) VALUES (0)",
            """
            CREATE TABLE qdeck_events (
                seq bigint PRIMARY KEY,
                ticket text NOT NULL CHECK (ticket ~ '^[0-9A-Z]{11}$'),
                version integer NOT NULL CHECK (version > 0),
                at bigint NOT NULL,
                actor text NOT NULL,
                type smallint NOT NULL,
                payload bytea NOT NULL,
                UNIQUE (ticket, version))
            """,
            // Who a login role is at the desk, kept by `qdeck db sync-roster`.
            "CREATE TABLE qdeck_roster (role_name text PRIMARY KEY, agent text NOT NULL, desk_role text NOT NULL)",
            "CREATE TABLE qdeck_blobs (digest text PRIMARY KEY CHECK (digest ~ '^[0-9a-f]{64}$'), bytes bytea NOT NULL)",
        ],
        // Version 2: writing through functions that know the caller.
        [
            // The journal's identity is made by its first `open(create:)` (or adopted by `log copy`),
            // not by `db init`: a database with the schema but no journal yet is a journal to create.
            "DELETE FROM qdeck_meta WHERE key IN ('uuid', 'created') AND NOT EXISTS (SELECT 1 FROM qdeck_events)",
            // Which login appended each event, whatever actor it names (a customer, the system).
            "ALTER TABLE qdeck_events ADD COLUMN appended_by text NOT NULL DEFAULT session_user",
            // A login's group and permissions on this desk, as the administrator's team file gave
            // them at sync-roster: the server's group roles are shared by every desk on it, so
            // they only open the doors; what a login may do here is its row here.
            "ALTER TABLE qdeck_roster ADD COLUMN grp text NOT NULL DEFAULT 'viewer' CHECK (grp IN ('viewer', 'agent', 'supervisor', 'admin', 'intake'))",
            "ALTER TABLE qdeck_roster ADD COLUMN permissions text[] NOT NULL DEFAULT '{}'",
            callerFunction, requireAdminFunction, leadingStringFunction, createFunction, appendFunction, importFunction,
            adoptFunction, repairFunction, putBlobFunction, onRosterFunction,
            // Reading, too, is this desk's roster's: CONNECT granted by hand, or a group role
            // another desk gave, reads nothing here. The functions run as their owner, who is
            // not held to these policies; the check runs once a query (a sub-select), not a row.
            "ALTER TABLE qdeck_events ENABLE ROW LEVEL SECURITY",
            "CREATE POLICY qdeck_roster_reads ON qdeck_events FOR SELECT USING ((SELECT qdeck_on_roster()))",
            "ALTER TABLE qdeck_blobs ENABLE ROW LEVEL SECURITY",
            "CREATE POLICY qdeck_roster_reads ON qdeck_blobs FOR SELECT USING ((SELECT qdeck_on_roster()))",
        ],
        // Version 3: rules (README: Automation) write in the batch of whoever triggers them, as
        // `rules (name)`; the event type 21 (a rule's mark).
        [appendFunction],
    ]

    /// The caller's login and its group on this desk (the roster's; a superuser is admin).
    static let callerFunction = """
        CREATE FUNCTION qdeck_caller(OUT login text, OUT in_roster boolean, OUT grp text)
        LANGUAGE plpgsql STABLE SECURITY DEFINER AS $$
        BEGIN
            login := session_user;
            SELECT r.grp INTO grp FROM qdeck_roster r WHERE r.role_name = session_user;
            in_roster := grp IS NOT NULL;
            -- The server's own superusers administer every desk; anyone else is what this desk's
            -- roster says, whatever groups other desks on the server gave the same login.
            IF (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN grp := 'admin'; END IF;
            grp := coalesce(grp, 'none');
        END $$
        """

    /// Refuses anyone but a qdeck_admin login, naming what they may not do.
    static let requireAdminFunction = """
        CREATE FUNCTION qdeck_require_admin(action text) RETURNS text
        LANGUAGE plpgsql STABLE SECURITY DEFINER AS $$
        DECLARE who record;
        BEGIN
            SELECT * INTO who FROM qdeck_caller();
            IF who.grp <> 'admin' THEN
                RAISE EXCEPTION 'role % may not % (administrators only)', who.login, action USING ERRCODE = '42501';
            END IF;
            RETURN who.login;
        END $$
        """

    /// Whether the login is on this desk's roster (or the server's superuser): who may read it.
    static let onRosterFunction = """
        CREATE FUNCTION qdeck_on_roster() RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER AS $$
            SELECT EXISTS (SELECT 1 FROM qdeck_roster r WHERE r.role_name = session_user)
                OR coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
        $$
        """

    /// The string a payload starts with (a varint length, then UTF-8): the agent a presence
    /// event is about. Null when it does not decode.
    static let leadingStringFunction = """
        CREATE FUNCTION qdeck_leading_string(b bytea) RETURNS text
        LANGUAGE plpgsql IMMUTABLE AS $$
        DECLARE n bigint := 0; shift integer := 0; i integer := 0; byte integer;
        BEGIN
            LOOP
                IF i >= length(b) OR shift > 28 THEN RETURN NULL; END IF;
                byte := get_byte(b, i);
                i := i + 1;
                n := n | ((byte & 127)::bigint << shift);
                EXIT WHEN byte < 128;
                shift := shift + 7;
            END LOOP;
            IF i + n > length(b) THEN RETURN NULL; END IF;
            RETURN convert_from(substring(b FROM i + 1 FOR n::integer), 'UTF8');
        END $$
        """

    /// Makes the journal's identity if it has none (its first `open(create:)`); idempotent.
    static let createFunction = """
        CREATE FUNCTION qdeck_create_journal(demo boolean) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER AS $$
        DECLARE who record;
        BEGIN
            SELECT * INTO who FROM qdeck_caller();
            IF who.grp IN ('viewer', 'none') THEN
                RAISE EXCEPTION 'role % may not create this desk''s journal', who.login USING ERRCODE = '42501';
            END IF;
            LOCK TABLE qdeck_meta IN EXCLUSIVE MODE;
            IF EXISTS (SELECT 1 FROM qdeck_meta WHERE key = 'uuid') THEN RETURN; END IF;
            INSERT INTO qdeck_meta (key, value) VALUES ('uuid', gen_random_uuid()::text),
                ('created', (extract(epoch FROM clock_timestamp()) * 1000)::bigint::text),
                ('demo', CASE WHEN demo THEN 'true' ELSE 'false' END);
        END $$
        """

    /// The one way events are written. Holding the counter row from the version check to the
    /// commit makes the sequence gapless and commit order sequence order; the version check comes
    /// before any position is taken. Actors: a member of qdeck_intake reports what the phone or
    /// mail system says (who answered a call); anyone else is stored as their login, except events
    /// the domain gives to `customer` (an inbound message an agent records), which keep that name
    /// and still record the login in `appended_by`; `system` is kept for administrators only (a
    /// mail imported by hand), and intake records are intake's and administrators'.
    static let appendFunction = """
        CREATE OR REPLACE FUNCTION qdeck_append(expect_tickets text[], expect_versions integer[], tickets text[], ats bigint[],
                                     actors text[], types smallint[], payloads bytea[])
        RETURNS TABLE (stored_seq bigint, stored_version integer, stored_actor text)
        LANGUAGE plpgsql SECURITY DEFINER AS $$
        DECLARE
            who record;
            cur record;
            last_seq bigint;
            n integer := coalesce(array_length(tickets, 1), 0);
            v integer;
            a text;
        BEGIN
            SELECT * INTO who FROM qdeck_caller();
            IF who.grp IN ('viewer', 'none') THEN
                RAISE EXCEPTION 'role % may not write to this desk''s journal (it reads only)', who.login USING ERRCODE = '42501';
            END IF;
            IF who.grp IN ('agent', 'supervisor') AND NOT who.in_roster THEN
                RAISE EXCEPTION 'role % is not on the desk''s roster (qdeck db sync-roster)', who.login USING ERRCODE = '42501';
            END IF;
            IF coalesce(array_length(ats, 1), 0) <> n OR coalesce(array_length(actors, 1), 0) <> n
               OR coalesce(array_length(types, 1), 0) <> n OR coalesce(array_length(payloads, 1), 0) <> n
               OR coalesce(array_length(expect_tickets, 1), 0) <> coalesce(array_length(expect_versions, 1), 0) THEN
                RAISE EXCEPTION 'qdeck_append: the arrays differ in length' USING ERRCODE = '22023';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM qdeck_meta WHERE key = 'uuid') THEN
                RAISE EXCEPTION 'no journal in this database yet' USING ERRCODE = 'QD002';
            END IF;
            IF n = 0 THEN RETURN; END IF;
            -- From here to COMMIT this transaction holds the counter row.
            SELECT h.last INTO last_seq FROM qdeck_head h FOR UPDATE;
            FOR i IN 1 .. coalesce(array_length(expect_tickets, 1), 0) LOOP
                SELECT e.version, e.actor, e.at INTO cur FROM qdeck_events e
                    WHERE e.ticket = expect_tickets[i] ORDER BY e.version DESC LIMIT 1;
                IF coalesce(cur.version, 0) <> expect_versions[i] THEN
                    RAISE EXCEPTION 'ticket % changed meanwhile', expect_tickets[i] USING ERRCODE = 'QD001',
                        DETAIL = format('%s %s %s %s', expect_tickets[i], coalesce(cur.version, 0), coalesce(cur.at, 0), coalesce(cur.actor, 'nobody'));
                END IF;
            END LOOP;
            FOR i IN 1 .. n LOOP
                a := actors[i];
                IF NOT (types[i] BETWEEN 1 AND \(knownTypes)) AND who.grp <> 'admin' THEN
                    RAISE EXCEPTION 'event type % is not one this desk knows', types[i] USING ERRCODE = '22023';
                END IF;
                IF a LIKE 'rules (%' AND who.grp <> 'viewer' THEN
                    -- A rule's effects, in the batch of the event that triggered it: what a rule
                    -- may do (replies, routing, marks), on any ticket, kept as the rule's; the
                    -- login that triggered it is in appended_by.
                    IF NOT (types[i] = ANY (ARRAY[\(ruleTypes.map(String.init).joined(separator: ", "))]::smallint[])) THEN
                        RAISE EXCEPTION 'a rule does not write event type %', types[i] USING ERRCODE = '42501';
                    END IF;
                ELSIF who.grp = 'intake' THEN
                    IF NOT (types[i] = ANY (ARRAY[\(intakeTypes.map(String.init).joined(separator: ", "))]::smallint[])) THEN
                        RAISE EXCEPTION 'role % is intake: it writes what customers and the phone system bring, not event type %', who.login, types[i]
                            USING ERRCODE = '42501';
                    END IF;
                    -- An agent's words and taking a conversation: only where a phone or chat system
                    -- saw them (a call or chat ticket; its opening event's first byte is the channel).
                    IF types[i] IN (3, 5) AND coalesce((SELECT get_byte(e.payload, 0) FROM qdeck_events e
                                                         WHERE e.ticket = tickets[i] AND e.type = 1 LIMIT 1), 0) NOT IN (2, 3) THEN
                        RAISE EXCEPTION 'role % is intake: an agent''s reply or assignment comes through intake only on call and chat tickets', who.login
                            USING ERRCODE = '42501';
                    END IF;
                ELSE
                    -- Arrivals are intake's to record: an agent stores a customer's words only as
                    -- the domain's inbound message, never as an intake record or self-service.
                    IF types[i] IN (14, 16) AND who.grp <> 'admin' THEN
                        RAISE EXCEPTION 'role % may not store arrivals (intake records are qdeck_intake''s)', who.login USING ERRCODE = '42501';
                    END IF;
                    IF a IS DISTINCT FROM 'customer' AND NOT (a = 'system' AND who.grp = 'admin') THEN a := who.login; END IF;
                    -- Another agent's presence: administrators, and logins whose desk role the
                    -- roster records with presence.others (a supervisor's; not every custom role
                    -- that lands in the supervisors' group).
                    IF types[i] = 13 AND who.grp <> 'admin'
                       AND qdeck_leading_string(payloads[i]) IS DISTINCT FROM who.login
                       AND NOT EXISTS (SELECT 1 FROM qdeck_roster r WHERE r.role_name = who.login AND 'presence.others' = ANY (r.permissions)) THEN
                        RAISE EXCEPTION 'role % may set only its own presence', who.login USING ERRCODE = '42501';
                    END IF;
                END IF;
                SELECT coalesce(max(e.version), 0) + 1 INTO v FROM qdeck_events e WHERE e.ticket = tickets[i];
                INSERT INTO qdeck_events (seq, ticket, version, at, actor, type, payload, appended_by)
                    VALUES (last_seq + i, tickets[i], v, ats[i], a, types[i], payloads[i], who.login);
                stored_seq := last_seq + i;
                stored_version := v;
                stored_actor := a;
                RETURN NEXT;
            END LOOP;
            UPDATE qdeck_head SET last = last_seq + n;
            PERFORM pg_notify('\(channel)', (last_seq + n)::text);
        END $$
        """

    /// History as it was (`log copy`): sequence numbers, versions and actors kept. Administrators
    /// only; each row must continue the journal exactly.
    static let importFunction = """
        CREATE FUNCTION qdeck_import(seqs bigint[], tickets text[], versions integer[], ats bigint[],
                                     actors text[], types smallint[], payloads bytea[]) RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER AS $$
        DECLARE
            login text := qdeck_require_admin('import history');
            last_seq bigint;
            v integer;
            n integer := coalesce(array_length(seqs, 1), 0);
        BEGIN
            SELECT h.last INTO last_seq FROM qdeck_head h FOR UPDATE;
            FOR i IN 1 .. n LOOP
                IF seqs[i] <> last_seq + i THEN
                    RAISE EXCEPTION 'imported event % would not follow sequence %', seqs[i], last_seq + i - 1 USING ERRCODE = '22023';
                END IF;
                SELECT coalesce(max(e.version), 0) + 1 INTO v FROM qdeck_events e WHERE e.ticket = tickets[i];
                IF versions[i] <> v THEN
                    RAISE EXCEPTION 'imported event % has version % of ticket %, which is at %', seqs[i], versions[i], tickets[i], v - 1
                        USING ERRCODE = '22023';
                END IF;
                INSERT INTO qdeck_events (seq, ticket, version, at, actor, type, payload, appended_by)
                    VALUES (seqs[i], tickets[i], versions[i], ats[i], actors[i], types[i], payloads[i], login);
            END LOOP;
            UPDATE qdeck_head SET last = last_seq + n;
            IF n > 0 THEN PERFORM pg_notify('\(channel)', (last_seq + n)::text); END IF;
            RETURN last_seq + n;
        END $$
        """

    /// A copied desk keeps its identity: an empty journal takes the source's UUID, birth and demo mark.
    static let adoptFunction = """
        CREATE FUNCTION qdeck_adopt_identity(journal_uuid text, created_ms bigint, demo boolean) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER AS $$
        BEGIN
            PERFORM qdeck_require_admin('import history');
            LOCK TABLE qdeck_meta IN EXCLUSIVE MODE;
            PERFORM 1 FROM qdeck_head FOR UPDATE;
            IF EXISTS (SELECT 1 FROM qdeck_events) THEN
                RAISE EXCEPTION 'the journal already holds events; a copy goes into an empty one' USING ERRCODE = 'QD003';
            END IF;
            INSERT INTO qdeck_meta (key, value) VALUES ('uuid', journal_uuid::uuid::text), ('created', created_ms::text),
                ('demo', CASE WHEN demo THEN 'true' ELSE 'false' END)
                ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
        END $$
        """

    /// The database keeps each row whole (WAL and page checksums); what can drift is the counter
    /// against the rows (a hand edit). Administrators only; returns what it fixed.
    static let repairFunction = """
        CREATE FUNCTION qdeck_repair() RETURNS SETOF text
        LANGUAGE plpgsql SECURITY DEFINER AS $$
        DECLARE last_seq bigint; top bigint; rows bigint;
        BEGIN
            PERFORM qdeck_require_admin('repair the journal');
            SELECT h.last INTO last_seq FROM qdeck_head h FOR UPDATE;
            SELECT coalesce(max(seq), 0), count(*) INTO top, rows FROM qdeck_events;
            IF top <> rows THEN
                RETURN NEXT format('sequence numbers have gaps: %s events up to %s (restore from a backup)', rows, top);
            END IF;
            IF last_seq <> top THEN
                UPDATE qdeck_head SET last = top;
                RETURN NEXT format('the counter said %s, the last event is %s: counter set to %s', last_seq, top, top);
            END IF;
        END $$
        """

    /// Files by SHA-256, checked by the database; a damaged copy under a digest is replaced.
    static let putBlobFunction = """
        CREATE FUNCTION qdeck_put_blob(blob_digest text, blob bytea) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER AS $$
        DECLARE who record;
        BEGIN
            SELECT * INTO who FROM qdeck_caller();
            IF who.grp IN ('viewer', 'none') THEN
                RAISE EXCEPTION 'role % may not store files (it reads only)', who.login USING ERRCODE = '42501';
            END IF;
            IF encode(sha256(blob), 'hex') <> blob_digest THEN
                RAISE EXCEPTION 'the file''s bytes do not have digest %', blob_digest USING ERRCODE = '22023';
            END IF;
            INSERT INTO qdeck_blobs (digest, bytes) VALUES (blob_digest, blob)
                ON CONFLICT (digest) DO UPDATE SET bytes = EXCLUDED.bytes WHERE encode(sha256(qdeck_blobs.bytes), 'hex') <> blob_digest;
        END $$
        """

    static let functions = [
        "qdeck_caller()", "qdeck_require_admin(text)", "qdeck_on_roster()", "qdeck_leading_string(bytea)", "qdeck_create_journal(boolean)",
        "qdeck_append(text[], integer[], text[], bigint[], text[], smallint[], bytea[])",
        "qdeck_import(bigint[], text[], integer[], bigint[], text[], smallint[], bytea[])",
        "qdeck_adopt_identity(text, bigint, boolean)", "qdeck_repair()", "qdeck_put_blob(text, bytea)",
    ]

    /// Reading for every group; writing only through the functions, each for the groups it serves.
    /// The functions run with a fixed search path (the schema they were made in), so a caller's
    /// own objects cannot stand in for the tables.
    static let grants: [String] = [
        "REVOKE ALL ON qdeck_meta, qdeck_head, qdeck_events, qdeck_roster, qdeck_blobs FROM PUBLIC",
        "GRANT SELECT ON qdeck_meta, qdeck_head, qdeck_events, qdeck_roster, qdeck_blobs TO qdeck_viewer",
        "GRANT qdeck_viewer TO qdeck_agent, qdeck_supervisor, qdeck_admin, qdeck_intake",
        """
        DO $$ DECLARE f text; BEGIN
            FOREACH f IN ARRAY ARRAY['\(functions.joined(separator: "', '"))'] LOOP
                EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
                EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp', f, current_schema());
            END LOOP;
        END $$
        """,
        "GRANT EXECUTE ON FUNCTION qdeck_caller(), qdeck_require_admin(text), qdeck_on_roster(), qdeck_leading_string(bytea) TO qdeck_viewer",
        """
        GRANT EXECUTE ON FUNCTION qdeck_create_journal(boolean), qdeck_append(text[], integer[], text[], bigint[], text[], smallint[], bytea[]),
            qdeck_put_blob(text, bytea) TO qdeck_agent, qdeck_supervisor, qdeck_admin, qdeck_intake
        """,
        """
        GRANT EXECUTE ON FUNCTION qdeck_import(bigint[], text[], integer[], bigint[], text[], smallint[], bytea[]),
            qdeck_adopt_identity(text, bigint, boolean), qdeck_repair() TO qdeck_admin
        """,
    ]
}
