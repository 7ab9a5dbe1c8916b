import Foundation
import Testing

/// Issue 16, first part: a throwaway PostgreSQL cluster (scripts/pg-cluster.sh, Debian's server),
/// `qdeck db init` making the schema and the group roles, `qdeck db sync-roster` one login role
/// per agent in their group; reading granted, writing not; a newer schema refused unchanged; an
/// unreachable database is 75 and its password never printed.
@Suite(.serialized) struct PostgresAdminTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// A cluster of its own for the test, stopped at the end.
    final class Cluster {
        let dir: String
        let port: Int
        let uri: String
        init() throws {
            dir = "/tmp/qdeck-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            let (_, free) = try runToEnd(["python3", "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"])
            port = Int(free.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 25_432
            // Through shell(), which waits for the script, not for the end of a pipe the server
            // (a daemon) would inherit and hold open.
            let rc = shell("bash \(PostgresAdminTests.root)/scripts/pg-cluster.sh start \(dir)/c \(port) > \(dir)/uri")
            let out = (try? String(contentsOfFile: dir + "/uri", encoding: .utf8)) ?? ""
            guard rc == 0 else { throw NSError(domain: "pg-cluster exited \(rc): \(out)", code: Int(rc)) }
            uri = out.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        deinit {
            shell("bash \(PostgresAdminTests.root)/scripts/pg-cluster.sh stop \(dir)/c immediate")
            try? FileManager.default.removeItem(atPath: dir)
        }
        func psql(_ sql: String, as user: String = "postgres") throws -> (Int32, String) {
            try runToEnd(["psql", "host=\(dir)/c/socket port=\(port) user=\(user) dbname=postgres", "-v", "ON_ERROR_STOP=1", "-Atc", sql])
        }
    }

    func qdeck(_ uri: String, _ args: String..., config: String? = nil) throws -> Harness.Result {
        try Harness.run("qdeck", ["--journal", uri] + (config.map { ["--config", $0] } ?? []) + args, env: ["QDECK_AGENT": ""])
    }

    @Test func initMakesTheSchemaAndRolesAndSyncRosterTheAgentsLogins() throws {
        guard geteuid() == 0 else { return }  // the cluster runs as the postgres user; CI runs as root
        #expect(FileManager.default.fileExists(atPath: "/usr/lib/postgresql"), "PostgreSQL: scripts/setup.sh installs it")
        let pg = try Cluster()
        let first = try qdeck(pg.uri, "db", "init")
        #expect(first.status == 0 && first.stdout.contains("schema version 0 → 3"), "\(first.stdout) \(first.stderr)")
        #expect(first.stdout.contains("group roles created: qdeck_viewer, qdeck_agent, qdeck_supervisor, qdeck_admin, qdeck_intake"))
        let again = try qdeck(pg.uri, "db", "init")
        #expect(again.status == 0 && again.stdout.contains("schema version 3, up to date") && again.stdout.contains("group roles: all there"), "\(again.stdout)")
        #expect(try pg.psql("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'qdeck_%'").1.hasPrefix("5"))

        let s = Scratch()
        let team = s.dir + "/team.yaml"
        try """
        agents:
          - { user: anna, name: Anna Ozola, role: agent, departments: [billing] }
          - { user: lea, name: Lea Brown, role: supervisor }
          - { user: wall, name: Wall, role: viewer }
          - { user: nobody, name: Mail Server, role: intake }
          - { user: "o'brien \\"x\\"", name: Quoted, role: administrator }
        """.write(toFile: team, atomically: true, encoding: .utf8)
        let synced = try qdeck(pg.uri, "db", "sync-roster", config: team)
        #expect(synced.status == 0 && synced.stdout.contains("anna: login role created, in qdeck_agent"), "\(synced.stdout) \(synced.stderr)")
        for (user, group) in [("anna", "qdeck_agent"), ("lea", "qdeck_supervisor"), ("wall", "qdeck_viewer"), ("nobody", "qdeck_intake"), ("o''brien \"x\"", "qdeck_admin")] {
            #expect(try pg.psql("SELECT pg_has_role('\(user)', '\(group)', 'member')").1.hasPrefix("t"), "\(user) in \(group)")
        }
        // Reading is granted to every group; writing to nobody directly (appends come through the journal).
        #expect(try pg.psql("SELECT count(*) FROM qdeck_events", as: "wall").1.hasPrefix("0"))
        let write = try pg.psql("INSERT INTO qdeck_head (last) VALUES (1)", as: "anna")
        #expect(write.0 != 0 && write.1.contains("permission denied"), "\(write.1)")
        #expect(try pg.psql("SELECT agent, desk_role FROM qdeck_roster WHERE role_name = 'lea'").1.hasPrefix("Lea Brown|supervisor"))

        // Lea becomes a viewer, Wall leaves the roster: this desk's roster follows (the server's
        // group roles are every desk's and only open doors), Wall may not even connect, the role is kept.
        try """
        agents:
          - { user: anna, name: Anna Ozola, role: agent }
          - { user: lea, name: Lea Brown, role: viewer }
          - { user: nobody, name: Mail Server, role: intake }
        """.write(toFile: team, atomically: true, encoding: .utf8)
        let resynced = try qdeck(pg.uri, "db", "sync-roster", config: team)
        #expect(resynced.stdout.contains("wall: no longer in the roster"), "\(resynced.stdout)")
        #expect(try pg.psql("SELECT grp FROM qdeck_caller()", as: "lea").1.hasPrefix("viewer"))
        #expect(try pg.psql("SELECT grp, permissions FROM qdeck_roster WHERE role_name = 'lea'").1.hasPrefix("viewer|{}"))
        let gone = try pg.psql("SELECT 1", as: "wall")
        #expect(gone.0 != 0 && gone.1.contains("permission denied for database"), "\(gone.1)")
        #expect(try pg.psql("SELECT count(*) FROM pg_roles WHERE rolname = 'wall'").1.hasPrefix("1"))

        // A desk made before rules (schema 2): `db init` brings it up to 3, replacing qdeck_append
        // with the one that lets a rule's events through.
        #expect(try pg.psql("UPDATE qdeck_meta SET value = '2' WHERE key = 'schema'").0 == 0)
        #expect(try pg.psql("CREATE OR REPLACE FUNCTION qdeck_append(expect_tickets text[], expect_versions integer[], tickets text[], ats bigint[], actors text[], types smallint[], payloads bytea[]) RETURNS TABLE (stored_seq bigint, stored_version integer, stored_actor text) LANGUAGE sql AS 'SELECT 0::bigint, 0, ''version 2''::text'").0 == 0)
        let older = try qdeck(pg.uri, "list")
        #expect(older.status != 0 && older.stderr.contains("qdeck db init upgrades"), "\(older.stderr)")
        let upgrade = try qdeck(pg.uri, "db", "init")
        #expect(upgrade.status == 0 && upgrade.stdout.contains("schema version 2 → 3"), "\(upgrade.stdout) \(upgrade.stderr)")
        #expect(try pg.psql("SELECT pg_get_functiondef('qdeck_append'::regproc) LIKE '%rules (%'").1.hasPrefix("t"))

        // A schema from a newer qdeck: refused, nothing changed.
        #expect(try pg.psql("UPDATE qdeck_meta SET value = '99' WHERE key = 'schema'").0 == 0)
        let newer = try qdeck(pg.uri, "db", "init")
        #expect(newer.status == 65 && newer.stderr.contains("schema version 99; this qdeck knows up to 3"), "\(newer.stderr)")
        #expect(try pg.psql("SELECT value FROM qdeck_meta WHERE key = 'schema'").1.hasPrefix("99"))
    }

    @Test func anUnreachableDatabaseIsTemporaryAndItsPasswordIsNeverPrinted() throws {
        let r = try qdeck("postgresql://desk:Sekr1t-pw@127.0.0.1:1/desk", "db", "init")
        #expect(r.status == 75, "\(r.stderr)")
        #expect(r.stderr.contains("postgresql://desk@127.0.0.1:1/desk: cannot connect"), "\(r.stderr)")
        #expect(!r.stderr.contains("Sekr1t") && !r.stdout.contains("Sekr1t"))
        let bad = try qdeck("postgresql://desk@host:99999/desk", "db", "init")
        #expect(bad.status == 64 && bad.stderr.contains("port '99999'"), "\(bad.stderr)")
        let notPG = try Harness.run("qdeck", ["--journal", "/tmp/x.journal", "db", "init"])
        #expect(notPG.status == 64 && notPG.stderr.contains("PostgreSQL journal"), "\(notPG.stderr)")
    }
}
