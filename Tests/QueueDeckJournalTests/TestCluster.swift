import Foundation
import QueueDeckBackends
import QueueDeckPostgres

/// One throwaway PostgreSQL cluster for this test process (scripts/pg-cluster.sh), started when
/// a test first needs it and stopped at exit; each test gets a database of its own in it. Needs
/// root (the cluster runs as the postgres user), as CI has; nil elsewhere.
final class TestCluster: @unchecked Sendable {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    nonisolated(unsafe) static var started: String?

    static let shared: TestCluster? = {
        guard geteuid() == 0, FileManager.default.fileExists(atPath: "/usr/lib/postgresql") else { return nil }
        return try? TestCluster()
    }()

    let dir: String
    let port: Int
    private let lock = NSLock()
    private var count = 0

    private init() throws {
        // Clusters of test runs that died before their exit handler: stopped, not left running.
        for old in (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? [] where old.hasPrefix("qdeck-pg-unit-") {
            if let pid = Int32(old.dropFirst("qdeck-pg-unit-".count)), kill(pid, 0) != 0 {
                Self.sh("bash \(Self.root)/scripts/pg-cluster.sh stop /tmp/\(old)/c immediate; rm -rf /tmp/\(old)")
            }
        }
        dir = "/tmp/qdeck-pg-unit-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        port = 30_000 + Int(getpid() % 20_000)
        let rc = Self.sh("bash \(Self.root)/scripts/pg-cluster.sh start \(dir)/c \(port) > \(dir)/uri 2>\(dir)/err")
        guard rc == 0 else { throw NSError(domain: "pg-cluster: \((try? String(contentsOfFile: dir + "/err", encoding: .utf8)) ?? "")", code: Int(rc)) }
        Self.started = dir
        atexit {
            guard let dir = TestCluster.started else { return }
            _ = TestCluster.sh("bash \(TestCluster.root)/scripts/pg-cluster.sh stop \(dir)/c immediate; rm -rf \(dir)")
        }
    }

    @discardableResult
    static func sh(_ command: String) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        p.standardOutput = FileHandle.nullDevice
        try? p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    func address(database: String, user: String) -> PostgresAddress {
        PostgresAddress(endpoint: .socket(folder: dir + "/c/socket", port: port), user: user, password: nil, database: database, sslMode: .disable)
    }

    /// A new database without qdeck's schema.
    func bareDatabase() throws -> String {
        lock.lock()
        count += 1
        let name = "t\(count)"
        lock.unlock()
        let rc = Self.sh("psql 'host=\(dir)/c/socket port=\(port) user=postgres dbname=postgres' -qc 'CREATE DATABASE \(name)' >/dev/null 2>&1")
        guard rc == 0 else { throw NSError(domain: "CREATE DATABASE \(name) failed", code: Int(rc)) }
        return name
    }

    /// A new database with the schema, the group roles and `agents` (user, desk role) as logins;
    /// no journal in it yet.
    func freshDatabase(agents: [(String, String)] = [("anna", "agent"), ("bob", "agent")]) throws -> String {
        let name = try bareDatabase()
        let admin = address(database: name, user: "postgres")
        // Roles are the cluster's: two tests making the same ones at once would collide.
        try Self.rolesLock.withLock {
            _ = try PostgresAdmin.initialise(admin)
            _ = try PostgresAdmin.syncRoster(admin, agents: agents.map { Agent(user: $0.0, name: $0.0, role: Self.role($0.1)) })
        }
        return name
    }

    static let rolesLock = NSLock()

    static func role(_ name: String) -> Role {
        switch name {
        case "viewer": .viewer
        case "supervisor": .supervisor
        case "administrator": .administrator
        case "intake": .intake
        default: .agent
        }
    }
}

import QueueDeckDomain
