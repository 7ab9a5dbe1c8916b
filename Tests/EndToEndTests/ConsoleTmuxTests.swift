import Foundation
import Testing

/// The real console in a real terminal (tmux), as an agent uses it.
@Suite(.serialized) struct ConsoleTmuxTests {
    func statusOf(_ s: Scratch, _ id: String) throws -> [String: Any] { try s.json("show", id) as! [String: Any] }

    @Test func agentWorksTheDemoQueue() throws {
        let s = Scratch()
        #expect(try Harness.run("qdeck", ["demo", "--journal", s.journal, "--no-console", "--tickets", "120"]).status == 0)
        let id = try s.newTicket("email", subject: "Tmux flow ticket", customer: "Eglė Butkutė <egle@gmail.com>")
        // A real editor that reads the terminal, driven by keys.
        let t = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal)", env: ["VISUAL": "vim -u NONE -N", "XDG_STATE_HOME": s.dir + "/state"])
        try t.waitFor("1 All")
        try t.waitFor("● live")

        // Switch queues.
        try t.keys("3")
        #expect(try Harness.eventually(within: 3) { try t.screen().split(separator: "\n").dropFirst(3).prefix(5).allSatisfy { $0.contains("☎") || $0.trimmingCharacters(in: .whitespaces).isEmpty } })
        try t.keys("Tab")
        try t.waitFor("filter: none")
        try t.keys("1")

        // Filter down to our ticket, open it.
        try t.keys("/")
        try t.text("Tmux flow")
        try t.keys("Enter")
        try t.waitFor("1 ticket · ")
        try t.waitFor("filter: Tmux flow")
        try t.keys("Enter")
        try t.waitFor("── conversation (")
        try t.waitFor("Eglė Butkutė")

        // Reply through the editor.
        try t.keys("r")
        try t.typeInVim("Thanks, it is fixed now.")
        try t.waitFor("reply saved; this desk sends no mail")  // a demo desk never mails its invented customers
        #expect(try statusOf(s, id)["status"] as? String == "answered")
        #expect(((try statusOf(s, id)["messages"] as! [[String: Any]]).last!["body"] as? String)?.hasPrefix("Thanks, it is fixed now.\n\nOn ") == true)

        // Reassign with the picker (type-ahead) and a reason.
        try t.keys("a")
        try t.waitFor("Reassign")
        try t.text("jonas")
        try t.keys("Enter")
        try t.waitFor("Reason")
        try t.text("needs L2")
        try t.keys("Enter")
        #expect(try Harness.eventually(within: 3) { try statusOf(s, id)["assignee"] as? String == "jonas" })

        // Postpone, resolve, then find it among resolved tickets and reopen it.
        try t.keys("p")
        try t.waitFor("until (2h, tomorrow 9:00")
        try t.text("2h")
        try t.keys("Enter")
        #expect(try Harness.eventually(within: 3) { try statusOf(s, id)["status"] as? String == "postponed" })
        try t.keys("x")
        #expect(try Harness.eventually(within: 3) { try statusOf(s, id)["status"] as? String == "resolved" })
        try t.keys("/")
        try t.keys("C-u")  // clears the line
        try t.text("Tmux flow status:resolved")
        try t.keys("Enter")
        try t.waitFor(id)
        try t.keys("X")
        #expect(try Harness.eventually(within: 3) { try statusOf(s, id)["status"] as? String == "open" })

