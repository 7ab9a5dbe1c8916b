import Foundation
import Testing

/// The wall runs for days: while 100,000 events stream into the journal, its memory must track the
/// data it holds, not grow with the time it has been following.
@Suite(.serialized) struct WallSoakTests {
    /// Resident memory of a process, in MiB.
    static func rssMiB(_ pid: Int32) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kb / 1024
    }

    /// The qdeck process running under a tmux pane (the pane runs a shell that runs it).
    static func qdeckPID(under pane: Int32) -> Int32? {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == pane, stat.contains("(qdeck)") { return pid }
        }
        return nil
    }

    /// The bound, documented in docs/PERFORMANCE.md: following 100,000 events may cost at most 25 %
    /// (plus 32 MiB of allocator slack) more than a fresh wall loading the same journal, and 512 MiB in all.
    @Test func memoryTracksTheDataNotTheUptime() throws {
        let s = Scratch()
        #expect(try Harness.run("qdeck", ["demo", "--journal", s.journal, "--no-console", "--tickets", "100"]).status == 0)
        let t = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal) wall", cols: 200, rows: 60, env: ["QDECK_AGENT": "wall"])
        try t.waitFor("● LIVE")
        let pane = try #require(Int32(try t.display("#{pane_pid}")))
        let pid = try #require(Self.qdeckPID(under: pane))
        let start = try #require(Self.rssMiB(pid))
        let before = try #require(try t.wallBacklog())

        let writer = try Harness.run("qdeck-bench", ["soak-writer", s.journal, "100000", "500"])
        #expect(writer.status == 0, "\(writer.stderr)")
        #expect(writer.lastLine == "appended 100000")
        // The writer's tickets: 1 in 2 left unresolved; the wall has them all once it shows that backlog.
        let expected = try s.json("stats") as! [String: Any]
        let backlog = (expected["backlog"] as! [String: Any])["count"] as! Int
        #expect(backlog > before)
        #expect(try Harness.eventually(within: 60) { try t.wallBacklog() == backlog }, "the wall never caught up")
        usleep(3_000_000)  // a few ticks more
        let following = try #require(Self.rssMiB(pid))

        let fresh = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal) wall", cols: 200, rows: 60, env: ["QDECK_AGENT": "wall"])
        try fresh.waitFor("BACKLOG \(backlog) ", within: 30)
        usleep(3_000_000)
        let freshPane = try #require(Int32(try fresh.display("#{pane_pid}")))
        let freshPID = try #require(Self.qdeckPID(under: freshPane))
        let loaded = try #require(Self.rssMiB(freshPID))
        print(String(format: "wall soak: RSS %.0f MiB at start, %.0f MiB after following 100,000 events; a fresh wall on the same journal: %.0f MiB",
                     start, following, loaded))
        #expect(following <= loaded * 1.25 + 32, "following grew beyond loading the same data")
        #expect(following <= 512)
        try t.keys("q")
        try t.waitFor("EXITED rc=0")
    }
}
