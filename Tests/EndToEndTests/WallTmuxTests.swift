import Foundation
import Testing

/// The wall in a real terminal (tmux), as a supervisor puts it on a screen.
@Suite(.serialized) struct WallTmuxTests {
    @Test func wallFollowsTheDeskAndCannotChangeIt() throws {
        let s = Scratch()
        #expect(try Harness.run("qdeck", ["demo", "--journal", s.journal, "--no-console", "--tickets", "150"]).status == 0)
        let t = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal) wall", cols: 160, rows: 45, env: ["QDECK_AGENT": "wall"])
        try t.waitFor("● LIVE")
        for name in ["EMAIL waiting", "CALL waiting", "CHAT waiting", "AGENTS", "BACKLOG"] { try t.waitFor(name) }
        let before = try #require(try t.wallBacklog())

        // A new call reaches the board within a second of being durable.
        _ = try s.newTicket("call", subject: "Line dead", customer: "+371 2000 0000")
        let stored = Date()
        let seen = try Harness.eventually(within: 5) { try t.wallBacklog() == before + 1 }
        let delay = Date().timeIntervalSince(stored)
        #expect(seen)
        #expect(delay < 1.0, "the wall took \(delay) s to show a new ticket")
        print("wall: a new ticket was on screen \(Int(delay * 1000)) ms after it was durable")

        // Every mutating key of the agent console does nothing here: the journal does not grow.
        let size = try FileManager.default.attributesOfItem(atPath: s.journal)[.size] as! Int
        for k in ["r", "n", "a", "c", "N", "x", "X", "P", "t", ":", "Enter", "j", "/", "Enter"] { try t.keys(k) }
        usleep(600_000)
        #expect(try FileManager.default.attributesOfItem(atPath: s.journal)[.size] as! Int == size)
        #expect(try t.screen().contains("● LIVE"))

        // Its own keys: layouts, help, pause.
        try t.keys("l")
        try t.waitFor("· channels")
        try t.keys("l")
        try t.waitFor("· agents")
        try t.keys("?")
        try t.waitFor("Wall keys")
        try t.waitFor("read-only")
        try t.keys("x")  // any key closes the help
        #expect(try t.waitUntilGone("Wall keys"))
        try t.keys("p")
        try t.waitFor("PAUSED")
        try t.keys("p")
        #expect(try t.waitUntilGone("PAUSED"))

        // Resizes from a wall display down to a small window, every layout drawn at each size.
        for (cols, rows) in [(300, 80), (200, 60), (120, 40), (80, 24), (60, 16), (40, 12)] {
            try t.resize(cols: cols, rows: rows)
            try t.keys("l")
            #expect(try Harness.eventually(within: 3) { try t.display("#{window_width}x#{window_height}") == "\(cols)x\(rows)" })
            try t.waitFor("LIVE", "at \(cols)x\(rows)")
        }
        // Whatever layout it is on now, the channels come round within four presses.
        #expect(try Harness.eventually(within: 5) {
            if try t.screen().contains("CALL") { return true }
            try t.keys("l")
            usleep(300_000)
            return false
        })
        try t.keys("q")
        try t.waitFor("EXITED rc=0")
    }

    @Test func timeTravelShowsAnEarlierMoment() throws {
        let s = Scratch()
        let env = ["QDECK_NOW": "2026-11-24T10:00:00Z"]
        _ = try Harness.run("qdeck", ["--journal", s.journal, "new", "email", "--customer", "a@b.lv", "--subject", "first"], env: env)
        let later = ["QDECK_NOW": "2026-11-24T11:00:00Z"]
        for i in 0..<3 { _ = try Harness.run("qdeck", ["--journal", s.journal, "new", "chat", "--customer", "c\(i)@b.lv", "--subject", "later \(i)"], env: later) }
        let t = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal) wall --at '2026-11-24 10:30' --layout backlog", cols: 120, rows: 40,
                         env: ["QDECK_NOW": "2026-11-24T12:00:00Z"])
        try t.waitFor("AS IT STOOD AT 2026-11-24 10:30:00")
        try t.waitFor("BACKLOG 1 ")
        try t.keys("q")
        try t.waitFor("EXITED rc=0")

        // Replay from 10:59 at 600x: the three chats arrive on the board as time plays.
        let r = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal) wall --replay '2026-11-24 10:59' --speed 600x --layout backlog",
                         cols: 120, rows: 40, env: ["QDECK_NOW": "2026-11-24T12:00:00Z"])
        try r.waitFor("REPLAY ×600")
        try r.waitFor("BACKLOG 4 ", within: 8)
        try r.keys("q")
        try r.waitFor("EXITED rc=0")
    }
}
