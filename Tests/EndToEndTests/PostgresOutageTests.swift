import Foundation
import Testing

/// Issue 16: the database goes away under a working desk. Two consoles and a queue_log follower
/// ride out `pg_ctl stop -m immediate` (a crash) and the start after it: the consoles say
/// "reconnecting" and refuse actions with a reason, mail delivered meanwhile is deferred (75) and
/// stored once when retried, the call line written meanwhile is stored once the server is back,
/// everything acknowledged before is still there, and what is appended after shows on both
/// screens within 2 s, with no restart of anything.
@Suite(.serialized) struct PostgresOutageTests {
    @Test func consolesAndIntakeRideOutACrashOfTheDatabase() throws {
        guard JournalKind.available.contains(.postgres) else { return }
        let pg = try SharedCluster(own: true)
        let db = try pg.newDatabase()
        let uri = { (user: String) in pg.uri(db, user: user) }
        let dir = NSTemporaryDirectory() + "qdeck-outage-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = ["QDECK_AGENT": "", "XDG_DATA_HOME": dir]
        func qdeck(_ user: String, _ args: [String], stdin: String? = nil) throws -> Harness.Result {
            try Harness.run("qdeck", ["--journal", uri(user)] + args, env: env, stdin: stdin)
        }
        let first = try qdeck("anna", ["new", "email", "--customer", "Before <before@example.org>", "--subject", "acknowledged before"])
        #expect(first.status == 0, "\(first.stderr)")

        let anna = try Tmux("\(Harness.binDir)/qdeck --journal '\(uri("anna"))'", cols: 120, rows: 30, env: env)
        let lea = try Tmux("\(Harness.binDir)/qdeck --journal '\(uri("lea"))'", cols: 120, rows: 30, env: env)
        for console in [anna, lea] {
            try console.waitFor("acknowledged before")
            try console.waitFor("● live")
        }
        // Asterisk's queue_log, followed by intake's login.
        let log = dir + "/queue_log"
        try "1795600000|1795600000.1|support|NONE|ENTERQUEUE||+37120000001|1\n".write(toFile: log, atomically: true, encoding: .utf8)
        let follower = Process()
        follower.executableURL = URL(fileURLWithPath: Harness.binDir + "/qdeck")
        follower.arguments = ["--journal", uri("nobody"), "ingest", "queue-log", log, "--follow"]
        follower.environment = ProcessInfo.processInfo.environment.merging(env.merging(["QDECK_NOW": "2026-11-24T12:00:00Z"]) { $1 }) { $1 }
        follower.standardOutput = FileHandle.nullDevice
        FileManager.default.createFile(atPath: dir + "/follower.err", contents: nil)
        follower.standardError = FileHandle(forWritingAtPath: dir + "/follower.err")
        try follower.run()
        defer { if follower.isRunning { follower.terminate() } }
        for console in [anna, lea] { try console.waitFor("+37120000001") }

        pg.crash()
        for console in [anna, lea] { try console.waitFor("reconnecting", within: 5) }
        // An action meanwhile is refused with the reason; nothing pretends to have worked.
        try anna.keys("x")
        try anna.waitFor("cannot be reached")
        let mail = "From: Outage <outage@example.org>\nSubject: during the outage\nMessage-ID: <outage-1@example.org>\n\nhello\n"
        let deferred = try qdeck("nobody", ["ingest", "mail"], stdin: mail)
        #expect(deferred.status == 75, "a delivery while the database is down is deferred: \(deferred.status) \(deferred.stderr)")
        let h = try #require(FileHandle(forWritingAtPath: log))
        h.seekToEndOfFile()
        h.write(Data("1795600100|1795600100.1|support|NONE|ENTERQUEUE||+37120000002|1\n".utf8))
        try h.close()

        // A screen started meanwhile (a wall at boot) waits for the database instead of exiting.
        let late = try Tmux("\(Harness.binDir)/qdeck --journal '\(uri("sam"))'", cols: 120, rows: 30, env: env)
        try late.waitFor("waiting for it")

        pg.start()
        // The MTA retries: stored now, and once only however often it retries.
        #expect(try qdeck("nobody", ["ingest", "mail"], stdin: mail).status == 0)
        #expect(try qdeck("nobody", ["ingest", "mail"], stdin: mail).status == 0)
        let after = try qdeck("lea", ["new", "chat", "--customer", "After", "--subject", "appended after the restart"])
        #expect(after.status == 0, "\(after.stderr)")
        let appended = Date()
        try late.waitFor("appended after the restart", within: 5, "the screen started during the outage")
        for console in [anna, lea] {
            try console.waitFor("appended after the restart", within: 2, "within 2 s of the append")
            try console.waitFor("● live", within: 2)
        }
        #expect(Date().timeIntervalSince(appended) < 2.5)
        for console in [anna, lea] {
            try console.waitFor("during the outage", within: 2)
            try console.waitFor("+37120000002", within: 5, "the call line written during the outage; the follower said: "
                                + ((try? String(contentsOfFile: dir + "/follower.err", encoding: .utf8)) ?? ""))
        }
        follower.terminate()
        follower.waitUntilExit()

        // Nothing acknowledged was lost, nothing came twice.
        let list = try qdeck("anna", ["list", "--all", "--json"])
        let subjects = (try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []).compactMap { $0["subject"] as? String }
        #expect(subjects.filter { $0 == "acknowledged before" }.count == 1)
        #expect(subjects.filter { $0 == "during the outage" }.count == 1, "\(subjects)")
        #expect(subjects.filter { $0 == "appended after the restart" }.count == 1)
        let verify = try qdeck("anna", ["log", "verify"])
        #expect(verify.status == 0 && verify.stdout.hasSuffix("ok\n"), "\(verify.stdout) \(verify.stderr)")
    }
}
