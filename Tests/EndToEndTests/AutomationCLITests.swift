import Foundation
import Testing

/// Rules, time rules and distribution driven as a desk would run them (README: Automation): mail
/// through `ingest mail`, replies through a sendmail that keeps what it gets, `qdeck automate`
/// running beside the desk.
@Suite struct AutomationCLITests {
    /// The built-in desk with the issue's rules (`extra`: more rules, indented as list items),
    /// business hours round the clock (the SLA clock runs whenever the test does) and the desk's address.
    static func team(_ s: Scratch, firstResponse: String = "8h", atRisk: Int = 50, extra: String = "", sections: String = "") throws -> String {
        let path = s.dir + "/rules.yaml"
        let text = """
            business_hours: { mon: 24h, tue: 24h, wed: 24h, thu: 24h, fri: 24h, sat: 24h, sun: 24h }
            holidays: []
            intake:
              address: "Acme Support <support@acme.example>"
            sla:
              at_risk: \(atRisk)%
              default: { first_response: \(firstResponse), next_response: 8h, resolution: 3d }
            canned_responses:
              - { name: received, text: "Dear {first_name}, we have your message as {ticket} and will answer soon." }
            rules:
              - name: refunds to billing
                on: created
                if: "channel:email refund"
                then: { department: billing, priority: high, tags: [+refund] }
              - name: acknowledge email
                on: created
                if: "channel:email"
                then: { reply: received }
              - name: escalate at risk
                on: time
                if: "sla:at-risk -tag:escalated"
                then: { tags: [+escalated], department: escalations, notify: supervisors }
            \(extra)
            distribution:
              billing: { mode: least-loaded, capacity: { email: 20, chat: 3, call: 1 } }
            \(sections)
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// One more time rule for `team(extra:)`.
    static func timeRule(_ name: String, if condition: String, then actions: String) -> String {
        "  - name: \(name)\n    on: time\n    if: \"\(condition)\"\n    then: \(actions)"
    }

    static func sendmail(_ s: Scratch) -> String { IntakeCLITests.fakeSendmail(s) }

    static func sent(_ s: Scratch) -> [String] {
        let all = (try? String(contentsOfFile: s.dir + "/sent.mbox", encoding: .utf8)) ?? ""
        return all.components(separatedBy: "=====\n").filter { !$0.isEmpty }
    }

    static func mail(id: String, from: String, subject: String, body: String, headers: String = "") -> String {
        "From: \(from)\nTo: support@acme.example\nSubject: \(subject)\nMessage-ID: <\(id)>\nDate: Tue, 01 Dec 2026 09:00:00 +0000\n\(headers)\n\(body)\n"
    }

    static func dump(_ s: Scratch, env: [String: String]) throws -> [[String: Any]] {
        let r = try s.qdeck("log", "dump", env: env)
        return r.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test(arguments: JournalKind.available)
    func aMailIsRoutedAcknowledgedAndAssignedInTheBatchThatStoresIt(kind: JournalKind) throws {
        let s = Scratch(kind)
        let config = try Self.team(s)
        let env = ["QDECK_CONFIG": config, "QDECK_SENDMAIL": Self.sendmail(s)]
        // A first message makes the desk; then anna (in billing) is available.
        _ = try s.qdeck("ingest", "mail", env: env, stdin: Self.mail(id: "h1@x.example", from: "hello@x.example", subject: "Hello", body: "Hi"))
        #expect(try s.qdeck("presence", "available", env: env).status == 0)

        let stored = try s.qdeck("ingest", "mail", "--queue", "support", env: env, stdin: Self.mail(id: "r1@inbox.lv", from: "Ilze Bērziņa <ilze@inbox.lv>",
                                                                                  subject: "Refund for order 17", body: "Please refund me."))
        #expect(stored.status == 0, "\(stored.stderr)")
        let list = try #require(try s.json("list", "--all", "refund") as? [[String: Any]])
        let t = try #require(list.first)
        let id = try #require(t["id"] as? String)
        #expect(t["department"] as? String == "billing" && t["priority"] as? String == "high" && t["assignee"] as? String == "anna", "\(t)")
        #expect(t["tags"] as? [String] == ["refund"] && t["queue"] as? String == "support")
        #expect((try s.json("list", "queue:support") as? [[String: Any]])?.count == 1)
        // The acknowledgement went to the customer through sendmail, and is no answer: the ticket still waits.
        let mails = Self.sent(s)
        #expect(mails.count == 2 && mails[1].contains("ilze@inbox.lv") && mails[1].contains("we have your message as \(id)"), "\(mails)")
        // Marked automatic (RFC 3834), so robots and other desks leave it unanswered.
        #expect(mails[1].contains("Auto-Submitted: auto-replied\n") && mails[1].contains("X-Auto-Response-Suppress: All\n"))
        #expect(t["status"] as? String == "new")

        // One batch: the ticket and everything the rules did, at the same moment, in consecutive places.
        let events = try Self.dump(s, env: env).filter { $0["ticket"] as? String == id }
        let seqs = events.compactMap { $0["seq"] as? Int }
        // The batch ends where the hand-over to sendmail, a later append, begins.
        let handing = try #require(events.firstIndex { ($0["type"] as? String) == "delivery" && ($0["step"] as? String) == "handing over" })
        let batch = Array(events[..<handing])
        #expect(Set(batch.compactMap { $0["at"] as? String }).count == 1)
        #expect(seqs.prefix(batch.count) == ArraySlice(seqs[0]..<(seqs[0] + batch.count)), "\(seqs)")
        let actors = Set(batch.compactMap { $0["actor"] as? String })
        #expect(actors.isSuperset(of: ["rules (refunds to billing)", "rules (acknowledge email)", "rules (distribution)"]), "\(actors)")
        let show = try s.qdeck("show", id, env: env)
        #expect(show.stdout.contains("rules (refunds to billing): reassigned: department none → billing"), "\(show.stdout)")

        // The customer's mail system answers the acknowledgement: held with the ticket, not acknowledged again.
        let away = try s.qdeck("ingest", "mail", env: env, stdin: Self.mail(id: "ooo1@inbox.lv", from: "ilze@inbox.lv", subject: "Out of office: Re: [\(id)]",
                                                                                body: "I am away.", headers: "Auto-Submitted: auto-replied\n"))
        #expect(away.status == 0 && away.stdout.contains("attached to \(id)"), "\(away.stdout)")
        // A robot that writes in: a ticket, never an answer.
        let robot = try s.qdeck("ingest", "mail", env: env, stdin: Self.mail(id: "n1@shop.example", from: "Shop <noreply@shop.example>",
                                                                                 subject: "Your order has shipped", body: "Tracking: 1"))
        #expect(robot.status == 0)
        // A newsletter (List-Unsubscribe): a ticket tagged bulk, never answered.
        let news = try s.qdeck("ingest", "mail", env: env, stdin: Self.mail(id: "nl1@shop.example", from: "Shop News <news@shop.example>",
                                                                                subject: "November offers", body: "Buy", headers: "List-Unsubscribe: <mailto:u@shop.example>\n"))
        #expect(news.status == 0)
        #expect((try s.json("list", "tag:bulk") as? [[String: Any]])?.count == 1)
        // The same customer again within the period: routed, not acknowledged twice.
        _ = try s.qdeck("ingest", "mail", env: env, stdin: Self.mail(id: "r2@inbox.lv", from: "ilze@inbox.lv", subject: "Another refund", body: "And this one."))
        #expect(Self.sent(s).count == 2, "\(Self.sent(s))")
        #expect((try s.json("list", "--all") as? [[String: Any]])?.count == 5)
    }

    /// A desk with the rules, a recording sendmail, and an empty Maildir beside it.
    static func maildirDesk(_ s: Scratch) throws -> (config: String, env: [String: String], maildir: String) {
        let config = try team(s)
        let md = s.dir + "/Maildir"
        for sub in ["cur", "new", "tmp"] { try FileManager.default.createDirectory(atPath: md + "/" + sub, withIntermediateDirectories: true) }
        return (config, ["QDECK_CONFIG": config, "QDECK_SENDMAIL": sendmail(s)], md)
    }

    /// History brought in is routed like live mail and never answered: an old mailbox of 1,000
    /// messages imported sends nothing.
    @Test func aMaildirImportOfAThousandOldMessagesSendsNothing() throws {
        let s = Scratch()
        let (_, env, md) = try Self.maildirDesk(s)
        for i in 0..<1000 {
            let text = Self.mail(id: "old\(i)@customers.example", from: "Customer \(i) <c\(i)@customers.example>",
                                 subject: i % 2 == 0 ? "Refund \(i)" : "Question \(i)", body: "Message \(i)")
            try text.write(toFile: "\(md)/cur/\(1_700_000_000 + i).M\(i)P1.host:2,S", atomically: false, encoding: .utf8)
        }
        let r = try s.qdeck("ingest", "maildir", md, env: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.sent(s).isEmpty)
        let outbox = try s.qdeck("outbox", env: env)
        #expect(outbox.stdout.contains("empty") || !outbox.stdout.contains("<qdeck."), "\(outbox.stdout)")
        let billing = try #require(try s.json("list", "--all", "dept:billing", "tag:refund") as? [[String: Any]])
        #expect(billing.count == 500)
    }

    /// A review: a Maildir watcher (a hosted mailbox) queued acknowledgements and never sent them,
    /// and queued one for mail read on the server long before. New mail is acknowledged at once;
    /// mail the fetcher brought already seen is routed and never answered.
    @Test func aMaildirWatcherAcknowledgesNewMailOnly() throws {
        let s = Scratch()
        let (config, env, md) = try Self.maildirDesk(s)
        try Self.mail(id: "old@x.example", from: "Olga <olga@x.example>", subject: "Refund from last month", body: "old")
            .write(toFile: md + "/cur/1700000000.M1P1.host:2,S", atomically: false, encoding: .utf8)
        _ = try s.newTicket(subject: "Desk exists", customer: "first@x.example", extra: ["--config", config])
        let watcher = try s.background(["ingest", "maildir", md, "--watch"], env: env.merging(["QDECK_AGENT": "nobody"]) { $1 })
        defer { watcher.stop() }
        try Self.mail(id: "new@x.example", from: "Nora <nora@x.example>", subject: "Refund please", body: "new")
            .write(toFile: md + "/new/1800000000.M2P2.host", atomically: false, encoding: .utf8)
        #expect(Harness.eventually(within: 20) { ((try? s.json("list", "--all", "tag:refund") as? [[String: Any]]) ?? []).count == 2 }, "\(watcher.output())")
        #expect(Harness.eventually(within: 10) { Self.sent(s).count == 1 }, "\(watcher.output())")
        #expect(Self.sent(s).first?.contains("nora@x.example") == true && Self.sent(s).allSatisfy { !$0.contains("olga@") })
        let outbox = try s.qdeck("outbox", env: env)
        #expect(!outbox.stdout.contains("queued"), "\(outbox.stdout)")
    }

    /// `qdeck automate --follow` beside the desk: an at-risk ticket is escalated within a minute of
    /// turning at risk (it wakes every minute), and the supervisors are asked to look.
    @Test(arguments: JournalKind.available)
    func automateFollowEscalatesWithinAMinuteOfTurning(kind: JournalKind) throws {
        let s = Scratch(kind)
        let config = try Self.team(s, firstResponse: "2m", atRisk: 90)  // at_risk 90%: at risk after 12 s, for 108 s
        let env = ["QDECK_CONFIG": config]
        let id = try s.newTicket(subject: "Printer on fire", extra: ["--config", config])
        let created = Date()
        let runner = try s.background(["automate", "--follow"], env: env.merging(["QDECK_AGENT": "nobody"]) { $1 })
        defer { runner.stop() }
        let turned = created.addingTimeInterval(12)
        let escalated = Harness.eventually(within: 90) {
            (try? s.qdeck("show", id, "--json", env: env).stdout.contains("escalated")) ?? false
        }
        #expect(escalated, "\(runner.output())")
        let lag = Date().timeIntervalSince(turned)
        #expect(lag <= 62, "escalated \(Int(lag)) s after turning at risk")
        let show = try s.qdeck("show", id, env: env)
        let notified = show.stdout.split(separator: "\n").first { $0.contains("rules (escalate at risk): notified") } ?? ""
        #expect(notified.contains("lea") && notified.contains("admin") && !notified.contains("anna"), "\(show.stdout)")
        #expect(show.stdout.contains("department none → escalations"), "\(show.stdout)")
        #expect(runner.output().contains("rules (escalate at risk) \(id)"))
    }

    /// Two runners on one journal: one acts, the other waits and takes over when the first stops;
    /// no ticket is handed out twice.
    @Test(arguments: JournalKind.available)
    func twoRunnersNeverAssignATicketTwice(kind: JournalKind) throws {
        let s = Scratch(kind)
        let config = try Self.team(s)
        let env = ["QDECK_CONFIG": config]
        let intake = env.merging(["QDECK_AGENT": "nobody"]) { $1 }
        var ids = [try s.newTicket(subject: "Refund first", customer: "first@x.example", extra: ["--config", config])]
        let first = try s.background(["automate", "--follow", "--interval", "1"], env: intake)
        defer { first.stop() }
        #expect(Harness.eventually(within: 20) { first.output().contains("automate running on") }, "\(first.output())")
        let second = try s.background(["automate", "--follow", "--interval", "1"], env: intake)
        defer { second.stop() }
        #expect(Harness.eventually(within: 20) { second.output().contains("waiting to take over") }, "\(second.output())")
        let once = try s.qdeck("automate", env: intake)
        #expect(once.status == 75 && once.stderr.contains("another qdeck automate is running"), "\(once.stderr)")

        // Tickets waiting in billing while nobody is available; then two agents come.
        for i in 1..<6 { ids.append(try s.newTicket(subject: "Refund \(i)", customer: "c\(i)@x.example", extra: ["--config", config])) }
        for agent in ["anna", "maria"] { #expect(try s.qdeck("presence", "available", env: env.merging(["QDECK_AGENT": agent]) { $1 }).status == 0) }
        let assigned = { () -> Int in
            ((try? s.json("list", "--all", "assignee:anna,maria") as? [[String: Any]]) ?? []).count
        }
        #expect(Harness.eventually(within: 20) { assigned() == 6 }, "\(first.output()) \(second.output())")
        first.stop()
        // The second takes over and hands out what comes next.
        let late = try s.newTicket(subject: "Refund late", customer: "late@x.example", extra: ["--config", config])
        #expect(Harness.eventually(within: 30) {
            ((try? s.json("show", late) as? [String: Any])?["assignee"] as? String) != nil
        }, "\(second.output())")
        let handed = try Self.dump(s, env: env).filter { ($0["type"] as? String) == "reassigned" && ($0["actor"] as? String) == "rules (distribution)" }
        let tickets = handed.compactMap { $0["ticket"] as? String }
        #expect(tickets.count == 7 && Set(tickets).count == 7, "\(tickets)")
    }

    /// `notify: supervisors` reaches a supervisor's console as a person sees it: the flash line names
    /// the rule and the ticket, the ticket is marked unread, and the terminal's bell rings.
    @Test func aNotifiedSupervisorsConsoleSaysSoAndRings() throws {
        let s = Scratch()
        let config = try Self.team(s, extra: Self.timeRule("ask a lead", if: "tag:help", then: "{ notify: supervisors }"))
        let id = try s.newTicket("chat", subject: "Angry caller", extra: ["--config", config])
        let lea = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal) --config \(config)", cols: 120, rows: 30, env: ["QDECK_AGENT": "lea"])
        try lea.waitFor(id)
        try lea.tmux(["set-option", "-g", "monitor-bell", "on"])
        // Lea looks at another window, as a supervisor at a wall would; the bell is noted there.
        try lea.tmux(["new-window", "-d", "-t", "T"])
        #expect(try Harness.run("qdeck", ["--journal", s.journal, "tag", id, "+help"], env: ["QDECK_CONFIG": config]).status == 0)
        let run = try s.qdeck("automate", env: ["QDECK_CONFIG": config, "QDECK_AGENT": "nobody"])
        #expect(run.status == 0 && run.stdout.contains("rules (ask a lead) \(id): notified"), "\(run.stdout) \(run.stderr)")
        try lea.waitFor("rule 'ask a lead' asks you to look at \(id)", within: 3)
        try lea.waitFor("1 unread •")
        #expect(try lea.display("#{window_bell_flag}") == "1" || lea.tmux(["list-windows", "-F", "#{window_bell_flag}"]).contains("1"))
        // Lea goes home; overnight a rule asks for her again: her console says so when she is back.
        try lea.keys("q")
        try lea.waitFor("EXITED rc=0")
        let second = try s.newTicket("chat", subject: "Night call", extra: ["--config", config, "--tag", "help"])
        #expect(try s.qdeck("automate", env: ["QDECK_CONFIG": config, "QDECK_AGENT": "nobody"]).status == 0)
        let back = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal) --config \(config)", cols: 120, rows: 30, env: ["QDECK_AGENT": "lea"])
        try back.waitFor("rules (ask a lead) asked you to look at \(second) while the console was closed")
        let screen = try back.screen()
        #expect(screen.split(separator: "\n").contains { $0.contains(second) && $0.hasPrefix("•") }, "\(screen)")
        // Sam (a team lead) never opened a console here: the requests wait for his first.
        let sam = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal) --config \(config)", cols: 120, rows: 30, env: ["QDECK_AGENT": "sam"])
        try sam.waitFor("rules asked you to look at 2 tickets while the console was closed")
        // Anna, not a supervisor, is not asked.
        let anna = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal) --config \(config)", cols: 120, rows: 30, env: ["QDECK_AGENT": "anna"])
        try anna.waitFor(id)
        #expect(try !anna.screen().contains("asks you to look"))
    }

    /// A review: the runner exited (stale, 3) on its round after a time rule's reply, because the
    /// hand-over read the journal in its place. It keeps running and closes the next loop too.
    @Test func aRunnerThatRepliesKeepsRunning() throws {
        let s = Scratch()
        let config = try Self.team(s, extra: Self.timeRule("close the loop", if: "status:answered idle:>2s", then: "{ reply: received, resolve: true }"), sections: "auto_reply_period: 1s")
        let env = ["QDECK_CONFIG": config, "QDECK_SENDMAIL": Self.sendmail(s)]
        let status = { (id: String) in (try? s.json("show", id) as? [String: Any])?["status"] as? String }
        let first = try s.newTicket(subject: "First", customer: "a@x.example", extra: ["--config", config])
        #expect(try s.qdeck("reply", first, "--body", "Try this.", env: env).status == 0)
        let runner = try s.background(["automate", "--follow", "--interval", "1"], env: env.merging(["QDECK_AGENT": "nobody"]) { $1 })
        defer { runner.stop() }
        #expect(Harness.eventually(within: 30) { status(first) == "resolved" }, "\(runner.output())")
        let second = try s.newTicket(subject: "Second", customer: "b@x.example", extra: ["--config", config])
        #expect(try s.qdeck("reply", second, "--body", "And this.", env: env).status == 0)
        #expect(Harness.eventually(within: 30) { status(second) == "resolved" }, "\(runner.output())")
        #expect(runner.process.isRunning, "\(runner.output())")
        // An agent's own reply is not marked automatic.
        #expect(Self.sent(s).filter { $0.contains("Try this.") }.allSatisfy { !$0.contains("Auto-Submitted") }, "\(Self.sent(s))")
        // Each customer's closing reply went out (`qdeck new` sent its acknowledgement elsewhere).
        #expect(Self.sent(s).filter { $0.contains("we have your message as") }.count == 2, "\(Self.sent(s))")
    }

    /// A review: a runner kept the team file it started with, and SIGHUP stopped it. An edited team
    /// file takes effect at the next round; one with mistakes is named and the old rules kept;
    /// SIGHUP reads it at once.
    @Test func aRunnerReadsTheTeamFileAgainWhenItChanges() throws {
        let s = Scratch()
        let config = try Self.team(s)
        let id = try s.newTicket("chat", subject: "Needs a lead", extra: ["--config", config, "--tag", "help"])
        let runner = try s.background(["automate", "--follow", "--interval", "1"], env: ["QDECK_CONFIG": config, "QDECK_AGENT": "nobody"])
        defer { runner.stop() }
        #expect(Harness.eventually(within: 20) { runner.output().contains("automate running on") })
        let tags = { ((try? s.json("show", id) as? [String: Any])?["tags"] as? [String]) ?? [] }
        #expect(!tags().contains("looked-at"))
        // A mistake first: named, and the runner carries on.
        try (try String(contentsOfFile: config, encoding: .utf8) + "\nrules_typo: [\n").write(toFile: config, atomically: true, encoding: .utf8)
        #expect(Harness.eventually(within: 20) { runner.output().contains("has mistakes") }, "\(runner.output())")
        let fixed = try Self.team(s, extra: Self.timeRule("look at help", if: "tag:help", then: "{ tags: [+looked-at] }"))
        #expect(fixed == config)
        #expect(Harness.eventually(within: 20) { tags().contains("looked-at") }, "\(runner.output())")
        #expect(runner.output().contains("team file read again: 2 time rules"), "\(runner.output())")
        kill(runner.process.processIdentifier, SIGHUP)
        #expect(Harness.eventually(within: 10) { runner.output().components(separatedBy: "team file read again").count == 3 }, "\(runner.output())")
        #expect(runner.process.isRunning)
        // A stop that comes hard on a reload is not lost (SIGHUP, then SIGTERM at once).
        kill(runner.process.processIdentifier, SIGHUP)
        kill(runner.process.processIdentifier, SIGTERM)
        #expect(Harness.eventually(within: 5) { !runner.process.isRunning }, "\(runner.output())")
    }

    @Test func rulesTestShowsWhatWouldHappenAndWritesNothing() throws {
        let s = Scratch()
        let env = ["QDECK_CONFIG": try Self.team(s, firstResponse: "1h")]
        let id = try s.newTicket(subject: "Printer", extra: ["--config", env["QDECK_CONFIG"]!])
        let size = try FileManager.default.attributesOfItem(atPath: s.journal)[.size] as? Int
        let now = try s.qdeck("rules", "test", env: env)
        #expect(now.status == 0 && now.stdout.contains("rule 'escalate at risk' (on time, if sla:at-risk -tag:escalated): acts on 0 tickets now"), "\(now.stdout)")
        let later = try s.qdeck("rules", "test", "--at", "50m", env: env)
        #expect(later.stdout.contains("acts on 1 ticket at ") && later.stdout.contains(id) && later.stdout.contains("tags +escalated"), "\(later.stdout)")
        // Why the ticket, new and unassigned... but in no department with distribution: nothing waits there.
        #expect(later.stdout.contains("distribution: hands out 0 waiting tickets at "), "\(later.stdout)")
        let json = try s.qdeck("rules", "test", "--at", "50m", "--json", env: env)
        let top = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((top["asOf"] as? String)?.hasSuffix("Z") == true)
        let rules = try #require(top["rules"] as? [[String: Any]])
        let escalate = try #require(rules.first { $0["rule"] as? String == "escalate at risk" })
        let tickets = try #require(escalate["tickets"] as? [[String: Any]])
        let events = try #require(tickets.first?["events"] as? [[String: Any]])
        #expect(tickets.first?["id"] as? String == id && !events.isEmpty && events.allSatisfy { $0["seq"] == nil && $0["version"] == nil })

        #expect(try FileManager.default.attributesOfItem(atPath: s.journal)[.size] as? Int == size)
        // A ticket waiting in billing while its agents cannot take it: the test says who and why.
        let waiting = try s.newTicket(subject: "Refund now", customer: "w@x.example", extra: ["--config", env["QDECK_CONFIG"]!])
        #expect(try s.qdeck("presence", "away", env: env).status == 0)
        let why = try s.qdeck("rules", "test", env: env)
        #expect(why.stdout.contains("1 still waits in billing: anna away; maria has set no presence"), "\(why.stdout) \(waiting)")
        let bad = try s.qdeck("rules", "test", "--at", "whenever", env: env)
        #expect(bad.status == 64 && bad.stderr.contains("--at 'whenever'"))
    }
}

/// A qdeck left running (`automate --follow`), its output kept in a file.
final class Background {
    let process: Process
    let log: String
    init(_ process: Process, log: String) {
        self.process = process
        self.log = log
    }
    func output() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

extension Scratch {
    /// Starts `qdeck ARGS` on this desk as Harness.run would, and leaves it running.
    func background(_ args: [String], env: [String: String] = [:]) throws -> Background {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Harness.binDir + "/qdeck")
        var environment = ProcessInfo.processInfo.environment
        environment["QDECK_JOURNAL"] = nil
        environment["QDECK_CONFIG"] = nil
        environment["QDECK_AGENT"] = "anna"
        environment["QDECK_SENDMAIL"] = "/bin/true"
        for (k, v) in env { environment[k] = v }
        p.arguments = Harness.actingAsLogin(["--journal", journal] + args, &environment)
        p.environment = environment
        let log = dir + "/background-\(UUID().uuidString).log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        return Background(p, log: log)
    }

}
