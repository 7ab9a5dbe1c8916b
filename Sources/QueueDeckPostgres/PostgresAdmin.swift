import Foundation
import Logging
import NIOSSL
import PostgresNIO
import QueueDeckDomain
import QueueDeckJournal

/// Setting up a PostgreSQL journal: the schema (versioned; a newer one than this build is refused)
/// and the roles that carry identity and permission (docs/POSTGRES.md). Run by the database's
/// administrator, whose role may create roles.
public enum PostgresAdmin {
    /// The schema this build writes and reads.
    public static let schemaVersion = Schema.version

    /// The group roles, one per built-in desk role; a login role per agent joins one of them.
    public static let groupRoles = DatabaseIdentity.Group.allCases.compactMap(\.roleName)

    public struct Failure: Error, CustomStringConvertible {
        public enum Kind: Sendable { case unreachable, denied, incompatible, refused }
        public var kind: Kind = .refused
        public var description: String
    }

    public struct InitReport: Sendable {
        public var from: Int
        public var to: Int
        public var createdRoles: [String]
    }

    /// Creates the schema or brings it up to this build's version, and the group roles. Idempotent.
    public static func initialise(_ address: PostgresAddress) throws -> InitReport {
        try blocking {
            try await withConnection(address) { c in
                try await transaction(c) {
                    try await PostgresLink.execute(c, "CREATE TABLE IF NOT EXISTS qdeck_meta (key text PRIMARY KEY, value text NOT NULL)")
                    // One initialiser at a time: two racing `db init`s would both see version 0.
                    try await PostgresLink.execute(c, "LOCK TABLE qdeck_meta IN EXCLUSIVE MODE")
                    let found = try await version(c)
                    guard (0...schemaVersion).contains(found) else {
                        throw Failure(kind: .incompatible, description: "the database holds schema version \(found); this qdeck knows up to \(schemaVersion): upgrade qdeck, nothing was changed")
                    }
                    for statement in Schema.migrations[found...].joined() { try await PostgresLink.execute(c, PostgresQuery(unsafeSQL: statement)) }
                    try await PostgresLink.execute(c, "INSERT INTO qdeck_meta (key, value) VALUES ('schema', \(String(schemaVersion))) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value")
                    var created: [String] = []
                    for role in groupRoles where try await !roleExists(c, role) {
                        try await PostgresLink.execute(c, PostgresQuery(unsafeSQL: "CREATE ROLE \(quoted(role)) NOLOGIN"))
                        created.append(role)
                    }
                    for statement in Schema.grants { try await PostgresLink.execute(c, PostgresQuery(unsafeSQL: statement)) }
                    // Group roles are the whole server's: a desk's database admits only its own
                    // roster (sync-roster grants CONNECT), or any desk's agent could read every desk.
                    try await PostgresLink.execute(c, "DO $$ BEGIN EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database()); END $$")
                    return InitReport(from: found, to: schemaVersion, createdRoles: created)
                }
            }
        }
    }

