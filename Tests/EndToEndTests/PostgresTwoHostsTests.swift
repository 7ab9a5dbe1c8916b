import Foundation
import Testing

/// Issue 16: two hosts for real. Two network namespaces, each joined to the database's host by a
/// veth pair of its own, stand for two machines: an agent in one appends over TCP, and a console in
/// the other, logged in with scram-sha-256, shows it within a second. A wrong password is refused.
@Suite(.serialized) struct PostgresTwoHostsTests {
    /// Runs `command` (a shell line) and says whether it worked; the namespace plumbing.
    @discardableResult
    static func sh(_ command: String) -> Bool { shell(command) == 0 }

    @Test func aConsoleOnAnotherHostSeesAnAppendWithinASecond() throws {
        guard JournalKind.available.contains(.postgres), FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") else { return }
        let pid = Int(getpid())
        let n = pid % 200 + 20
        // Two "hosts": namespaces with a veth pair each to this one (interface names ≤ 15 bytes).
        let hosts = [(ns: "qdA\(pid)", link: "qa\(pid)", net: "10.213.\(n)"), (ns: "qdB\(pid)", link: "qb\(pid)", net: "10.214.\(n)")]
        defer { for h in hosts { Self.sh("ip netns del \(h.ns); ip link del \(h.link)") } }
        for h in hosts {
            let ok = Self.sh("""
                ip netns add \(h.ns) && ip link add \(h.link) type veth peer name \(h.link)p && ip link set \(h.link)p netns \(h.ns) \
                && ip addr add \(h.net).1/24 dev \(h.link) && ip link set \(h.link) up \
                && ip netns exec \(h.ns) ip addr add \(h.net).2/24 dev \(h.link)p && ip netns exec \(h.ns) ip link set \(h.link)p up \
                && ip netns exec \(h.ns) ip link set lo up
                """)
            try #require(ok, "network namespace \(h.ns) could not be made")
        }
        let pg = try SharedCluster(own: true, tcp: hosts.map { "\($0.net).1" }.joined(separator: ","))
        let db = try pg.newDatabase()
        #expect(try pg.psql("ALTER ROLE anna PASSWORD 'anna-pw'; ALTER ROLE lea PASSWORD 'lea-pw'").0 == 0)
        let data = NSTemporaryDirectory() + "qdeck-twohosts-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: data) }
        let qdeck = Harness.binDir + "/qdeck"
        let onA = "postgresql://anna@\(hosts[0].net).1:\(pg.port)/\(db)?sslmode=disable"
        let onB = "postgresql://lea@\(hosts[1].net).1:\(pg.port)/\(db)?sslmode=disable"
        func inNamespace(_ ns: String, _ args: [String], password: String) throws -> (Int32, String) {
            try runToEnd(["ip", "netns", "exec", ns, qdeck] + args, env: ["PGPASSWORD": password, "QDECK_AGENT": "", "XDG_DATA_HOME": data])
        }
        let wrong = try inNamespace(hosts[1].ns, ["--journal", onB, "list"], password: "guess")
        #expect(wrong.0 == 77 && wrong.1.contains("password authentication failed"), "\(wrong)")
        #expect(try inNamespace(hosts[0].ns, ["--journal", onA, "new", "email", "--customer", "First <f@example.org>", "--subject", "before the console"], password: "anna-pw").0 == 0)

        let console = try Tmux("ip netns exec \(hosts[1].ns) \(qdeck) --journal '\(onB)'", cols: 120, rows: 30,
                               env: ["PGPASSWORD": "lea-pw", "QDECK_AGENT": "", "XDG_DATA_HOME": data])
        try console.waitFor("before the console", within: 10)
        try console.waitFor("lea · ● live")
        // The console's own connections come from the other namespace's address, over TCP.
        #expect(try pg.psql("SELECT count(*) > 0 FROM pg_stat_activity WHERE usename = 'lea' AND client_addr = '\(hosts[1].net).2'").1.hasPrefix("t"))

        for i in 1...3 {
            let subject = "appended on host A, \(i)"
            let made = try inNamespace(hosts[0].ns, ["--journal", onA, "new", "chat", "--customer", "Visitor \(i)", "--subject", subject], password: "anna-pw")
            #expect(made.0 == 0, "\(made.1)")
            let acknowledged = Date()
            try console.waitFor(subject, within: 1, "within a second of the append on the other host")
            #expect(Date().timeIntervalSince(acknowledged) < 1.0)
        }
    }
}
