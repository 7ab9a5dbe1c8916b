import Foundation
import Testing

/// The journals the command-line suites run against: each test runs once per kind.
enum JournalKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case file, postgres
    var description: String { rawValue }

    /// The kinds this machine can run: PostgreSQL needs root (the throwaway cluster runs as the
    /// postgres user) and Debian's server (scripts/setup.sh), as CI has.
    static var available: [JournalKind] {
        geteuid() == 0 && FileManager.default.fileExists(atPath: "/usr/lib/postgresql") ? allCases : [.file]
    }
}

/// A throwaway PostgreSQL cluster (scripts/pg-cluster.sh): `shared` serves this test process,
/// started when first needed and stopped at exit, each scratch desk a database of its own in it;
/// a test that stops or restarts the server makes one of its own (stopped when dropped).
final class SharedCluster: @unchecked Sendable {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    nonisolated(unsafe) private static var startedDir: String?

    static let shared: SharedCluster = {
        do { return try SharedCluster(own: false) } catch { fatalError("the test cluster did not start: \(error)") }
    }()
    private let own: Bool

    let dir: String
    let port: Int
    var socket: String { dir + "/c/socket" }
    private let lock = NSLock()
    private var count = 0

    /// `tcp`: addresses the server also listens on (scram-sha-256 from the networks it is on).
    init(own: Bool = true, tcp: String? = nil) throws {
        self.own = own
        // Clusters of runs that died before their exit handler: stopped, not left running.
        for old in (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? [] {
            guard let prefix = ["qdeck-pg-e2e-", "qdeck-pg-own-"].first(where: { old.hasPrefix($0) }) else { continue }
            if let pid = Int32(old.dropFirst(prefix.count).prefix { $0.isNumber }), kill(pid, 0) != 0 {
                shell("bash \(Self.root)/scripts/pg-cluster.sh stop /tmp/\(old)/c immediate; rm -rf /tmp/\(old)")
            }
        }
        dir = own ? "/tmp/qdeck-pg-own-\(getpid())-\(UInt32.random(in: 0...UInt32.max))" : "/tmp/qdeck-pg-e2e-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let (_, free) = try runToEnd(["python3", "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"])
        port = Int(free.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 25_433
        let rc = shell("bash \(Self.root)/scripts/pg-cluster.sh start \(dir)/c \(port)\(tcp.map { " --tcp \($0)" } ?? "") > \(dir)/uri")
        guard rc == 0 else { throw NSError(domain: "pg-cluster exited \(rc)", code: Int(rc)) }
        guard !own else { return }
        Self.startedDir = dir
        atexit {
            guard let dir = SharedCluster.startedDir else { return }
            shell("bash \(SharedCluster.root)/scripts/pg-cluster.sh stop \(dir)/c immediate; rm -rf \(dir)")
        }
    }

    deinit {
        guard own else { return }
        shell("bash \(Self.root)/scripts/pg-cluster.sh stop \(dir)/c immediate; rm -rf \(dir)")
    }

    /// `pg_ctl stop -m immediate`: as a crash would (the WAL recovers what was committed).
    func crash() { shell("bash \(Self.root)/scripts/pg-cluster.sh stop \(dir)/c immediate") }
    func start() { shell("bash \(Self.root)/scripts/pg-cluster.sh start \(dir)/c \(port) >/dev/null") }

    /// The address of `database` as `user`.
    func uri(_ database: String, user: String) -> String {
        "postgresql:///\(database)?host=\(socket)&port=\(port)&user=\(user)"
    }

    func psql(_ sql: String, database: String = "postgres", as user: String = "postgres") throws -> (Int32, String) {
        try runToEnd(["psql", "host=\(socket) port=\(port) user=\(user) dbname=\(database)", "-v", "ON_ERROR_STOP=1", "-Atc", sql])
    }

    /// A new database with the schema and a login per agent of `team` (the built-in roster when
    /// nil), made the way an administrator would: `qdeck db init`, `qdeck db sync-roster`.
    func newDatabase(team: String? = nil) throws -> String {
        lock.lock()
        count += 1
        let name = "desk\(count)"
        lock.unlock()
        let made = try psql("CREATE DATABASE \(name)")
        guard made.0 == 0 else { throw NSError(domain: "CREATE DATABASE: \(made.1)", code: 1) }
        // Roles belong to the whole cluster: two desks syncing the same roster at once would collide.
        try Self.rosterLock.withLock {
            let roster = try team ?? builtInRoster()
            for args in [["db", "init"], ["db", "sync-roster"]] {
                let r = try Harness.run("qdeck", ["--journal", uri(name, user: "postgres"), "--config", roster] + args,
                                        env: ["QDECK_AGENT": ""])
                guard r.status == 0 else { throw NSError(domain: "qdeck \(args): \(r.stderr)", code: Int(r.status)) }
            }
        }
        return name
    }

    static let rosterLock = NSLock()

    /// The built-in roster as a team file (`qdeck config defaults`): sync-roster wants one given.
    func builtInRoster() throws -> String {
        let path = dir + "/builtin-team.yaml"
        if !FileManager.default.fileExists(atPath: path) {
            let defaults = try Harness.run("qdeck", ["config", "defaults"])
            try defaults.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return path
    }
}

extension Harness {
    /// On a PostgreSQL journal the database, not QDECK_AGENT, says who acts: a test that acts as
    /// someone (QDECK_AGENT, or the harness's default agent and intake user) connects as that
    /// login instead, as the person would, and QDECK_AGENT is not passed on. An empty QDECK_AGENT
    /// leaves the address's own login (the administrator setting a database up).
    static func actingAsLogin(_ args: [String], _ environment: inout [String: String]) -> [String] {
        guard let i = args.firstIndex(where: { $0.hasPrefix("postgresql://") && $0.contains("&user=") }) else { return args }
        // This host's files for the desk (read positions, snapshots) stay in the test's folders.
        if environment["XDG_DATA_HOME"] == nil, let db = args[i].split(separator: "?").first?.split(separator: "/").last {
            environment["XDG_DATA_HOME"] = NSTemporaryDirectory() + "qdeck-e2e-data/\(db)"
        }
        guard let who = environment["QDECK_AGENT"], !who.isEmpty else { return args }
        environment["QDECK_AGENT"] = nil
        var out = args
        out[i] = args[i].replacingOccurrences(of: #"&user=[^&]*"#, with: "&user=\(who)", options: .regularExpression)
        return out
    }
}