        // Quit: back out of the detail, then leave; the terminal is restored.
        try t.keys("q", "q")
        try t.waitFor("EXITED rc=0")
        #expect(try t.display("#{alternate_on}") == "0")
        let history = (try statusOf(s, id)["history"] as! [[String: Any]]).map { "\($0["actor"]!): \($0["change"]!)" }
        #expect(history.contains { $0.hasPrefix("anna: reassigned: assignee none → jonas") && $0.hasSuffix("(needs L2)") }, "\(history)")
    }

    @Test func twoConsolesSeeEachOtherWithinASecond() throws {
        let s = Scratch()
        let id = try s.newTicket("chat", subject: "Shared ticket", customer: "Jānis <janis@inbox.lv>")
        let anna = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal)", env: ["QDECK_AGENT": "anna"])
        let maria = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal)", env: ["QDECK_AGENT": "maria"])
        try anna.waitFor(id)
        try maria.waitFor(id)
        // Anna claims it: Maria's screen shows the assignee.
        let row = { (t: Tmux) throws -> String in try t.screen().split(separator: "\n").first { $0.contains(id) }.map(String.init) ?? "" }
        #expect(try !row(maria).contains("anna"))
        try anna.keys("c")
        let t0 = Date()
        #expect(try Harness.eventually(within: 1.0) { try row(maria).contains("anna") }, "maria did not see anna's claim within 1 s")
        let seenAfter = Date().timeIntervalSince(t0)
        // Maria opens it and anna replies from the command line: Maria's flash line says who.
        try maria.keys("Enter")
        try maria.waitFor("── conversation (")
        #expect(try Harness.run("qdeck", ["--journal", s.journal, "reply", id, "--body", "On it"], env: ["QDECK_AGENT": "anna"]).status == 0)
        try maria.waitFor("anna replied to \(id)", within: 1.0)
        // A new ticket appears on both without a key press.
        let fresh = try s.newTicket("email", subject: "Arrived while watching")
        try anna.waitFor(fresh, within: 1.0)
        try maria.waitFor(fresh, within: 1.0)
        print("claim seen by the other console after \(Int(seenAfter * 1000)) ms")
    }

    @Test func hostileSubjectCannotTakeOverTheTerminal() throws {
        let s = Scratch()
        _ = try s.newTicket(subject: "Hello \u{1B}]0;PWNED\u{07} and \u{1B}[2J cleared?", body: "\u{1B}]2;PWNED-TOO\u{07}body")
        let t = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal)")
        try t.waitFor("␛]0;PWNED␇")
        try t.keys("Enter")
        try t.waitFor("PWNED-TOO")
        let title = try t.display("#{pane_title}")
        #expect(!title.contains("PWNED"), "title changed to \(title)")
        let screen = try t.screen()
        #expect(screen.contains("1 All"))  // not cleared
        #expect(screen.contains("␛[2J"))
    }

    @Test func resizeDownAndBack() throws {
        let s = Scratch()
        let id = try s.newTicket(subject: "Resize me")
        let t = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal)")
        try t.waitFor(id)
        try t.keys("Enter")
        try t.waitFor("── conversation (")
        try t.resize(cols: 50, rows: 14)
        try t.waitFor("1 All")
        #expect(try Harness.eventually(within: 3) { try t.screen().split(separator: "\n").allSatisfy { $0.count <= 50 } })
        try t.resize(cols: 40, rows: 10)
        try t.waitFor("Terminal too small")
        try t.resize(cols: 300, rows: 80)
        try t.waitFor("── conversation (")
        try t.resize(cols: 160, rows: 45)
        try t.waitFor("── conversation (")
        try t.waitFor(id)
        try t.keys("q", "q")
        try t.waitFor("EXITED rc=0")
    }

    @Test func sigtermAndCtrlCRestoreTheTerminal() throws {
        let s = Scratch()
        _ = try s.newTicket(subject: "Signals")
        let t = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal)")
        try t.waitFor("Signals")
        #expect(try t.display("#{alternate_on}") == "1")
        try t.keys("C-c")
        try t.waitFor("EXITED")
        #expect(try t.display("#{alternate_on}") == "0")

        let t2 = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal) console")
        try t2.waitFor("Signals")
        shell("pkill -TERM -f '^\(Harness.binDir)/qdeck --journal \(s.journal) console'")
        try t2.waitFor("EXITED")
        #expect(try t2.display("#{alternate_on}") == "0")
    }

    @Test func ctrlZSuspendsAndFgRestores() throws {
        let s = Scratch()
        _ = try s.newTicket(subject: "Suspend me")
        let t = try Tmux("bash --norc -i")
        try t.waitFor("#")
        try t.text("\(Harness.binDir)/qdeck --journal \(s.journal)")
        try t.keys("Enter")
        try t.waitFor("Suspend me")
        try t.keys("C-z")
        try t.waitFor("Stopped")
        #expect(try t.display("#{alternate_on}") == "0")
        try t.text("fg")
        try t.keys("Enter")
        try t.waitFor("1 All")
        #expect(try t.display("#{alternate_on}") == "1")
        try t.keys("q")
        #expect(try Harness.eventually(within: 3) { try t.display("#{alternate_on}") == "0" })
    }

    @Test func noColorStillReadsAndNoTerminalIsAClearError() throws {
        let s = Scratch()
        _ = try s.newTicket(subject: "Plain")
        let t = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal)", env: ["NO_COLOR": "1"])
        try t.waitFor("Plain")
        let coloured = try t.tmux(["capture-pane", "-t", "T", "-p", "-e"])
        #expect(!coloured.contains("\u{1B}[31m") && !coloured.contains("\u{1B}[32m") && !coloured.contains("\u{1B}[33m"))
        #expect(coloured.contains("●") || coloured.contains("▲") || coloured.contains("✖"))

        let r = try Harness.run("qdeck", ["--journal", s.journal, "console"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("needs a terminal"))
    }
}
