import Foundation
import Testing
@testable import QueueDeckPostgres

/// libpq's URI form, read the way psql reads it: what the address gives wins over PG* variables,
/// which win over the defaults; a password is never shown.
@Suite struct PostgresAddressTests {
    func parse(_ s: String, _ env: [String: String] = [:]) throws -> PostgresAddress {
        try PostgresAddress(s, environment: env, user: "anna")
    }

    @Test func tcpWithEverything() throws {
        let a = try parse("postgresql://desk:p%40ss@db.example.com:6432/support?sslmode=verify-full")
        #expect(a.endpoint == .tcp(host: "db.example.com", port: 6432))
        #expect(a.user == "desk" && a.password == "p@ss" && a.database == "support" && a.sslMode == .verifyFull)
        #expect(a.shown == "postgresql://desk@db.example.com:6432/support" && !a.shown.contains("p@ss"))
    }

    @Test func aSocketFolderFromTheQueryAndDefaultsFromTheUser() throws {
        let a = try parse("postgresql:///desk?host=/tmp/pg/socket&port=25432")
        #expect(a.endpoint == .socket(folder: "/tmp/pg/socket", port: 25432))
        #expect(a.user == "anna" && a.database == "desk" && a.password == nil && a.sslMode == .prefer)
        let b = try parse("postgres://")
        #expect(b.endpoint == .socket(folder: "/var/run/postgresql", port: 5432) && b.database == "anna")
        #expect(try parse("postgresql://[::1]:5433/d").endpoint == .tcp(host: "::1", port: 5433))
    }

    @Test func environmentFillsTheGaps() throws {
        let env = ["PGHOST": "pg.internal", "PGPORT": "5544", "PGUSER": "svc", "PGPASSWORD": "x", "PGDATABASE": "desk", "PGSSLMODE": "require"]
        let a = try parse("postgresql://", env)
        #expect(a.endpoint == .tcp(host: "pg.internal", port: 5544) && a.user == "svc" && a.password == "x" && a.database == "desk" && a.sslMode == .require)
        let b = try parse("postgresql://lea@other/db2", env)
        #expect(b.endpoint == .tcp(host: "other", port: 5544) && b.user == "lea" && b.database == "db2")
    }

    @Test(arguments: [
        ("postgresql://h:0/d", "port '0'"), ("postgresql://h:x/d", "port 'x'"), ("postgresql://h/d?sslmode=maybe", "sslmode 'maybe'"),
        ("postgresql://a,b/d", "several hosts"), ("postgresql://h/d?broken", "not name=value"), ("mysql://h/d", "not a PostgreSQL address"),
        ("postgresql://h/" + String(repeating: "d", count: 64), "63 bytes"),
    ])
    func mistakesAreNamed(_ text: String, _ fragment: String) {
        do {
            _ = try parse(text)
            Issue.record("\(text) accepted")
        } catch let e as PostgresAddress.Problem {
            #expect(e.description.contains(fragment), "\(e)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func desksRolesGoToTheirGroups() {
        #expect(PostgresAdmin.groupRole(for: .agent) == "qdeck_agent")
        #expect(PostgresAdmin.groupRole(for: .supervisor) == "qdeck_supervisor")
        #expect(PostgresAdmin.groupRole(for: .administrator) == "qdeck_admin")
        #expect(PostgresAdmin.groupRole(for: .viewer) == "qdeck_viewer")
        #expect(PostgresAdmin.groupRole(for: .intake) == "qdeck_intake")
        #expect(PostgresAdmin.quoted("o\"brien") == "\"o\"\"brien\"")
    }
}

/// libpq's password file, read as libpq reads it.
@Suite struct PasswordFileTests {
    let tcp = PostgresAddress(endpoint: .tcp(host: "db.example", port: 5432), user: "anna", password: nil, database: "desk", sslMode: .require)
    let socket = PostgresAddress(endpoint: .socket(folder: "/run/postgresql", port: 5433), user: "anna", password: nil, database: "desk", sslMode: .disable)

    @Test func theFirstMatchingLineWinsWithWildcardsAndEscapes() {
        let text = """
            # comments and other hosts first
            other.example:5432:desk:anna:nope
            db.example:5432:desk:bob:nope
            db.example:*:desk:anna:s\\:e\\\\cret:with:colons
            *:*:*:*:fallback
            """
        #expect(PasswordFile.find(in: text, for: tcp) == "s:e\\cret:with:colons")
        #expect(PasswordFile.find(in: "localhost:5433:desk:anna:local\n", for: socket) == "local", "localhost matches the socket")
        #expect(PasswordFile.find(in: "localhost:5432:desk:anna:wrong port\n", for: socket) == nil)
        #expect(PasswordFile.find(in: "db.example:5432:desk:anna\n", for: tcp) == nil, "four fields are not a line")
    }

    @Test func aFileOthersMayReadIsIgnored() throws {
        let path = NSTemporaryDirectory() + "pgpass-\(UUID().uuidString)"
        defer { unlink(path) }
        try "*:*:*:*:secret\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o644)
        var warned = ""
        #expect(PasswordFile.password(for: tcp, environment: ["PGPASSFILE": path], home: "/nonexistent") { warned = $0 } == nil)
        #expect(warned.contains("others may read"))
        chmod(path, 0o600)
        #expect(PasswordFile.password(for: tcp, environment: ["PGPASSFILE": path], home: "/nonexistent") == "secret")
    }
}