    /// Each roster agent as a login role (their OS user name, as peer authentication gives it),
    /// recorded in this desk's roster with the group and permissions the team file gives their
    /// role, and admitted to this database. The server's group roles are shared by every desk on
    /// it: a login is added to its group here and never taken out (another desk may need it);
    /// what it may do on this desk is this desk's roster row. Agents no longer in the roster leave
    /// this desk (their row, and CONNECT); their role is kept (dropping it is the server
    /// administrator's call).
    public static func syncRoster(_ address: PostgresAddress, agents: [Agent]) throws -> [String] {
        for a in agents where a.user.utf8.count > 63 || a.user.contains("\u{0}") {
            throw Failure(description: "agent '\(a.user)': a PostgreSQL role name is at most 63 bytes")
        }
        // The server's own names: never an agent's login.
        for a in agents where a.user.hasPrefix("qdeck_") || a.user.hasPrefix("pg_") {
            throw Failure(description: "agent '\(a.user)': names starting qdeck_ or pg_ are the server's roles, not a person's login")
        }
        return try blocking {
            try await withConnection(address) { c in
                try await transaction(c) {
                    guard try await version(c) == schemaVersion else {
                        throw Failure(kind: .incompatible, description: "the database's schema is not this qdeck's (run qdeck db init first)")
                    }
                    var said: [String] = []
                    let listed = Set(agents.map(\.user))
                    var before: [String] = []
                    for try await row in try await c.query("SELECT role_name FROM qdeck_roster ORDER BY role_name", logger: logger) {
                        before.append(try row.decode(String.self))
                    }
                    for name in before where !listed.contains(name) {
                        try await PostgresLink.execute(c, connect("REVOKE", name, "FROM"))
                        try await PostgresLink.execute(c, "DELETE FROM qdeck_roster WHERE role_name = \(name)")
                        said.append("\(name): no longer in the roster; left this desk (the role is kept)")
                    }
                    for a in agents {
                        let desk = DatabaseIdentity.Group(for: a.role)
                        let group = groupRole(for: a.role)
                        var existed = false
                        for try await (superuser, canLogin) in try await c.query("SELECT rolsuper, rolcanlogin FROM pg_roles WHERE rolname = \(a.user)",
                                                                                  logger: logger).decode((Bool, Bool).self) {
                            existed = true
                            guard !superuser && canLogin else {
                                throw Failure(description: "agent '\(a.user)': the server's role of that name is \(superuser ? "a superuser" : "not a login"), not an agent's login; rename the agent")
                            }
                        }
                        if !existed { try await PostgresLink.execute(c, PostgresQuery(unsafeSQL: "CREATE ROLE \(quoted(a.user)) LOGIN")) }
                        try await PostgresLink.execute(c, PostgresQuery(unsafeSQL: "GRANT \(quoted(group)) TO \(quoted(a.user))"))
                        try await PostgresLink.execute(c, connect("GRANT", a.user, "TO"))
                        let short = desk.rawValue
                        let permissions = a.role.permissions.map(\.rawValue).sorted()
                        try await PostgresLink.execute(c, """
                            INSERT INTO qdeck_roster (role_name, agent, desk_role, grp, permissions)
                            VALUES (\(a.user), \(a.name), \(a.role.name), \(short), \(permissions))
                            ON CONFLICT (role_name) DO UPDATE SET agent = EXCLUDED.agent, desk_role = EXCLUDED.desk_role,
                                grp = EXCLUDED.grp, permissions = EXCLUDED.permissions
                            """)
                        said.append("\(a.user): \(existed ? "role exists" : "login role created"), in \(group)")
                    }
                    return said
                }
            }
        }
    }

    /// The server's group role for a desk role (DatabaseIdentity.Group says which).
    public static func groupRole(for role: Role) -> String {
        DatabaseIdentity.Group(for: role).roleName ?? "qdeck_viewer"
    }

    static var logger: Logger { PostgresLink.logger }

    /// GRANT or REVOKE CONNECT on this database (whatever its name) to or from a login.
    static func connect(_ verb: String, _ login: String, _ preposition: String) -> PostgresQuery {
        PostgresQuery(unsafeSQL: "DO $$ BEGIN EXECUTE format('\(verb) CONNECT ON DATABASE %I \(preposition) %I', current_database(), "
                      + "'\(login.replacingOccurrences(of: "'", with: "''"))'); END $$")
    }

    static func quoted(_ identifier: String) -> String { "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    static func version(_ c: PostgresConnection) async throws -> Int {
        for try await row in try await c.query("SELECT value FROM qdeck_meta WHERE key = 'schema'", logger: logger) {
            return Int(try row.decode(String.self)) ?? 0
        }
        return 0
    }

    static func roleExists(_ c: PostgresConnection, _ name: String) async throws -> Bool {
        for try await _ in try await c.query("SELECT 1 FROM pg_roles WHERE rolname = \(name)", logger: logger) { return true }
        return false
    }

    static func transaction<T>(_ c: PostgresConnection, _ body: () async throws -> T) async throws -> T {
        try await PostgresLink.execute(c, "BEGIN")
        do {
            let r = try await body()
            try await PostgresLink.execute(c, "COMMIT")
            return r
        } catch {
            _ = try? await c.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    static func withConnection<T>(_ a: PostgresAddress, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        let c: PostgresConnection
        do { c = try await PostgresLink.connect(a) } catch {
            throw Failure(kind: .unreachable, description: "\(a.shown): cannot connect: \(PostgresLink.describe(error))")
        }
        do {
            let r = try await body(c)
            try? await c.close()
            return r
        } catch {
            try? await c.close()
            if error is Failure { throw error }
            let denied = (error as? PSQLError)?.serverInfo?[.sqlState] == "42501"
            let hint = denied ? " (qdeck db runs as the database's administrator: a superuser, or a role that may create roles and grant the qdeck groups)" : ""
            throw Failure(kind: denied ? .denied : .refused, description: "\(a.shown): \(PostgresLink.describe(error))\(hint)")
        }
    }
}
