import Foundation
import Testing

/// The command line's daily work, run against each journal (a file, and PostgreSQL where the
/// machine can run it): the same commands, the same results.
@Suite struct CLIWorkflowTests {
    @Test(arguments: JournalKind.available) func agentWorksATicketThroughItsLifecycle(kind: JournalKind) throws {
        let s = Scratch(kind)
        let id = try s.newTicket("email", extra: ["--priority", "high", "--department", "technical", "--group", "vip", "--tag", "login", "--phone", "+371 20000000"])
        #expect(id.range(of: #"^[0-9A-Z]{3}-[0-9A-Z]{5}-[0-9A-Z]{3}$"#, options: .regularExpression) != nil, "ID alone on the last line: \(id)")

        var t = try s.json("show", id) as! [String: Any]
        for key in ["id", "version", "channel", "status", "priority", "assignee", "department", "subject", "customer", "tags",
                    "createdAt", "waitingSince", "sla", "messages", "history"] {
            #expect(t.keys.contains(key), "show --json lacks \(key)")
        }
        let customer = t["customer"] as! [String: Any]
        #expect(customer["name"] as? String == "Ilze Bērziņa")
        #expect(customer["email"] as? String == "ilze@inbox.lv")
        #expect(customer["phone"] as? String == "+371 20000000")
        #expect(customer["groups"] as? [String] == ["vip"])
        #expect(t["status"] as? String == "new")
        #expect(t["priority"] as? String == "high")
        #expect(t["tags"] as? [String] == ["login"])
        #expect((t["sla"] as! [String: Any])["state"] != nil)
        #expect(t["assignee"] is NSNull)

        func step(_ args: [String], expect status: String, env: [String: String] = [:], stdin: String? = nil) throws {
            let r = try Harness.run("qdeck", ["--journal", s.journal] + args, env: env, stdin: stdin)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            let now = try s.json("show", id) as! [String: Any]
            #expect(now["status"] as? String == status, "after \(args)")
        }
        try step(["claim", id], expect: "new")
        try step(["reply", id, "--body", "Try resetting again"], expect: "answered")
        try step(["inbound", id, "--body", "Still no luck"], expect: "open")
        try step(["note", id, "--body", "Checked the auth log"], expect: "open")
        try step(["reassign", id, "--to", "jonas", "--reason", "technical"], expect: "open", env: ["QDECK_AGENT": "lea"])
        try step(["postpone", id, "--until", "2h"], expect: "postponed", env: ["QDECK_AGENT": "jonas"])
        try step(["reply", id, "--body-file", "-"], expect: "answered", env: ["QDECK_AGENT": "jonas"], stdin: "Fixed: please log in again.\n")
        try step(["priority", id, "urgent"], expect: "answered")
        try step(["tag", id, "+refund", "-login"], expect: "answered")
        try step(["resolve", id], expect: "resolved")
        try step(["reopen", id], expect: "open")

        t = try s.json("show", id) as! [String: Any]
        #expect(t["assignee"] as? String == "jonas")
        #expect(t["department"] as? String == "technical")
        #expect(t["priority"] as? String == "urgent")
        #expect(t["tags"] as? [String] == ["refund"])
        let messages = t["messages"] as! [[String: Any]]
        #expect(messages.map { $0["kind"] as! String } == ["customer", "reply", "customer", "note", "reply"])
        let history = (t["history"] as! [[String: Any]]).map { "\($0["actor"]!): \($0["change"]!)" }
        #expect(history.contains { $0.hasPrefix("lea: reassigned: assignee anna → jonas") })
        #expect(history.contains { $0.hasPrefix("jonas: status open → postponed") })
        #expect(history.contains("anna: priority high → urgent"))

        let dump = try s.qdeck("log", "dump")
        let lines = dump.stdout.split(separator: "\n")
        #expect(lines.count == 19)  // created + tagged + 11 actions + each email reply queued, handed over, sent
        for (i, l) in lines.enumerated() {
            let o = try JSONSerialization.jsonObject(with: Data(l.utf8)) as! [String: Any]
            #expect(o["seq"] as? Int == i + 1)
            #expect(o["ticket"] as? String == id)
        }
        #expect(lines.filter { $0.contains("\"type\":\"delivery\"") }.count == 6)
        #expect(try s.qdeck("log", "verify").stdout.contains(kind == .file ? "19 valid records" : "19 events"))
    }

