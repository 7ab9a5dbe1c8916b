import Foundation
import Testing

/// The console's daily loop with the real programs agents use: vim as the editor (driven by keys,
/// reading the terminal), tmux pastes, another process changing tickets meanwhile.
@Suite(.serialized) struct ConsoleEditorTmuxTests {
    static let vim = "vim -u NONE -N"

    func ticket(_ s: Scratch, _ id: String) throws -> [String: Any] { try s.json("show", id) as! [String: Any] }
    func messages(_ s: Scratch, _ id: String) throws -> [[String: Any]] { try ticket(s, id)["messages"] as! [[String: Any]] }
    func replies(_ s: Scratch, _ id: String) throws -> [String] {
        try messages(s, id).filter { $0["kind"] as? String == "reply" }.map { $0["body"] as! String }
    }

    /// A console on the scratch desk with vim as $VISUAL and drafts in the scratch folder.
    func console(_ s: Scratch, cols: Int = 160, rows: Int = 45, agent: String = "anna") throws -> Tmux {
        try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal)", cols: cols, rows: rows,
                 env: ["VISUAL": Self.vim, "EDITOR": "false", "XDG_STATE_HOME": s.dir + "/state", "QDECK_AGENT": agent])
    }

    /// A new ticket, a console on the desk, the ticket open in it.
    func consoleOnNewTicket(_ s: Scratch, _ channel: String, subject: String, body: String, cols: Int = 160, rows: Int = 45) throws -> (Tmux, String) {
        let id = try s.newTicket(channel, subject: subject, body: body)
        let t = try console(s, cols: cols, rows: rows)
        try t.waitFor(id)
        try open(t, id)
        return (t, id)
    }

    /// Does `step` until `text` shows (each try waits a second): for keys a program may drop.
    func untilSeen(_ t: Tmux, _ text: String, tries: Int = 5, _ step: () throws -> Void) throws {
        for _ in 0..<tries {
            try step()
            if try Harness.eventually(within: 1, { try t.screen().contains(text) }) { return }
        }
        Issue.record("'\(text)' never appeared\n\(try t.screen())")
    }

    /// Filters the list to `count` tickets and marks every one.
    func markAll(_ t: Tmux, filter: String, count: Int) throws {
        try t.keys("/")
        try t.text(filter)
        try t.keys("Enter")
        try t.waitFor("\(count) tickets · ")
        try t.keys("g")
        for _ in 0..<count { try t.keys("Space") }
        try t.waitFor("\(count) marked")
    }

    /// Filters the list down to one ticket and opens it.
    func open(_ t: Tmux, _ id: String) throws {
        try t.keys("/")
        try t.text(id)
        try t.keys("Enter")
        try t.waitFor("1 ticket · ")
        try t.keys("Enter")
        try t.waitFor("\(id)  ")  // the detail pane's title line
    }

    @Test func replyInVimArrivesWithTheQuoteAndWithoutTheCommentBlock() throws {
        let s = Scratch()
        let (t, id) = try consoleOnNewTicket(s, "email", subject: "Cannot log in", body: "Password rejected\nsince Monday")
        try t.keys("r")
        try t.waitFor("> Password rejected")
        try t.typeInVim("Hello {first_name}, it works again.")
        try t.waitFor("reply saved, mail on its way")
        let body = try replies(s, id).last ?? ""
        #expect(body.hasPrefix("Hello Ilze, it works again.\n\nOn "), "\(body)")
        #expect(body.contains("> Password rejected\n> since Monday"))
        #expect(!body.contains("#") && !body.contains(">8"), "the comment block was sent: \(body)")
        // Handed to the mail system from the console's own desk, off the key loop.
        #expect(try Harness.eventually(within: 5) { try s.qdeck("show", id).stdout.contains("handed to the mail system") })
        #expect(try s.qdeck("outbox").stdout.contains("outbox empty"))
        // The console is back: keys work, the terminal is the console's again.
        try t.keys("q", "q")
        try t.waitFor("EXITED rc=0")
    }

    @Test func ctrlCInTheEditorAndColonCqSendNothingAndTheConsoleGoesOn() throws {
        let s = Scratch()
        let (t, id) = try consoleOnNewTicket(s, "email", subject: "Refund", body: "Where is my money")
        try t.keys("r")
        try t.waitFor("> Where is my money")
        // Ctrl-C reaches vim (it leaves insert mode), not the console: had the console got the
        // SIGINT, it would quit as soon as vim returned.
        // vim drops the keys typed ahead of an interrupt: wait for it to leave insert mode, and
        // say a quit command again until it has been read.
        try t.keys("i")
        try t.waitFor("-- INSERT --")
        try t.text("not this")
        try t.keys("C-c")
        #expect(try t.waitUntilGone("-- INSERT --"), "vim never left insert mode")
        try untilSeen(t, "not saved: nothing sent") { try t.text(":q!"); try t.keys("Enter") }
        #expect(try replies(s, id).isEmpty)
        try t.keys("r")
        try t.waitFor("# ------------------------ >8")
        try t.keys("C-c")
        try untilSeen(t, "nothing sent") { try t.text(":cq"); try t.keys("Enter") }
        #expect(try replies(s, id).isEmpty)
        // Text written and saved, then :cq: not sent, kept as a draft that r opens again.
        try t.keys("r")
        try t.typeInVim("Half-written answer", save: ":w|cq")
        try t.waitFor("kept as a draft")
        #expect(try replies(s, id).isEmpty)
        try t.keys("r")
        try t.waitFor("Half-written answer")
        try t.waitFor("# ------------------------ >8")
        try t.text(":q")  // not saved: the console asks what to do with the unchanged draft
        try t.keys("Enter")
        try t.waitFor("s send it as it is · k keep as draft · d discard")
        try t.keys("k")
        try t.waitFor("kept as a draft")
        // The console still works: a resolve goes through.
        try t.keys("x")
        #expect(try Harness.eventually(within: 3) { try ticket(s, id)["status"] as? String == "resolved" })
    }

    /// The terminal closes while the editor has it: the console must stop, not spin on a dead
    /// terminal (it once stayed behind at 90 % CPU). What was saved stays a draft.
    @Test func closingTheTerminalDuringAnEditStopsTheConsole() throws {
        let s = Scratch()
        let (t, id) = try consoleOnNewTicket(s, "email", subject: "Hang up", body: "still there?")
        try t.keys("r")
        try t.waitFor("# ------------------------ >8")
        try t.keys("i")
        try t.text("Saved before the hang-up")
        try t.keys("Escape")
        try t.text(":w")
        try t.keys("Enter")
        let running = { shell("pgrep -f -- '[q]deck --journal \(s.journal)' >/dev/null") == 0 }
        #expect(running())
        try t.tmux(["kill-server"])
        let stopped = Harness.eventually(within: 10) { !running() }
        #expect(stopped, "qdeck still runs after its terminal closed")
        if !stopped { shell("pkill -KILL -f -- '[q]deck --journal \(s.journal)'") }
        #expect(try replies(s, id).isEmpty)
        let drafts = (try? FileManager.default.contentsOfDirectory(atPath: s.dir + "/state/qdeck/drafts")) ?? []
        #expect(drafts.contains { $0.hasSuffix(".reply") }, "the saved text is a draft: \(drafts)")
    }

    @Test func bracketedPasteIntoTheChatComposerIsOneMessageAndRunsNoCommand() throws {
        let s = Scratch()
        let (t, id) = try consoleOnNewTicket(s, "chat", subject: "Chat paste", body: "hi")
        try t.keys("r")
        try t.waitFor("── reply to \(id)")
        // Each line alone would be commands: P opens the priority picker, t the tags, x resolves.
        try t.paste("Please try this:\nP restart the app\nx then log in again")
        try t.waitFor("x then log in again")
        #expect(try !t.screen().contains("Priority"))
        try t.keys("Enter")
        try t.waitFor("reply sent")
        let info = try ticket(s, id)
        #expect(try replies(s, id) == ["Please try this:\nP restart the app\nx then log in again"])
        #expect(info["priority"] as? String == "normal")
        #expect(info["status"] as? String == "answered")
    }

    @Test func composerEditsLikeATextFieldAndAsksBeforeDiscarding() throws {
        let s = Scratch()
        let (t, id) = try consoleOnNewTicket(s, "chat", subject: "Chat keys", body: "hello?", cols: 80, rows: 24)
        try t.keys("r")
        try t.text("Hello there friend")
        try t.keys("C-w")            // deletes "friend"
        try t.keys("Left", "Left")   // before the last "e"
        try t.text("XY")
        try t.keys("Escape")
        try t.waitFor("d discard it · k keep as draft")
        try t.keys("c")              // back to typing, text intact
        try t.keys("End")
        try t.text("!")
        try t.keys("Enter")
        try t.waitFor("reply sent")
        #expect(try replies(s, id) == ["Hello therXYe !"])
    }

    @Test func longConversationOpensAtTheNewestMessageAndScrollsToTheFirstAt80x24() throws {
        let s = Scratch()
        let id = try s.newTicket("email", subject: "Long thread", body: "message 01 first of all")
        for i in 2...40 {
            #expect(try s.qdeck("inbound", id, "--body", String(format: "message %02d from the customer", i)).status == 0)
        }
        let t = try console(s, cols: 80, rows: 24)
        try t.waitFor(id)
        try open(t, id)
        try t.waitFor("message 40 from the customer")
        #expect(try !t.screen().contains("message 01"))
        // The selected row stays in view.
        #expect(try t.screen().contains(id))
        // Scroll back a page at a time until the first message shows.
        let reached = try Harness.eventually(within: 10) {
            try t.keys("PPage")
            return try t.screen().contains("message 01 first of all")
        }
        #expect(reached, "PgUp never reached the first message")
        try t.keys(">")
        try t.waitFor("message 40 from the customer")
        // Help at 80×24 reaches its last binding.
        try t.keys("?")
        try t.waitFor("more below")
        try t.keys("G")
        try t.waitFor("delete to the start of the line")
        try t.waitFor("· end")
        try t.keys("q")
        #expect(try t.waitUntilGone("· end"), "help did not close")
    }

    @Test func replyIsSentOverATagChangeAndOfferedBackWhenTheCustomerWrites() throws {
        let s = Scratch()
        let (t, id) = try consoleOnNewTicket(s, "email", subject: "Drafts", body: "first question")
        // A teammate tags the ticket while anna writes: the reply goes out on the new version.
        try t.keys("r")
        try t.waitFor("# ------------------------ >8")
        #expect(try s.qdeck("tag", id, "+billing", env: ["QDECK_AGENT": "maria"]).status == 0)
        try t.typeInVim("Answer one")
        try t.waitFor("reply saved, mail on its way")
        #expect(try replies(s, id).last?.hasPrefix("Answer one") == true)
        #expect(try (ticket(s, id)["tags"] as? [String]) == ["billing"])

        // The customer writes while anna writes: she sees it and chooses; her text is intact.
        try t.keys("r")
        try t.waitFor("# ------------------------ >8")
        #expect(try s.qdeck("inbound", id, "--body", "and a second question").status == 0)
        try t.typeInVim("Answer two, carefully worded")
        try t.waitFor("wrote on \(id)")
        try t.waitFor("and a second question")
        #expect(try replies(s, id).count == 1)
        try t.keys("k")
        try t.waitFor("kept as a draft")
        try t.keys("r")
        try t.waitFor("Answer two, carefully worded")
        try t.waitFor("# ------------------------ >8")
        try t.keys("g", "g", "A")
        try t.text(" Both answered.")
        try t.keys("Escape")
        try t.text(":wq")
        try t.keys("Enter")
        try t.waitFor("reply saved, mail on its way")
        #expect(try replies(s, id).last?.hasPrefix("Answer two, carefully worded Both answered.") == true)
        // Sent: the draft is gone.
        let drafts = (try? FileManager.default.contentsOfDirectory(atPath: s.dir + "/state/qdeck/drafts")) ?? []
        #expect(drafts.isEmpty, "\(drafts)")
    }

    @Test func replyAndReassignOnThreeMarkedTicketsWithOneRefusal() throws {
        let s = Scratch()
        let a = try s.newTicket("email", subject: "Marked one", customer: "Ilze Bērziņa <ilze@inbox.lv>")
        let b = try s.newTicket("email", subject: "Marked two", customer: "Jonas Petraitis <jonas@example.lt>")
        let c = try s.newTicket("email", subject: "Marked three", customer: "Eglė Butkutė <egle@gmail.com>")
        // Maria owns the third: anna, an agent, may not reassign it.
        #expect(try s.qdeck("claim", c, env: ["QDECK_AGENT": "maria"]).status == 0)
        let t = try console(s)
        try markAll(t, filter: "Marked", count: 3)
        // Reassign: the refusal is said before the picker, and per ticket after.
        try t.keys("a")
        try t.waitFor("2 of 3 can be changed; \(c) refused")
        try t.waitFor("Reassign 2 tickets to")
        try t.text("jonas")
        try t.keys("Enter")
        try t.waitFor("Reason")
        try t.keys("Enter")
        try t.waitFor("2 of 3 reassigned to jonas; \(c) refused: anna may only reassign")
        #expect(try ticket(s, a)["assignee"] as? String == "jonas")
        #expect(try ticket(s, b)["assignee"] as? String == "jonas")
        #expect(try ticket(s, c)["assignee"] as? String == "maria")
        // The refused one stays marked; mark the other two again and reply to all three.
        try t.waitFor("1 marked")
        try t.keys("g", "Space", "Space")
        try t.waitFor("3 marked")
        try t.keys("r")
        try t.waitFor("to 3 tickets, each sent on its own")
        try t.typeInVim("Dear {first_name}, we are on it.")
        try t.waitFor("reply saved, mail on its way to 3 tickets")
        #expect(try replies(s, a) == ["Dear Ilze, we are on it."])
        #expect(try replies(s, b) == ["Dear Jonas, we are on it."])
        #expect(try replies(s, c) == ["Dear Eglė, we are on it."])
    }

    /// A reply to three marked tickets, one of them closed: refused before the editor opens, and
    /// each outcome said after; the two others get their own mail.
    @Test func replyToThreeMarkedTicketsWithOneRefusal() throws {
        let s = Scratch()
        let a = try s.newTicket("email", subject: "Bulk one", customer: "Ilze Bērziņa <ilze@inbox.lv>")
        let b = try s.newTicket("email", subject: "Bulk two", customer: "Jonas Petraitis <jonas@example.lt>")
        // Resolved weeks ago: closed now, so a reply is refused (a customer message would start a new ticket).
        let old = ["QDECK_NOW": "2026-10-01T10:00:00Z"]
        let r = try Harness.run("qdeck", ["--journal", s.journal, "new", "email", "--customer", "Eglė Butkutė <egle@gmail.com>",
                                          "--subject", "Bulk closed", "--body", "old"], env: old)
        let c = r.lastLine
        #expect(try s.qdeck("resolve", c, env: ["QDECK_NOW": "2026-10-01T11:00:00Z"]).status == 0)
        let t = try console(s)
        try markAll(t, filter: "Bulk status:new,closed", count: 3)
        try t.keys("r")
        try t.waitFor("to 2 tickets, each sent on its own")
        try t.typeInVim("Dear {first_name}, done.")
        try t.waitFor("reply saved, mail on its way to 2 of 3; \(c) refused: cannot reply to ticket \(c): it is closed")
        #expect(try replies(s, a) == ["Dear Ilze, done."])
        #expect(try replies(s, b) == ["Dear Jonas, done."])
        #expect(try replies(s, c).isEmpty)
        try t.waitFor("1 marked")  // the refused one stays marked
    }
}
