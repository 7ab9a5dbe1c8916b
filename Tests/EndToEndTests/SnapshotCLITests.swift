import Foundation
import Testing

/// Snapshots through the real binary: commands start from one and show exactly what a full replay
/// (`--replay`) shows; a damaged one is named and passed over; the console writes them as events arrive.
@Suite struct SnapshotCLITests {
    static let now = ["QDECK_NOW": "2026-11-24T09:00:00Z"]

    func snapshots(_ s: Scratch) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: s.dir)) ?? []).filter { $0.hasPrefix("desk.journal.snapshot-") && !$0.contains("tmp") }.sorted()
    }

    /// stdout of a command, which must succeed.
    func out(_ s: Scratch, _ args: [String], env: [String: String] = [:]) throws -> String {
        let r = try Harness.run("qdeck", ["--journal", s.journal] + args, env: Self.now.merging(env) { $1 })
        #expect(r.status == 0, "\(args): \(r.stderr)")
        return r.stdout
    }

    @Test func commandsFromASnapshotShowWhatAFullReplayShows() throws {
        let s = Scratch()
        let demo = try Harness.run("qdeck", ["--journal", s.journal, "demo", "--events", "3000", "--no-console"],
                                   env: ["QDECK_SNAPSHOT_EVERY": "500"])
        #expect(demo.status == 0, "\(demo.stderr)")
        // The demo's closing read replayed 3,000 events: it left a snapshot of them.
        #expect(snapshots(s) == ["desk.journal.snapshot-3000"])
        let mode = (try FileManager.default.attributesOfItem(atPath: s.journal + ".snapshot-3000")[.posixPermissions] as! NSNumber).intValue
        #expect(mode == 0o660, "snapshots hold customer data: group only")

        func compare(_ when: String) throws {
            #expect(try out(s, ["stats", "--json"]) == out(s, ["stats", "--json", "--replay"]), "stats \(when)")
            #expect(try out(s, ["list", "--all", "--json"]) == out(s, ["list", "--all", "--json", "--replay"]), "list \(when)")
            #expect(try out(s, ["list", "--sort", "easiest"]) == out(s, ["list", "--sort", "easiest", "--replay"]), "list text \(when)")
        }
        try compare("from the snapshot alone")

        // New events after the snapshot: the tail is replayed on top of it.
        let id = try s.newTicket("chat", subject: "After the snapshot", customer: "Jānis <janis@example.lv>")
        _ = try out(s, ["claim", id])
        _ = try out(s, ["reply", id, "--body", "On it"])
        try compare("from the snapshot and a tail")
        #expect(try out(s, ["show", id]).contains("On it"))

        // A damaged snapshot is named, passed over, and changes nothing.
        let path = s.journal + ".snapshot-3000"
        var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        bytes[bytes.count / 2] ^= 0x5A
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let r = try Harness.run("qdeck", ["--journal", s.journal, "stats", "--json"], env: Self.now)
        #expect(r.status == 0)
        #expect(r.stderr.contains("snapshot-3000: damaged snapshot (body checksum mismatch); replaying the journal instead"), "\(r.stderr)")
        #expect(r.stdout == (try out(s, ["stats", "--json", "--replay"])))
        #expect(try out(s, ["log", "verify"]).contains("passed over: \(path): damaged snapshot (body checksum mismatch)"))

        // --replay never writes one; an ordinary command past the threshold does, and is used next.
        _ = try out(s, ["stats", "--replay"], env: ["QDECK_SNAPSHOT_EVERY": "1"])
        #expect(snapshots(s) == ["desk.journal.snapshot-3000"])
        _ = try out(s, ["stats"], env: ["QDECK_SNAPSHOT_EVERY": "1"])
        #expect(snapshots(s) == ["desk.journal.snapshot-3000", "desk.journal.snapshot-3003"])
        let quiet = try Harness.run("qdeck", ["--journal", s.journal, "list"], env: Self.now)
        #expect(quiet.stderr.isEmpty, "the newest snapshot is whole: \(quiet.stderr)")
        try compare("from the new snapshot")
        let verify = try out(s, ["log", "verify"])
        #expect(verify.contains("snapshot \(s.journal).snapshot-3003: used at start-up (sequence 3003"), "\(verify)")
        #expect(verify.contains("passed over: \(path): damaged snapshot"), "\(verify)")
    }

    @Test func writersResumedFromASnapshotRefuseStaleCommands() throws {
        let s = Scratch()
        #expect(try Harness.run("qdeck", ["--journal", s.journal, "demo", "--events", "800", "--no-console"],
                                env: ["QDECK_SNAPSHOT_EVERY": "100"]).status == 0)
        #expect(snapshots(s) == ["desk.journal.snapshot-800"])
        let rows = try JSONSerialization.jsonObject(with: Data(try out(s, ["list", "--json"]).utf8)) as! [[String: Any]]
        let ticket = rows[0]
        let id = ticket["id"] as! String, version = ticket["version"] as! Int
        // Both start from the snapshot; the second acts on the version the first has just moved past.
        _ = try out(s, ["note", id, "--body", "first", "--if-version", String(version)])
        let stale = try Harness.run("qdeck", ["--journal", s.journal, "note", id, "--body", "second", "--if-version", String(version)], env: Self.now)
        #expect(stale.status != 0 && stale.stderr.contains("was changed by anna"), "\(stale.stderr)")
        let shown = try JSONSerialization.jsonObject(with: Data(try out(s, ["show", id, "--json"]).utf8)) as! [String: Any]
        #expect(shown["version"] as? Int == version + 1)
    }

    @Test func consoleStartsFromASnapshotAndWritesOneAsEventsArrive() throws {
        let s = Scratch()
        #expect(try Harness.run("qdeck", ["--journal", s.journal, "demo", "--events", "2000", "--no-console"],
                                env: ["QDECK_SNAPSHOT_EVERY": "500"]).status == 0)
        #expect(snapshots(s) == ["desk.journal.snapshot-2000"])
        let t = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal)", env: ["QDECK_SNAPSHOT_EVERY": "4"])
        #expect(try t.waitFor("● live"))
        try t.keys("/")
        try t.text("Arrived live")
        try t.keys("Enter")
        #expect(try t.waitFor("0 tickets · "))
        #expect(try t.waitFor("filter: Arrived live"))
        // Another agent adds tickets; the console folds them in and, four events on, writes a snapshot.
        for n in 0..<4 { _ = try s.newTicket("email", subject: "Arrived live \(n)") }
        #expect(try t.waitFor("4 tickets · ", within: 10))
        #expect(try Harness.eventually(within: 10) { snapshots(s).last == "desk.journal.snapshot-2004" }, "\(snapshots(s))")
        try t.keys("q")
        #expect(try t.waitFor("EXITED rc=0", within: 10))
        // What the console wrote is what a full replay folds.
        let r = try Harness.run("qdeck", ["--journal", s.journal, "stats", "--json"], env: Self.now)
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        #expect(r.stdout == (try out(s, ["stats", "--json", "--replay"])))
    }
}