    @Test(arguments: JournalKind.available) func listFiltersSortsAndKeepsTheWorkingQueue(kind: JournalKind) throws {
        let s = Scratch(kind)
        let a = try s.newTicket("chat", subject: "Dvigubas mokėjimas", customer: "Rūta <ruta@gmail.com>", extra: ["--priority", "urgent"])
        let b = try s.newTicket("call", subject: "Где мой заказ", customer: "Иван Петров <ivan@abv.bg>", extra: ["--department", "billing"])
        let c = try s.newTicket("email", subject: "Invoice", customer: "Emma <emma@example.com>")
        _ = try s.qdeck("resolve", c)
        let ids = { (args: [String]) throws -> [String] in
            let r = try Harness.run("qdeck", ["--journal", s.journal, "list"] + args + ["--json"])
            #expect(r.status == 0, "\(args): \(r.stderr)")
            return (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]).map { $0["id"] as! String }
        }
        #expect(Set(try ids([])) == [a, b])
        #expect(Set(try ids(["--all"])) == [a, b, c])
        #expect(try ids(["channel:chat"]) == [a])
        #expect(try ids(["dept:billing"]) == [b])
        #expect(try ids(["-channel:chat"]) == [b])
        #expect(try ids(["priority:>=high"]) == [a])
        #expect(try ids(["mokejimas"]) == [a])
        #expect(try ids(["status:resolved"]) == [c])
        #expect(try ids(["--sort", "priority"]) == [a, b])
        for order in ["fifo", "sla", "priority", "value", "easiest", "waiting"] { #expect(try ids(["--sort", order]).count == 2) }
        let text = try s.qdeck("list")
        #expect(text.stdout.contains("Где мой заказ"))
        #expect(text.stdout.contains("2 tickets"))
    }

