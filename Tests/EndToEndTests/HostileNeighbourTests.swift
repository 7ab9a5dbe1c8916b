import Foundation
import Testing

/// What a hostile neighbour on a shared host can put where qdeck expects its files (issue 13):
/// devices, FIFOs and links. Device nodes are made in the test's own folder (`mknod`, as root), so a
/// regression changes the mode of a scratch node, never the machine's /dev/null.
@Suite(.serialized) struct HostileNeighbourTests {
    func mode(_ path: String) -> mode_t {
        var st = stat()
        return lstat(path, &st) == 0 ? st.st_mode & 0o7777 : 0
    }

    /// `qdeck --journal` a character device: refused by name, its mode untouched (root once turned
    /// /dev/null into 0660 for the whole machine).
    @Test func aDeviceIsNeverAJournalAndKeepsItsMode() throws {
        guard geteuid() == 0 else { return }  // mknod needs root; CI runs as root
        let s = Scratch()
        let null = s.dir + "/null", zero = s.dir + "/zero"
        // makedev(1, 3) and (1, 5): the null and zero devices (major 1).
        #expect(mknod(null, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0)
        #expect(mknod(zero, S_IFCHR | 0o666, dev_t((1 << 8) | 5)) == 0)
        chmod(null, 0o666)
        let r = try Harness.run("qdeck", ["--journal", null, "new", "email", "--customer", "A <a@b.c>", "--subject", "x"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("a character device, not a regular file"), "\(r.stderr)")
        #expect(mode(null) == 0o666, "the device's mode was changed to \(String(mode(null), radix: 8))")
        let z = try Harness.run("qdeck", ["--journal", zero, "list"])
        #expect(z.status == 65)
        #expect(!z.stdout.contains("0 tickets"))
    }

    /// A FIFO as the journal, or under a snapshot's name, never hangs a command.
    @Test func aFIFONeverHangsACommand() throws {
        let s = Scratch()
        let fifo = s.dir + "/fifo.journal"
        #expect(mkfifo(fifo, 0o600) == 0)
        let status = shell("timeout -k 2 10 \(Harness.binDir)/qdeck --journal \(fifo) list >/dev/null")
        #expect(status == 65, "exit \(status) (124: it hung)")
        _ = try s.newTicket(subject: "Beside a FIFO")
        #expect(mkfifo(s.journal + ".snapshot-9999", 0o600) == 0)
        let listed = shell("timeout -k 2 10 \(Harness.binDir)/qdeck --journal \(s.journal) list | grep -q 'Beside a FIFO'")
        #expect(listed == 0, "exit \(listed) (124: it hung)")
    }

    /// Setting QDECK_AGENT does not make anyone the administrator: as an unprivileged OS user
    /// (`runuser -u nobody`), naming another agent is refused before anything is read or written.
    @Test func qdeckAgentCannotImpersonate() throws {
        guard geteuid() == 0 else { return }  // runuser needs root; CI runs as root
        let s = Scratch()
        chmod(s.dir, 0o777)
        let journal = s.dir + "/nobody.journal"
        let err = s.dir + "/err.txt", code = s.dir + "/code.txt"
        shell("(runuser -u nobody -- env QDECK_AGENT=admin \(Harness.binDir)/qdeck --journal \(journal) new email "
              + "--customer 'A <a@b.c>' --subject forged 2>\(err); echo $? >\(code))")
        let status = (try? String(contentsOfFile: code, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(status == "77", "exit \(status ?? "?")")
        let message = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        #expect(message.contains("QDECK_AGENT=admin: only root or an administrator may act as another agent; you are nobody"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: journal))
        // Root (scripts, tests) still may.
        #expect(try Harness.run("qdeck", ["--journal", s.journal, "new", "email", "--customer", "A <a@b.c>", "--subject", "as admin"],
                                env: ["QDECK_AGENT": "admin"]).status == 0)
    }

    /// Issue 13, item 12: intake checks a permission of its own (`desk.intake`, the mail server's
    /// user's): an agent cannot forge another agent's chat answer, a viewer cannot inject tickets
    /// or retry the outbox, and a stranger (`unknown_users: none`) cannot store anything. The mail
    /// server's user, `nobody` in the built-in roster, delivers as before.
    @Test func intakeAndOutboxCheckTheirPermissions() throws {
        guard geteuid() == 0 else { return }  // runuser needs root; CI runs as root
        let s = Scratch()
        chmod(s.dir, 0o1777)  // sticky: root's team file there is trusted
        let journal = s.dir + "/desk.journal"
        let mail = s.dir + "/mail.eml", chat = s.dir + "/chat.jsonl"
        try "From: Ilze <ilze@inbox.lv>\nTo: support@example.com\nSubject: Via the MTA\nMessage-ID: <mta1@x>\n\nhello\n"
            .write(toFile: mail, atomically: true, encoding: .utf8)
        try (#"{"type":"start","session":"f1","at":"2026-11-24T09:00:00Z","visitor":{"name":"Forged"}}"# + "\n"
            + #"{"type":"message","session":"f1","at":"2026-11-24T09:01:00Z","from":"agent","agent":"jonas","text":"forged answer"}"# + "\n")
            .write(toFile: chat, atomically: true, encoding: .utf8)
        chmod(mail, 0o644)
        chmod(chat, 0o644)
        func asUser(_ user: String, _ args: String, stdin: String = "/dev/null") -> (status: String, stderr: String) {
            let err = s.dir + "/err-\(user)", code = s.dir + "/code-\(user)"
            shell("(runuser -u \(user) -- \(Harness.binDir)/qdeck --journal \(journal) \(args) <\(stdin) >/dev/null 2>\(err); echo $? >\(code))")
            return ((try? String(contentsOfFile: code, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?",
                    (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
        }
        // The mail server's user delivers (and creates the journal on first delivery).
        let delivered = asUser("nobody", "ingest mail", stdin: mail)
        #expect(delivered.status == "0", "\(delivered)")
        chmod(journal, 0o666)
        // An agent, a viewer: named refusals, nothing stored.
        let size = try FileManager.default.attributesOfItem(atPath: journal)[.size] as? Int
        let agent = try s.qdeck("ingest", "chat", chat, env: ["QDECK_AGENT": "anna"])
        #expect(agent.status == 77 && agent.stderr.contains("desk.intake"), "\(agent.stderr)")
        let viewer = try s.qdeck("ingest", "chat", chat, env: ["QDECK_AGENT": "wall"])
        #expect(viewer.status == 77, "\(viewer.stderr)")
        let retry = try s.qdeck("outbox", "--retry", env: ["QDECK_AGENT": "wall"])
        #expect(retry.status == 77 && retry.stderr.contains("ticket.reply"), "\(retry.stderr)")
        #expect(try s.qdeck("outbox", env: ["QDECK_AGENT": "wall"]).status == 0)  // looking is fine
        // A stranger, with unknown users refused: the mail is deferred (75), not stored.
        try "unknown_users: none\n".write(toFile: s.dir + "/team.yaml", atomically: true, encoding: .utf8)
        let stranger = asUser("daemon", "ingest mail", stdin: mail)
        #expect(stranger.status == "75" && stranger.stderr.contains("daemon"), "\(stranger)")
        #expect(asUser("daemon", "ingest chat \(chat)").status == "77")
        #expect(try FileManager.default.attributesOfItem(atPath: journal)[.size] as? Int == size)
        #expect(try s.qdeck("list", "Forged").stdout.contains("no tickets") || !(try s.qdeck("list", "Forged").stdout.contains("Forged")))
    }

    /// Issue 13, item 17: a From header carrying a second recipient makes a customer with no
    /// address (flagged, the reply kept undeliverable, sendmail never run); a good address goes to
    /// sendmail as the one argument after `--`, never read from the headers.
    @Test func aSmuggledSecondRecipientIsNeverMailed() throws {
        let s = Scratch()
        let log = s.dir + "/sendmail.log"
        let sendmail = s.dir + "/sendmail.sh"
        FileManager.default.createFile(atPath: sendmail, contents: Data("#!/bin/sh\necho \"ARGS: $*\" >> \(log)\ncat >> \(log)\n".utf8),
                                       attributes: [.posixPermissions: 0o755])
        let evil = "From: Mallory <a@x.com,b@evil.com>\nTo: support@example.com\nSubject: Two for one\nMessage-ID: <evil1@x>\n\nreply to both\n"
        #expect(try s.qdeck("ingest", "mail", stdin: evil).stdout.contains("flagged"))
        let id = try #require(try s.qdeck("list", "Two for one", "--json").stdout.split(separator: "\"").first { $0.count == 13 && $0.filter { $0 == "-" }.count == 2 })
        let reply = try s.qdeck("reply", String(id), "--body", "Which of you?", env: ["QDECK_SENDMAIL": sendmail])
        #expect(reply.status == 0)
        #expect(reply.stderr.contains("no email address"), "\(reply.stderr)")
        #expect(!FileManager.default.fileExists(atPath: log), "sendmail was run")
        #expect(try s.qdeck("show", String(id)).stdout.contains("is not one email address"))
        // The second review: mail from the attacker too; one accept must not give the customer
        // whichever address came first. Several senders: the agent names the one that is theirs.
        let attacker = "From: Evil <e@evil.example>\nSubject: Re: [\(id)]\nMessage-ID: <evil3@x>\n\nsend it here\n"
        _ = try s.qdeck("ingest", "mail", stdin: attacker)
        let stuck = try s.qdeck("outbox", "--retry", env: ["QDECK_SENDMAIL": sendmail, "QDECK_AGENT": "anna"])
        #expect(stuck.status == 75 && stuck.stdout.contains("to (no address)"), "\(stuck.status): \(stuck.stdout)")
        #expect(stuck.stderr.components(separatedBy: "outbox --retry").count == 2, "said once: \(stuck.stderr)")
        // The customer writes again from a proper address: held (the ticket has none to match), and
        // once an agent accepts it the customer has that address and the kept reply can go.
        let proper = "From: Mallory <mallory@example.org>\nSubject: Re: [\(id)]\nMessage-ID: <evil2@x>\n\nthis is my address\n"
        #expect(try s.qdeck("ingest", "mail", stdin: proper).stdout.contains("held on \(id)"))
        let both = try s.qdeck("accept", String(id))
        #expect(both.status == 64 && both.stderr.contains("mail from 2 senders waits (e@evil.example, mallory@example.org)"), "\(both.stderr)")
        #expect(try s.qdeck("accept", String(id), "--from", "mallory@example.org").status == 0)
        #expect(try s.qdeck("accept", String(id), "--dismiss").status == 0)
        #expect(try s.qdeck("show", String(id)).stdout.contains("customer Mallory <mallory@example.org>"))
        let retried = try s.qdeck("outbox", "--retry", env: ["QDECK_SENDMAIL": sendmail])
        #expect(retried.status == 0 && retried.stdout.contains("sent <qdeck."), "\(retried.stdout) \(retried.stderr)")
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("-- mallory@example.org"))
        try FileManager.default.removeItem(atPath: log)

        let good = "From: \"Bērziņa, Ilze\" <ilze@inbox.lv>\nSubject: Single recipient\nMessage-ID: <good1@x>\n\nhello\n"
        _ = try s.qdeck("ingest", "mail", stdin: good)
        let gid = try #require(try s.qdeck("list", "Single recipient", "--json").stdout.split(separator: "\"").first { $0.count == 13 && $0.filter { $0 == "-" }.count == 2 })
        #expect(try s.qdeck("reply", String(gid), "--body", "Hello", env: ["QDECK_SENDMAIL": sendmail]).status == 0)
        let sent = try String(contentsOfFile: log, encoding: .utf8)
        #expect(sent.contains("ARGS: -f support@example.com -- ilze@inbox.lv") || sent.contains("-- ilze@inbox.lv\n"), "\(sent)")
        #expect(!sent.contains(" -t"))
        // The second review: a Reply-To chose the customer (a stranger became a VIP). The writer is the customer.
        let vip = "From: Evil <e2@evil.example>\nReply-To: vip@corp.example\nSubject: Priority please\nMessage-ID: <vip1@x>\n\nurgent\n"
        _ = try s.qdeck("ingest", "mail", stdin: vip)
        let vipID = try #require(try s.qdeck("list", "Priority please", "--json").stdout.split(separator: "\"").first { $0.count == 13 && $0.filter { $0 == "-" }.count == 2 })
        let shown = try s.qdeck("show", String(vipID)).stdout
        #expect(shown.contains("customer Evil <e2@evil.example>") && shown.contains("asks for answers at vip@corp.example; not used"), "\(shown)")
        // The CLI refuses the same smuggling by hand.
        let byHand = try s.qdeck("new", "email", "--customer", "M <a@x.com,b@evil.com>", "--subject", "x")
        #expect(byHand.status == 64 && byHand.stderr.contains("one address only"), "\(byHand.stderr)")
    }

    /// Issue 13, item 16: a stranger copying a ticket ID into a subject is shown as the real sender
    /// and changes nothing until an agent accepts the mail, by the CLI or the console's `A`.
    @Test func aStrangersMailWithATicketIDWaitsForAnAgent() throws {
        let s = Scratch()
        let first = "From: Ilze <ilze@inbox.lv>\nSubject: Refund\nMessage-ID: <r1@inbox.lv>\n\nplease refund\n"
        let id = try #require(try s.qdeck("ingest", "mail", stdin: first).stdout.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(try s.qdeck("reply", id, "--body", "Refunded.").status == 0)
        let forged = "From: Mallory <m@evil.example>\nReply-To: ilze@inbox.lv\nSubject: Re: Refund [\(id)]\nMessage-ID: <f1@evil>\n\nuse my IBAN instead\n"
        let held = try s.qdeck("ingest", "mail", stdin: forged)
        #expect(held.status == 0 && held.stdout.contains("held on \(id): the sender is not its customer"), "\(held.stdout)")
        let shown = try s.qdeck("show", id)
        #expect(shown.stdout.contains("status answered"), "the stranger reopened it")
        #expect(shown.stdout.contains("⚠ 1 mail from another sender (Mallory <m@evil.example>) awaiting an agent: qdeck accept \(id)"))
        #expect(shown.stdout.contains("from Mallory <m@evil.example>: NOT this ticket's customer (Ilze <ilze@inbox.lv>)"))
        #expect(try s.qdeck("accept", id, env: ["QDECK_AGENT": "wall"]).status == 77)

        // In the console: the warning is pinned to the ticket, A accepts, the ticket reopens.
        let t = try Tmux("\(Harness.binDir)/qdeck --journal \(s.journal)", env: ["XDG_STATE_HOME": s.dir + "/state"])
        try t.waitFor("● live")
        try t.keys("/")
        try t.text("Refund")
        try t.keys("Enter")
        try t.waitFor("1 ticket · ")
        try t.waitFor("1 with mail from another sender ⚠ (A)")  // seen in the list, before opening
        try t.keys("Enter")
        try t.waitFor("⚠ mail from Mallory <m@evil.example>, not this customer")
        try t.keys("A")
        try t.waitFor("a Mallory <m@evil.example> is Ilze's (accept) · d not Ilze's (dismiss) · k keep waiting")  // asked, not done unseen
        try t.keys("a")
        try t.waitFor("accepted")
        try t.keys("q")
        #expect(try Harness.eventually(within: 5) { try s.qdeck("show", id).stdout.contains("status open") })
        let after = try s.qdeck("show", id).stdout
        #expect(after.contains("from Mallory <m@evil.example>\n    use my IBAN instead"), "\(after)")
        #expect(!after.contains("awaiting an agent"))
        #expect(try s.qdeck("accept", id).stderr.contains("has no mail from another sender waiting"))
        // Dismissed: it stays the sender's, stops waiting, and the ticket does not move.
        let second = forged.replacingOccurrences(of: "<f1@evil>", with: "<f2@evil>").replacingOccurrences(of: "use my IBAN instead", with: "and again")
        _ = try s.qdeck("ingest", "mail", stdin: second)
        let dismissed = try s.qdeck("accept", id, "--dismiss")
        let version = (try s.json("show", id) as? [String: Any])?["version"] as? Int ?? 0
        #expect(dismissed.status == 0 && dismissed.stdout == "\(id): 1 mail dismissed: not the customer's; \(id) is open, version \(version)\n", "\(dismissed.stdout)")
        #expect(!(try s.qdeck("show", id).stdout.contains("awaiting an agent")))
    }

    /// Issue 13, item 18: under the loosest umask, nothing qdeck creates beside a journal (the
    /// journal, its locks, positions, snapshots, bytes moved aside, backups) is open to others.
    @Test func nothingQdeckCreatesIsOpenToOthers() throws {
        let s = Scratch()
        let q = "umask 000; QDECK_SENDMAIL=/bin/true QDECK_SNAPSHOT_EVERY=1 QDECK_AGENT=%@ \(Harness.binDir)/qdeck --journal \(s.journal)"
        func run(_ agent: String, _ args: String, stdin: String = "/dev/null") {
            shell("(" + String(format: q, agent) + " \(args) <\(stdin) >/dev/null 2>&1)")
        }
        let mail = s.dir + "/m.eml"
        try "From: Ilze <ilze@inbox.lv>\nSubject: Modes\nMessage-ID: <modes@x>\n\nhello\n".write(toFile: mail, atomically: true, encoding: .utf8)
        run("nobody", "ingest mail", stdin: mail)
        try "1732438800|1732438800.1|support|NONE|ENTERQUEUE||+37120000000|1\n".write(toFile: s.dir + "/queue_log", atomically: true, encoding: .utf8)
        run("nobody", "ingest queue-log \(s.dir)/queue_log")
        let id = try #require(try s.json("list", "Modes") as? [[String: Any]]).first?["id"] as? String ?? ""
        run("anna", "reply \(id) --body hi")
        run("anna", "stats")
        // Damage in the middle, then a repair: the bytes moved aside and the backup.
        var bytes = Array(FileManager.default.contents(atPath: s.journal)!)
        bytes[bytes.count - 30] ^= 0xFF
        _ = try s.qdeck("new", "email", "--customer", "A <a@b.c>", "--subject", "after")
        FileManager.default.createFile(atPath: s.journal + ".tmp-copy", contents: Data(bytes), attributes: [.posixPermissions: 0o660])
        rename(s.journal + ".tmp-copy", s.journal)
        run("admin", "log repair")
        run("admin", "demo --no-console --tickets 5 --force")
        let made = try FileManager.default.contentsOfDirectory(atPath: s.dir).filter { $0.hasPrefix("desk.journal") }
        for name in ["desk.journal", "desk.journal.intake-lock", "desk.journal.outbox-lock", "desk.journal.queue_log.offset"] {
            #expect(made.contains(name), "\(name) was not made: \(made)")
        }
        #expect(made.contains { $0.contains(".snapshot-") } && made.contains { $0.contains(".before-repair-") } && made.contains { $0.contains(".before-demo-") }, "\(made)")
        for name in made {
            let m = mode(s.dir + "/" + name)
            #expect(m & 0o007 == 0, "\(name) is mode \(String(m, radix: 8)): open to others")
        }
    }

    /// The second review: an agent's own team file (QDECK_CONFIG) made them administrator of the
    /// desk. A desk's team file must belong to root or the journal's owner.
    @Test func anAgentsOwnTeamFileDoesNotMakeThemAdministrator() throws {
        guard geteuid() == 0 else { return }  // runuser needs root; CI runs as root
        let s = Scratch()
        _ = try s.newTicket(subject: "Theirs")
        chmod(s.dir, 0o755)
        let own = s.dir + "/daemon"
        try FileManager.default.createDirectory(atPath: own, withIntermediateDirectories: true)
        let team = own + "/my.yaml"
        try "agents:\n  - { user: daemon, name: Me, role: administrator }\n  - { user: anna, name: Anna, role: agent }\n"
            .write(toFile: team, atomically: true, encoding: .utf8)
        chown(own, 1, 1)
        chown(team, 1, 1)
        let err = s.dir + "/err", code = s.dir + "/code"
        shell("(runuser -u daemon -- env QDECK_CONFIG=\(team) QDECK_AGENT=anna \(Harness.binDir)/qdeck --journal \(s.journal) list 2>\(err) >/dev/null; echo $? >\(code))")
        let status = (try? String(contentsOfFile: code, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        let message = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        #expect(status == "78" && message.contains("not by root or the journal's owner"), "exit \(status ?? "?"): \(message)")
        // Checking the same file on its own (no desk) is still allowed: it decides nothing.
        shell("(runuser -u daemon -- \(Harness.binDir)/qdeck config check \(team) >/dev/null 2>&1; echo $? >\(code))")
        #expect((try? String(contentsOfFile: code, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    /// Numbers from outside are range-checked: a chat time of 1e300 is a named, skipped line (it
    /// trapped the whole import), and a lock timeout of `inf` is a clear error, not a crash.
    @Test func numbersFromOutsideAreRangeChecked() throws {
        let s = Scratch()
        let file = s.dir + "/chat.jsonl"
        let big = String(repeating: "x", count: 17 << 20)  // over the journal's 16 MiB event limit
        let lines = [
            #"{"type":"start","session":"h1","at":1e300,"visitor":{"name":"Far Future"}}"#,
            #"{"type":"start","session":"h2","at":-5,"visitor":{"name":"Before Time"}}"#,
            #"{"type":"start","session":"h3","at":"2026-11-24T09:00:00Z","visitor":{"name":"Huge"},"subject":"\#(big)"}"#,
            #"{"type":"start","session":"ok","at":"2026-11-24T09:00:00Z","visitor":{"name":"Still Read"},"subject":"after the bad ones"}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let r = try s.qdeck("ingest", "chat", file)
        #expect(r.status == 0, "\(r.stderr.prefix(500))")
        #expect(r.stderr.contains("chat.jsonl:1"), "\(r.stderr.prefix(500))")
        #expect(r.stderr.contains("1e+300 is not a time in Unix seconds") || r.stderr.contains("is not a time in Unix seconds"))
        #expect(r.stderr.contains("chat.jsonl:2"))
        #expect(r.stderr.contains("chat.jsonl:3") && r.stderr.contains("a line may have (line skipped)"), "\(r.stderr.prefix(800))")
        #expect(try s.qdeck("list", "Still Read").stdout.contains("after the bad ones"))

        let mail = "From: a@example.com\nTo: support@example.com\nSubject: locked\nMessage-ID: <x1@example.com>\n\nbody\n"
        for bad in ["inf", "1e308", "-3", "nan"] {
            let m = try s.qdeck("ingest", "mail", env: ["QDECK_LOCK_TIMEOUT": bad], stdin: mail)
            #expect(m.status == 75, "QDECK_LOCK_TIMEOUT=\(bad): exit \(m.status)")
            #expect(m.stderr.contains("QDECK_LOCK_TIMEOUT '\(bad)': seconds from 0.1 to 3600"), "\(m.stderr)")
        }
    }

    /// Issue 13, item 8: a team file nested 5,000 deep once overflowed the stack of every command
    /// (`ingest mail` exited 139 and the mail was bounced instead of deferred).
    @Test func aTeamFileNestedThousandsDeepIsAnErrorNotACrash() throws {
        let s = Scratch()
        _ = try s.newTicket(subject: "Existing")
        let team = s.dir + "/team.yaml"
        try ("departments: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n")
            .write(toFile: team, atomically: true, encoding: .utf8)
        let check = try Harness.run("qdeck", ["--journal", s.journal, "config", "check"])
        #expect(check.status == 78, "exit \(check.status): \(check.stderr.prefix(300))")
        #expect(check.stderr.contains("team.yaml:1:"), "\(check.stderr.prefix(300))")
        let mail = "From: a@example.com\nTo: support@example.com\nSubject: deep\nMessage-ID: <deep1@example.com>\n\nbody\n"
        let m = try s.qdeck("ingest", "mail", stdin: mail)
        #expect(m.status == 75, "exit \(m.status): \(m.stderr.prefix(300))")
        try ("agents: " + String(repeating: "{a: ", count: 20_000) + "1" + String(repeating: "}", count: 20_000) + "\n")
            .write(toFile: team, atomically: true, encoding: .utf8)
        let deeper = try s.qdeck("list")
        #expect(deeper.status == 78, "exit \(deeper.status)")
        #expect(deeper.stderr.contains("could nest 20001 levels deep") && deeper.stderr.contains("the limit is 10000"), "\(deeper.stderr.prefix(300))")
    }

    /// Links planted where qdeck keeps its own files beside the journal are never followed: the
    /// intake lock's link once made intake chmod its target 0666, the follow state's temporary name
    /// once had its target truncated and overwritten.
    @Test func plantedLinksBesideTheJournalAreNotFollowed() throws {
        let s = Scratch()
        _ = try s.newTicket(subject: "Existing")
        let victim = s.dir + "/victim"
        try "precious\n".write(toFile: victim, atomically: true, encoding: .utf8)
        chmod(victim, 0o600)
        symlink(victim, s.journal + ".intake-lock")
        let mail = "From: a@example.com\nTo: support@example.com\nSubject: planted\nMessage-ID: <p1@example.com>\n\nbody\n"
        let m = try s.qdeck("ingest", "mail", stdin: mail)
        #expect(m.status == 75, "exit \(m.status)")  // deferred: the mail server retries once an admin removed the link
        #expect(m.stderr.contains("intake-lock: a symbolic link where qdeck keeps its own file; remove it"), "\(m.stderr)")
        #expect(mode(victim) == 0o600, "the link's target was chmodded to \(String(mode(victim), radix: 8))")
        unlink(s.journal + ".intake-lock")

        let log = s.dir + "/queue_log"
        try "1795600000|1795600000.1|support|NONE|ENTERQUEUE||+37120000000|1\n".write(toFile: log, atomically: true, encoding: .utf8)
        symlink(victim, s.journal + ".queue_log.offset.tmp")
        #expect(try s.qdeck("ingest", "queue-log", log).status == 0)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
        // What qdeck creates beside the journal is no one else's to read.
        for f in try FileManager.default.contentsOfDirectory(atPath: s.dir) where f.hasPrefix("desk.journal") {
            var st = stat()
            guard lstat(s.dir + "/" + f, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            #expect(st.st_mode & 0o007 == 0, "\(f) is readable or writable by others: \(String(st.st_mode & 0o777, radix: 8))")
        }
    }

    /// Every line the CLI prints passes one door: an agent name that came in through a chat line with
    /// escape sequences in it reached the terminal raw from `stats` (issue 13, item 19).
    @Test func cliOutputNeverCarriesRawControls() throws {
        let s = Scratch()
        let file = s.dir + "/chat.jsonl"
        try [#"{"type":"start","session":"e1","at":"2026-11-24T09:00:00Z","visitor":{"name":"V"},"subject":"s"}"#,
             #"{"type":"agent","session":"e1","at":"2026-11-24T09:01:00Z","agent":"\u001b]0;PWNED\u0007evil\u202e","text":"hi"}"#]
            .joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try s.qdeck("ingest", "chat", file).status == 0)
        for args in [["stats"], ["list", "--all"], ["stats", "--json"], ["log", "dump"]] {
            let out = try Harness.run("qdeck", ["--journal", s.journal] + args).stdout
            #expect(!out.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E }, "\(args): \(out.prefix(300))")
        }
        #expect(try Harness.run("qdeck", ["--journal", s.journal, "stats"]).stdout.contains("␛]0;PWNED␇evil"))
        #expect(try Harness.run("qdeck", ["--journal", s.journal, "log", "dump"]).stdout.contains("\\u202e"))  // data kept, escaped
    }

    /// A team file a stranger planted beside a journal in a shared folder is not read (it decides
    /// roles); with HOME unset the default desk is not put under /tmp (issue 13, item 15).
    @Test func plantedTeamFilesAndAMissingHomeAreRefused() throws {
        guard geteuid() == 0 else { return }  // runuser needs root; CI runs as root
        let s = Scratch()
        let shared = s.dir + "/shared"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
        chmod(shared, 0o1777)  // like /tmp: anyone may create files, the sticky bit protects each
        let journal = shared + "/desk.journal"
        #expect(try Harness.run("qdeck", ["--journal", journal, "new", "email", "--customer", "A <a@b.c>", "--subject", "x"]).status == 0)
        // The stranger makes everyone an administrator.
        shell("runuser -u nobody -- sh -c \"printf 'unknown_users: administrator\\n' > \(shared)/team.yaml\"")
        #expect(FileManager.default.fileExists(atPath: shared + "/team.yaml"))
        let r = try Harness.run("qdeck", ["--journal", journal, "list"])
        #expect(r.status == 78, "exit \(r.status)")
        #expect(r.stderr.contains("team.yaml:0:0: not read: owned by nobody, not by root or the journal's owner (root)"), "\(r.stderr)")

        // HOME unset: the default journal goes to the system's home for the user, never /tmp.
        let home = shell("env -u HOME -u XDG_DATA_HOME -u QDECK_JOURNAL \(Harness.binDir)/qdeck list 2>&1 | grep -q '/tmp/.local'")
        #expect(home != 0, "the default journal was looked for under /tmp")
    }

    /// A link planted in a Maildir's new/ (to /etc/shadow, say) is skipped and reported, never
    /// imported as a ticket every agent can read (issue 13, item 13).
    @Test func aLinkInAMaildirIsNotImported() throws {
        let s = Scratch()
        let maildir = s.dir + "/Maildir"
        for sub in ["new", "cur", "tmp"] { try FileManager.default.createDirectory(atPath: maildir + "/" + sub, withIntermediateDirectories: true) }
        let secret = s.dir + "/secret"
        try "From: root@localhost\nSubject: SECRET HASHES\n\nroot:$6$hash\n".write(toFile: secret, atomically: true, encoding: .utf8)
        symlink(secret, maildir + "/new/1.planted")
        try "From: Ilze <ilze@inbox.lv>\nSubject: Real mail\nMessage-ID: <real@x>\n\nhello\n".write(toFile: maildir + "/new/2.real", atomically: true, encoding: .utf8)
        mkfifo(maildir + "/new/3.fifo", 0o600)
        shell("(timeout -k 2 20 \(Harness.binDir)/qdeck --journal \(s.journal) ingest maildir \(maildir) >/dev/null 2>\(s.dir)/err; echo $? >\(s.dir)/code)")
        let status = (try? String(contentsOfFile: s.dir + "/code", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(status == "0", "exit \(status ?? "?") (124: it hung)")
        let err = (try? String(contentsOfFile: s.dir + "/err", encoding: .utf8)) ?? ""
        #expect(err.contains("1.planted") && err.contains("a symbolic link, not followed (skipped)"), "\(err)")
        #expect(err.contains("3.fifo") && err.contains("a FIFO, not a message file"), "\(err)")
        let all = try s.json("list", "--all") as! [[String: Any]]
        #expect(all.compactMap { $0["subject"] as? String } == ["Real mail"])
    }

    /// A sendmail that never reads its input cannot hang a reply once the pipe is full: the
    /// timeout covers the whole hand-over, and the reply waits in the outbox (issue 13, item 10).
    @Test func aSendmailThatNeverReadsTimesOut() throws {
        let s = Scratch()
        let stuck = s.dir + "/stuck-sendmail.sh"
        try "#!/bin/sh\nexec sleep 120\n".write(toFile: stuck, atomically: true, encoding: .utf8)
        chmod(stuck, 0o755)
        let id = try s.newTicket("email", subject: "Big reply")
        let body = String(repeating: "a long answer line\n", count: 20_000)  // 380 kB: far over a pipe's 64 kB
        try body.write(toFile: s.dir + "/body.txt", atomically: true, encoding: .utf8)
        let started = Date()
        shell("(env QDECK_SENDMAIL=\(stuck) QDECK_SENDMAIL_TIMEOUT=2 QDECK_AGENT=anna timeout -k 2 60 \(Harness.binDir)/qdeck "
              + "--journal \(s.journal) reply \(id) --body-file \(s.dir)/body.txt >/dev/null 2>\(s.dir)/err; echo $? >\(s.dir)/code)")
        let seconds = Date().timeIntervalSince(started)
        let err = (try? String(contentsOfFile: s.dir + "/err", encoding: .utf8)) ?? ""
        #expect(seconds < 30, "the reply took \(Int(seconds)) s (the sendmail sleeps 120 s)")
        #expect(err.contains("did not finish within 2 s (it read"), "\(err)")
        let box = try s.qdeck("outbox").stdout
        #expect(box.contains(id) && box.contains("failed"), "\(box)")
    }

    /// Root repairing a journal, writing its snapshot or creating its intake lock leaves each owned
    /// like the journal (it left them root's, and mail intake as nobody failed for ever) (issue 13, item 3).
    @Test func filesRootWritesBesideAJournalKeepItsOwner() throws {
        guard geteuid() == 0, let nobody = getpwnam("nobody"), let nogroup = getgrnam("nogroup") else { return }
        let (uid, gid) = (nobody.pointee.pw_uid, nogroup.pointee.gr_gid)
        let s = Scratch()
        for i in 0..<6 { _ = try s.newTicket(subject: "Ticket \(i)") }
        chown(s.journal, uid, gid)
        chmod(s.journal, 0o660)
        func owned(_ path: String) -> (uid_t, gid_t, mode_t) {
            var st = stat()
            _ = lstat(path, &st)
            return (st.st_uid, st.st_gid, st.st_mode & 0o777)
        }
        // A snapshot written by root (every event), and the intake lock created by root.
        #expect(try Harness.run("qdeck", ["--journal", s.journal, "stats"], env: ["QDECK_SNAPSHOT_EVERY": "1"]).status == 0)
        let snapshot = try FileManager.default.contentsOfDirectory(atPath: s.dir).first { $0.hasPrefix("desk.journal.snapshot-") && !$0.contains("tmp") }
        #expect(snapshot != nil)
        if let snapshot { #expect(owned(s.dir + "/" + snapshot) == (uid, gid, 0o660)) }
        let mail = "From: a@example.com\nTo: support@example.com\nSubject: owner\nMessage-ID: <own@x>\n\nbody\n"
        #expect(try s.qdeck("ingest", "mail", stdin: mail).status == 0)
        #expect(owned(s.journal + ".intake-lock") == (uid, gid, 0o660))
        // Damage in the middle, repaired by root: the new journal is still nobody's, 0660.
        let size = (try FileManager.default.attributesOfItem(atPath: s.journal)[.size] as! NSNumber).intValue
        let h = FileHandle(forUpdatingAtPath: s.journal)!
        try h.seek(toOffset: UInt64(size / 2))
        try h.write(contentsOf: Data([0xFF, 0x00, 0xFF, 0x00]))
        try h.close()
        let r = try s.qdeck("log", "repair", env: ["QDECK_AGENT": "admin"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(owned(s.journal) == (uid, gid, 0o660))
    }

    /// The setup README gives (a folder 2770 of the desk's group): what the mail server's user stores
    /// in the attachment store, another member of the group reads. A review found the store's
    /// folders dropping the inherited setgid bit, so the intake user's files took its own group and
    /// the agents could open no attachment (and `log verify` called them damaged).
    @Test func attachmentsStoredByTheIntakeUserAreReadByTheDesksGroup() throws {
        guard geteuid() == 0 else { return }  // groupadd and runuser need root; CI runs as root
        let group = "qdeck-e2e-desk"
        #expect(shell("getent group \(group) >/dev/null || groupadd \(group); usermod -aG \(group) nobody && usermod -aG \(group) daemon") == 0)
        let s = Scratch()
        let desk = s.dir + "/desk"
        #expect(shell("install -d -m 2770 -g \(group) \(desk)") == 0)
        let journal = desk + "/desk.journal", mail = s.dir + "/mail.eml", out = s.dir + "/out"
        try "From: a@example.org\nSubject: scan\nMessage-ID: <grp1@example.org>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nsee\n--b\nContent-Type: application/pdf; name=scan.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--b--\n"
            .write(toFile: mail, atomically: true, encoding: .utf8)
        chmod(mail, 0o644)
        chmod(s.dir, 0o755)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        chmod(out, 0o777)
        #expect(shell("runuser -u nobody -- \(Harness.binDir)/qdeck --journal \(journal) ingest mail < \(mail) > /dev/null") == 0)
        let id = try #require(((try Harness.run("qdeck", ["--journal", journal, "list", "--json"]).stdout).split(separator: "\"").first { $0.count == 13 && $0.contains("-") }).map(String.init))
        // daemon: in the group, not in the roster (a viewer), not the writer.
        #expect(shell("runuser -u daemon -- \(Harness.binDir)/qdeck --journal \(journal) attachment \(id) 1 > \(out)/scan.pdf") == 0)
        #expect(try String(contentsOfFile: out + "/scan.pdf", encoding: .utf8) == "%PDF-1.4\n")
        #expect(shell("runuser -u daemon -- \(Harness.binDir)/qdeck --journal \(journal) log verify > \(out)/verify 2>&1") == 0,
                "\((try? String(contentsOfFile: out + "/verify", encoding: .utf8)) ?? "")")
        var st = stat()
        #expect(stat(journal + ".blobs", &st) == 0 && st.st_mode & 0o7777 == 0o2770)
    }
}