    @Test(arguments: JournalKind.available) func statsCountsMatchTheList(kind: JournalKind) throws {
        let s = Scratch(kind)
        let r = try s.demo(["--tickets", "120"])
        #expect(r.status == 0, "\(r.stderr)")
        let stats = try s.json("stats") as! [String: Any]
        let tickets = try s.json("list", "--all") as! [[String: Any]]
        let channels = stats["channels"] as! [String: [String: Any]]
        for ch in ["email", "call", "chat"] {
            let waiting = tickets.filter { $0["channel"] as? String == ch && ["new", "open"].contains($0["status"] as? String) }.count
            #expect(channels[ch]!["waiting"] as? Int == waiting, "\(ch)")
            let breached = tickets.filter {
                $0["channel"] as? String == ch && ["new", "open", "answered", "postponed"].contains($0["status"] as? String)
                    && ($0["sla"] as! [String: Any])["state"] as? String == "breached"
            }.count
            #expect(channels[ch]!["breached"] as? Int == breached, "\(ch)")
        }
        let backlog = (stats["backlog"] as! [String: Any])["count"] as! Int
        #expect(backlog == tickets.filter { ["new", "open", "answered", "postponed"].contains($0["status"] as? String) }.count)
        // Abandoned today, counted from each ticket's abandonment times against the period's start.
        let start = stats["periodStart"] as! String
        for ch in ["email", "call", "chat"] {
            let abandoned = tickets.filter { $0["channel"] as? String == ch }
                .flatMap { $0["abandonedAt"] as! [String] }.filter { $0 >= start }.count
            #expect(channels[ch]!["abandonedToday"] as? Int == abandoned, "\(ch)")
            for key in ["waiting", "oldestWaitingSeconds", "atRisk", "breached", "abandonedToday", "slaCompliance"] {
                #expect(channels[ch]!.keys.contains(key), "\(ch).\(key)")
            }
        }
        let agents = stats["agents"] as! [String: Any]
        let list = agents["list"] as! [[String: Any]]
        #expect(list.count == (agents["available"] as! Int) + (agents["busy"] as! Int) + (agents["away"] as! Int) + (agents["offline"] as! Int))
        #expect(agents["available"] as! Int > 0, "the demo has agents on shift")
        // Narrowed to one channel and one department.
        let calls = try s.json("stats", "--channel", "call") as! [String: Any]
        #expect((calls["channels"] as! [String: Any]).keys.sorted() == ["call"])
        #expect((calls["backlog"] as! [String: Any])["count"] as? Int == tickets.filter {
            $0["channel"] as? String == "call" && ["new", "open", "answered", "postponed"].contains($0["status"] as? String)
        }.count)
        let billing = try s.json("stats", "--department", "Billing") as! [String: Any]
        #expect((billing["scope"] as! [String: Any])["department"] as? String == "billing")
        #expect((billing["backlog"] as! [String: Any])["count"] as? Int == tickets.filter {
            $0["department"] as? String == "billing" && ["new", "open", "answered", "postponed"].contains($0["status"] as? String)
        }.count)
        #expect(try s.qdeck("stats", "--department", "nope").status == 64)
        #expect(try s.qdeck("stats", "--channel", "fax").status == 64)
    }

    /// Time travel: figures taken at a moment, then a burst of work, then `stats --at` that moment.
    @Test(arguments: JournalKind.available) func statsAtReproducesEarlierFigures(kind: JournalKind) throws {
        let s = Scratch(kind)
        let t0 = "2026-11-24T15:00:00Z"
        #expect(try s.demo(["--tickets", "120"], env: ["QDECK_NOW": t0]).status == 0)
        let before = try s.qdeck("stats", "--json", env: ["QDECK_NOW": t0])
        let beforeText = try s.qdeck("stats", env: ["QDECK_NOW": t0])
        // The burst, a few minutes later: new tickets, replies, resolutions, an abandoned call, presence.
        let later = ["QDECK_NOW": "2026-11-24T15:07:00Z"]
        let open = (try s.json("list", "status:new,open") as! [[String: Any]]).prefix(6).map { $0["id"] as! String }
        for id in open.prefix(3) { #expect(try s.qdeck("reply", id, "--body", "on it", env: later).status == 0) }
        for id in open.suffix(3) { #expect(try s.qdeck("resolve", id, env: later).status == 0) }
        for i in 0..<4 {
            #expect(try Harness.run("qdeck", ["--journal", s.journal, "new", i % 2 == 0 ? "call" : "chat", "--customer", "+3712000000\(i)",
                                              "--subject", "burst \(i)"], env: later).status == 0)
        }
        let call = (try s.json("list", "channel:call", "status:new", "--sort", "fifo") as! [[String: Any]]).last!["id"] as! String
        #expect(try s.qdeck("abandon", call, "--reason", "hung up", env: later).status == 0)
        #expect(try s.qdeck("presence", "away", env: later).status == 0)
        let now = try s.qdeck("stats", "--json", env: later)
        #expect(now.stdout != before.stdout)

        let again = try s.qdeck("stats", "--json", "--at", t0, env: ["QDECK_NOW": "2026-11-24T16:00:00Z"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.replacingOccurrences(of: "\"timeTravel\" : true", with: "\"timeTravel\" : false") == before.stdout)
        let againText = try s.qdeck("stats", "--at", "2026-11-24 15:00", env: ["QDECK_NOW": "2026-11-24T16:00:00Z"])
        #expect(againText.stdout.replacingOccurrences(of: "as it stood at", with: "at") == beforeText.stdout)
        #expect(try s.qdeck("stats", "--at", "2027-01-01", env: later).status == 64)
        #expect(try s.qdeck("stats", "--at", "someday", env: later).status == 64)
    }

    @Test(arguments: JournalKind.available) func demoWritesARealisticDesk(kind: JournalKind) throws {
        let s = Scratch(kind)
        let r = try s.demo()
        #expect(r.status == 0, "\(r.stderr)")
        let tickets = try s.json("list", "--all") as! [[String: Any]]
        #expect(tickets.count >= 300)
        let statuses = Set(tickets.map { $0["status"] as! String })
        #expect(statuses == ["new", "open", "answered", "postponed", "resolved", "closed"])
        #expect(Set(tickets.map { $0["channel"] as! String }) == ["email", "call", "chat"])
        #expect(Set(tickets.map { $0["priority"] as! String }) == ["low", "normal", "high", "urgent"])
        let sla = Set(tickets.compactMap { ($0["sla"] as! [String: Any])["state"] as? String })
        #expect(sla.isSuperset(of: ["breached", "at-risk", "ok", "paused"]))
        let names = tickets.map { ($0["customer"] as! [String: Any])["name"] as! String }.joined(separator: " ")
        // Each language's customers appear: Latvian (ņ), Lithuanian (ė), Bulgarian (Cyrillic), Greek, English.
        #expect(names.contains("ņ"))
        #expect(names.contains("ė"))
        #expect(names.unicodeScalars.contains { (0x400...0x4FF).contains($0.value) })
        #expect(names.unicodeScalars.contains { (0x370...0x3FF).contains($0.value) })
        #expect(names.range(of: "Emma|Oliver|Priya|James|Sophie|Daniel|Grace|Liam", options: .regularExpression) != nil)
        #expect(tickets.contains { (($0["customer"] as! [String: Any])["groups"] as! [String]).contains("vip") })
        // Some postponed tickets wake within the hour.
        let soon = tickets.filter {
            guard let u = $0["postponedUntil"] as? String, let d = ISO8601DateFormatter().date(from: u) else { return false }
            return d.timeIntervalSinceNow < 3600
        }
        #expect(!soon.isEmpty)
        switch kind {
        case .file:
            // An explicit existing journal is never overwritten without --force.
            let again = try Harness.run("qdeck", ["demo", "--journal", s.journal, "--no-console"])
            #expect(again.status == 73)
            #expect(again.stderr.contains("will not overwrite"))
        case .postgres:
            // The demo writes files only; a database holding a desk takes no second copy.
            let direct = try Harness.run("qdeck", ["demo", "--journal", s.journal, "--no-console"])
            #expect(direct.status == 64 && direct.stderr.contains("log copy"), "\(direct.stderr)")
            let again = try Harness.run("qdeck", ["log", "copy", s.dir + "/demo.journal", s.journal], env: ["QDECK_AGENT": "admin"])
            #expect(again.status == 73 && again.stderr.contains("already holds events"), "\(again.stderr)")
        }
    }

    @Test(arguments: JournalKind.available) func hostileTextNeverReachesTheTerminalRaw(kind: JournalKind) throws {
        let s = Scratch(kind)
        let id = try s.newTicket(subject: "Hi \u{1B}]0;PWNED\u{07} there \u{1B}[2J\u{9B}31m \u{202E}evil", body: "line1\r\u{1B}[Hgotcha\u{8}\u{8}\ttab")
        for out in [try s.qdeck("list").stdout, try s.qdeck("show", id).stdout] {
            #expect(!out.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B || $0.value == 0x202E || $0.value == 0x0D || $0.value == 0x08 })
            #expect(out.contains("␛]0;PWNED␇"))
        }
        // JSON keeps the original text, escaped.
        let t = try s.json("show", id) as! [String: Any]
        #expect((t["subject"] as! String).contains("\u{1B}]0;PWNED\u{07}"))
    }
}

/// A command a newcomer cannot find in the README might as well not exist: every subcommand that
/// `qdeck --help` lists has a row in the README's command table (the compiler cannot keep that list).
@Suite struct CommandTableTests {
    @Test func everySubcommandIsInTheReadme() throws {
        let help = try Harness.run("qdeck", ["--help"]).stdout
        let names = help.split(separator: "\n").drop { !$0.hasPrefix("SUBCOMMANDS") }.dropFirst()
            .compactMap { line -> String? in
                guard line.hasPrefix("  "), !line.hasPrefix("   "), let word = line.split(separator: " ").first else { return nil }
                return String(word)
            }
        #expect(names.count >= 20, "\(names)")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOfFile: root.appendingPathComponent("README.md").path, encoding: .utf8)
        let table = readme.split(separator: "\n").filter { $0.hasPrefix("| `qdeck ") }.joined(separator: "\n")
        for name in names where name != "See" {
            #expect(table.contains("`qdeck \(name)") || table.contains(", `qdeck \(name)"), "qdeck \(name) is not in the README's command table")
        }
    }
}
