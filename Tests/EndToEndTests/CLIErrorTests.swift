import Foundation
import Testing

/// Bad input gets a clear error naming the problem and the place, a distinct exit code, and
/// nothing stored is lost.
@Suite struct CLIErrorTests {
    @Test func unknownAndMalformedIDs() throws {
        let s = Scratch()
        _ = try s.newTicket()
        let unknown = try s.qdeck("reply", "ACD-EFGHJ-KMN", "--body", "x")
        #expect(unknown.status == 66)
        #expect(unknown.stderr.contains("no ticket ACD-EFGHJ-KMN"))
        let malformed = try s.qdeck("show", "not-an-id")
        #expect(malformed.status == 64)
        #expect(malformed.stderr.contains("'not-an-id' is not a ticket ID"))
    }

    @Test func staleVersionIsRefusedNamingWhoChangedIt() throws {
        let s = Scratch()
        let id = try s.newTicket()
        #expect(try s.qdeck("reply", id, "--body", "first", env: ["QDECK_AGENT": "maria"]).status == 0)
        let stale = try s.qdeck("note", id, "--body", "based on what I saw", "--if-version", "1")
        #expect(stale.status == 3)
        #expect(stale.stderr.contains("changed by maria"), "\(stale.stderr)")
        #expect(stale.stderr.contains("you acted on version 1"))
        let t = try s.json("show", id) as! [String: Any]
        #expect((t["messages"] as! [Any]).count == 2)  // the note was not stored
        let current = String(t["version"] as? Int ?? 0)  // the reply and its mail hand-over
        #expect(try s.qdeck("note", id, "--body", "now current", "--if-version", current).status == 0)
    }

    @Test func garbageTimeAndBadValues() throws {
        let s = Scratch()
        let id = try s.newTicket()
        let r = try s.qdeck("postpone", id, "--until", "whenever-ish")
        #expect(r.status == 64)
        #expect(r.stderr.contains("'whenever-ish'"))
        #expect(r.stderr.contains("tomorrow 9:00"))
        #expect(try s.qdeck("priority", id, "extreme").status == 64)
        #expect(try s.qdeck("list", "chanel:chat").stderr.contains("column 1"))
        // A period that starts after the moment shown is refused, not printed as zeros (a supervisor's review).
        let future = try s.qdeck("stats", "--since", "2999-01-01")
        #expect(future.status == 64 && future.stderr.contains("the period would be empty"), "\(future.stderr)")
        let anHourAgo = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-3600))
        #expect(try s.qdeck("stats", "--at", "2h", "--since", anHourAgo).status == 64, "a period starting after --at")
        #expect(try s.qdeck("stats", "--at", "2h", "--since", "1h").status == 0, "an hour before the moment shown")
        #expect(try s.qdeck("list", "--sort", "random").status == 64)
        #expect(try s.qdeck("reassign", id, "--to", "nobody-we-know").status == 64)
        #expect(try s.qdeck("new", "fax", "--customer", "x", "--subject", "y").status == 64)
        // Refused by the ticket's rules: reopen a ticket that is not resolved.
        let refused = try s.qdeck("reopen", id)
        #expect(refused.status == 4)
        #expect(refused.stderr.contains("cannot reopen"))
        // Not permitted: the wall screen's account is read-only.
        let wall = try s.qdeck("reply", id, "--body", "x", env: ["QDECK_AGENT": "wall"])
        #expect(wall.status == 77)
        #expect(wall.stderr.contains("ticket.reply"))
        #expect(try s.qdeck("log", "verify").status == 0)
    }

    @Test func wallPresenceAndAbandonMistakes() throws {
        let s = Scratch()
        let id = try s.newTicket("call")
        let cases: [([String], String)] = [
            (["wall", "--at", "2h", "--replay", "3h"], "--at and --replay"), (["wall", "--speed", "0x", "--replay", "1h"], "--speed '0x'"),
            (["wall", "--speed", "fast", "--replay", "1h"], "--speed 'fast'"), (["wall", "--layout", "pie"], "--layout 'pie'"),
            (["wall", "--channel", "fax"], "--channel 'fax'"), (["wall", "--department", "sales"], "--department 'sales'"),
            (["wall", "--at", "next year"], "--at 'next year'"),
        ]
        for (args, mention) in cases {
            let r = try Harness.run("qdeck", ["--journal", s.journal] + args)
            #expect(r.status == 64, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(mention), "\(args): \(r.stderr)")
        }
        // Without a terminal the wall says so instead of drawing garbage.
        let noTTY = try s.qdeck("wall")
        #expect(noTTY.status == 64 && noTTY.stderr.contains("terminal"))
        // Presence: a state that does not exist, someone not on the roster, another agent without the permission.
        #expect(try s.qdeck("presence", "lunch").status == 64)
        #expect(try s.qdeck("presence", "away", "--agent", "ghost", env: ["QDECK_AGENT": "lea"]).status == 64)
        let other = try s.qdeck("presence", "away", "--agent", "jonas")
        #expect(other.status == 77 && other.stderr.contains("presence.others"))
        #expect(try s.qdeck("presence", "away").status == 0)
        let again = try s.qdeck("presence", "away")
        #expect(again.status == 4 && again.stderr.contains("anna is already away"))
        // Abandon: only while the customer waits.
        #expect(try s.qdeck("abandon", id, "--reason", "hung up").status == 0)
        #expect(try s.qdeck("reply", id, "--body", "called back").status == 0)
        #expect(try s.qdeck("abandon", id).status == 4)
        #expect(try s.qdeck("log", "verify").status == 0)
    }

    @Test func damagedJournalIsRefusedThenRepaired() throws {
        let s = Scratch()
        var ids: [String] = []
        for i in 0..<6 { ids.append(try s.newTicket(subject: "ticket \(i)")) }
        // Flip bytes inside the third record (after the header and two records).
        var bytes = Array(FileManager.default.contents(atPath: s.journal)!)
        let dump = try s.qdeck("log", "verify")
        #expect(dump.status == 0)
        let recordSize = (bytes.count - 64) / 6
        let target = 64 + recordSize * 2 + 30
        bytes[target] ^= 0xFF
        FileManager.default.createFile(atPath: s.journal, contents: Data(bytes))

        let list = try s.qdeck("list")
        #expect(list.status == 65)
        #expect(list.stderr.contains("damaged at byte"), "\(list.stderr)")
        #expect(list.stderr.contains("qdeck log repair"))
        let write = try s.qdeck("reply", ids[0], "--body", "x")
        #expect(write.status == 65)
        #expect(Array(FileManager.default.contents(atPath: s.journal)!) == bytes)  // nothing written
        let verify = try s.qdeck("log", "verify")
        #expect(verify.status == 65)
        #expect(verify.stdout.contains("DAMAGED at byte"))

        #expect(try s.qdeck("log", "repair").status == 77)  // agents may not repair
        let repair = try s.qdeck("log", "repair", env: ["QDECK_AGENT": "admin"])
        #expect(repair.status == 0, "\(repair.stderr)")
        #expect(repair.stdout.contains("kept 5 records"))
        let files = try FileManager.default.contentsOfDirectory(atPath: s.dir)
        #expect(files.contains { $0.hasPrefix("desk.journal.damaged-") })
        #expect(files.contains { $0.hasPrefix("desk.journal.before-repair-") })
        let after = try s.json("list") as! [[String: Any]]
        #expect(after.count == 5)
        #expect(try s.qdeck("reply", ids[0], "--body", "x").status == 0)
    }

    /// Issue 13, item 1: a flipped reserved header byte. Every tool names it; dump still prints
    /// every record (exit 65); repair keeps the damaged header beside the log and writes a new one.
    @Test func damagedHeaderIsDumpedAndRepaired() throws {
        let s = Scratch()
        for i in 0..<3 { _ = try s.newTicket(subject: "ticket \(i)") }
        let before = try s.qdeck("log", "dump")
        var bytes = Array(FileManager.default.contents(atPath: s.journal)!)
        bytes[44] ^= 0x10
        FileManager.default.createFile(atPath: s.journal, contents: Data(bytes))

        let list = try s.qdeck("list")
        #expect(list.status == 65)
        #expect(list.stderr.contains("file header is damaged") && list.stderr.contains("qdeck log repair"), "\(list.stderr)")
        let dump = try s.qdeck("log", "dump")
        #expect(dump.status == 65)
        #expect(dump.stdout == before.stdout)
        #expect(dump.stderr.contains("3 whole records printed"), "\(dump.stderr)")
        let verify = try s.qdeck("log", "verify")
        #expect(verify.status == 65 && verify.stdout.contains("DAMAGED at byte 0: file header damaged"), "\(verify.stdout)")
        let repair = try s.qdeck("log", "repair", env: ["QDECK_AGENT": "admin"])
        #expect(repair.status == 0, "\(repair.stderr)")
        #expect(repair.stdout.contains("moved 64 bytes from byte 0"), "\(repair.stdout)")
        let aside = try FileManager.default.contentsOfDirectory(atPath: s.dir).first { $0.hasPrefix("desk.journal.damaged-0-") }
        #expect(aside.map { Array(FileManager.default.contents(atPath: s.dir + "/" + $0)!) } == Array(bytes[0..<64]))
        #expect(try s.qdeck("log", "dump").stdout == before.stdout)
        #expect((try s.json("list") as! [[String: Any]]).count == 3)
    }

    @Test func notAJournalAndMissingJournal() throws {
        let s = Scratch()
        FileManager.default.createFile(atPath: s.journal, contents: Data("just some notes, not a journal, long enough for a header....".utf8))
        let r = try s.qdeck("list")
        #expect(r.status == 65)
        #expect(r.stderr.contains("not a QueueDeck journal"))
        let missing = try Harness.run("qdeck", ["--journal", s.dir + "/nope.journal", "list"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("no journal here"))
    }

    @Test func readOnlyPath() throws {
        // A journal that cannot be created.
        let denied = try Harness.run("qdeck", ["--journal", "/proc/qdeck-test/desk.journal", "new", "email", "--customer", "x", "--subject", "y"])
        #expect(denied.status == 73, "\(denied.stderr)")
        #expect(denied.stderr.contains("/proc/qdeck-test"))

        // A journal on a file system that has become read-only: reading works, writing fails cleanly.
        let s = Scratch()
        let mountPoint = s.dir + "/ro"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mounted = shell("mount -t tmpfs -o size=4m tmpfs '\(mountPoint)'") == 0
        guard mounted else {
            // Without the right to mount, a folder without write permission stands in (non-root only).
            try #require(getuid() != 0, "cannot mount a read-only file system here")
            chmod(mountPoint, 0o555)
            let r = try Harness.run("qdeck", ["--journal", mountPoint + "/desk.journal", "new", "email", "--customer", "x", "--subject", "y"])
            #expect(r.status == 73)
            return
        }
        defer { _ = shell("umount '\(mountPoint)'") }
        let journal = mountPoint + "/desk.journal"
        let created = try Harness.run("qdeck", ["--journal", journal, "new", "email", "--customer", "x", "--subject", "kept"])
        #expect(created.status == 0)
        #expect(shell("mount -o remount,ro '\(mountPoint)'") == 0)
        let read = try Harness.run("qdeck", ["--journal", journal, "list"])
        #expect(read.status == 0)
        #expect(read.stdout.contains("kept"))
        let write = try Harness.run("qdeck", ["--journal", journal, "reply", created.lastLine, "--body", "x"])
        #expect(write.status == 73, "\(write.stderr)")
        #expect(write.stderr.contains("Read-only file system"))
    }

    @Test func configMistakesPointAtTheLine() throws {
        let s = Scratch()
        let file = s.dir + "/team.yaml"
        try """
        timezone: Europe/Riga
        agents:
          - { user: alice, role: agent }
          - { user: bob, role: wizard }
        sla:
          default: { first_response: soon }
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try Harness.run("qdeck", ["config", "check", file])
        #expect(r.status == 78)
        #expect(r.stderr.contains("team.yaml:4:"), "\(r.stderr)")
        #expect(r.stderr.contains("unknown role 'wizard'"))
        #expect(r.stderr.contains("team.yaml:6:"))
        #expect(r.stderr.contains("first_response 'soon'"))
        // A team file beside the journal is found and used: here it refuses unknown users.
        try "unknown_users: none\nagents:\n  - { user: alice, name: Alice, role: supervisor }\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try Harness.run("qdeck", ["config", "check", file]).status == 0)
        let refused = try Harness.run("qdeck", ["--journal", s.journal, "new", "email", "--customer", "x", "--subject", "y"], env: ["QDECK_AGENT": "mallory"])
        #expect(refused.status == 77)
        #expect(refused.stderr.contains("'mallory' is not an agent"))
        #expect(try Harness.run("qdeck", ["--journal", s.journal, "new", "email", "--customer", "x", "--subject", "y"], env: ["QDECK_AGENT": "alice"]).status == 0)
    }

    /// A database address is never taken for a relative path (a folder `postgresql:` once appeared
    /// with a journal in it); a database that cannot be reached is a temporary failure (75: a mail
    /// delivery is deferred, never bounced), and the password is never repeated.
    @Test func anUnreachableDatabaseIsATemporaryFailureNotAPath() throws {
        let s = Scratch()
        let address = "postgresql://anna:s3cret@db.example/desk"
        let commands: [(args: [String], env: [String: String], stdin: String?)] = [
            (["--journal", address, "new", "email", "--customer", "C <c@example.com>", "--subject", "s"], [:], nil),
            (["list"], ["QDECK_JOURNAL": address], nil),
            (["--journal", address, "ingest", "mail"], [:], "From: c@example.com\nSubject: s\n\nbody\n"),
            (["--journal", address, "log", "verify"], [:], nil),
            (["--journal", address, "demo", "--no-console"], [:], nil),
            (["--journal", "mysql://anna:s3cret@db.example/desk", "list"], [:], nil),
        ]
        for c in commands {
            let r = try Harness.run("qdeck", c.args, env: c.env, stdin: c.stdin, in: s.dir)
            let (status, says) = c.args.contains("demo") ? (Int32(64), "a demo journal file")
                : c.args.contains(where: { $0.hasPrefix("mysql:") }) ? (64, "no 'mysql://' journals") : (75, "the database cannot be reached")
            #expect(r.status == status, "\(c.args): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(says), "\(c.args): \(r.stderr)")
            #expect(!r.stderr.contains("s3cret"), "\(c.args): the password was repeated")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.dir).isEmpty)
    }
}

@discardableResult
func shell(_ command: String) -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", command + " 2>/dev/null"]
    try? p.run()
    p.waitUntilExit()
    return p.terminationStatus
}

/// Issue 13, "wrong output and messages": each one as a user met it.
@Suite struct WrongOutputTests {
    /// `qdeck reply` handing over to `sendmail` while the test goes on.
    static func replyInBackground(_ s: Scratch, _ id: String, _ body: String, sendmail: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Harness.binDir + "/qdeck")
        p.arguments = ["--journal", s.journal, "reply", id, "--body", body]
        p.environment = ProcessInfo.processInfo.environment.merging(["QDECK_AGENT": "anna", "QDECK_SENDMAIL": sendmail]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// A chat time of "2h" once became 1970 and the year 9999 was taken: only absolute times
    /// from a year before the desk to a day ahead are stored; the rest are named and skipped.
    @Test func chatTimesOutsideTheDesksLifeAreNamed() throws {
        let s = Scratch()
        _ = try s.newTicket()
        let file = s.dir + "/chat.jsonl"
        let now = ISO8601DateFormatter().string(from: Date())
        try [#"{"type":"start","session":"r1","at":"2h","visitor":{"name":"Relative"}}"#,
             #"{"type":"start","session":"r2","at":"9999-01-01T00:00:00Z","visitor":{"name":"Far"}}"#,
             #"{"type":"start","session":"r3","at":"1990-01-01T00:00:00Z","visitor":{"name":"Old"}}"#,
             #"{"type":"start","session":"m2","at":"\#(now)","visitor":{"name":"Two","email":"h@x.com,evil@y.com"}}"#,
             #"{"type":"start","session":"ok","at":"\#(now)","visitor":{"name":"Now"},"subject":"on time"}"#]
            .joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let r = try s.qdeck("ingest", "chat", file)
        #expect(r.status == 0)
        #expect(r.stderr.contains("chat.jsonl:1") && r.stderr.contains("'2h' is not an ISO 8601 time"), "\(r.stderr)")
        #expect(r.stderr.contains("chat.jsonl:2") && r.stderr.contains("9999-01-01T00:00:00Z is outside"), "\(r.stderr)")
        #expect(r.stderr.contains("chat.jsonl:3") && r.stderr.contains("1990-01-01T00:00:00Z is outside"), "\(r.stderr)")
        #expect(r.stderr.contains("chat.jsonl:4") && r.stderr.contains("visitor.email") && r.stderr.contains("is not one email address"), "\(r.stderr)")
        #expect(r.stdout.contains("4 unreadable lines"), "\(r.stdout)")
        #expect(try s.qdeck("list", "on time").stdout.contains("Now"))
    }

    /// A hand-over that is running is "in progress", and --retry --unknown leaves it alone; only
    /// one whose process died is UNKNOWN.
    @Test func aRunningHandOverIsInProgressNotUnknown() throws {
        let s = Scratch()
        let id = try s.newTicket()
        let slow = s.dir + "/slow.sh"
        FileManager.default.createFile(atPath: slow, contents: Data("#!/bin/sh\ncat >/dev/null\nsleep 4\n".utf8), attributes: [.posixPermissions: 0o755])
        let p = try Self.replyInBackground(s, id, "slowly", sendmail: slow)
        defer { p.waitUntilExit() }
        #expect(try Harness.eventually(within: 3) { try s.qdeck("outbox").stdout.contains("in progress (hand-over started") })
        let listing = try s.qdeck("outbox").stdout
        #expect(!listing.contains("UNKNOWN") && !listing.contains("--unknown"), "\(listing)")
        let retry = try s.qdeck("outbox", "--retry", "--unknown", env: ["QDECK_SENDMAIL": "/bin/true"])
        #expect(retry.stdout.contains("another process is handing it over now"), "\(retry.stdout)")
        p.waitUntilExit()
        #expect(try s.qdeck("outbox").stdout.contains("outbox empty"))
    }

    /// The review: a reply process killed mid-hand-over left its sendmail running, and the reply
    /// showed UNKNOWN at once, so `--retry --unknown` sent it a second time. The sendmail holds the
    /// outbox lock too: still "in progress" until it ends.
    @Test func aKilledHandOverIsInProgressWhileItsSendmailRuns() throws {
        let s = Scratch()
        let id = try s.newTicket()
        let log = s.dir + "/sent.log"
        let slow = s.dir + "/slow.sh"
        let go = s.dir + "/go"  // the sendmail finishes only when the test says so
        FileManager.default.createFile(atPath: slow, contents: Data("#!/bin/sh\ncat >/dev/null\nwhile [ ! -e \(go) ]; do sleep 0.1; done\necho sent >> \(log)\n".utf8),
                                       attributes: [.posixPermissions: 0o755])
        let p = try Self.replyInBackground(s, id, "once only", sendmail: slow)
        #expect(try Harness.eventually(within: 3) { try s.qdeck("outbox").stdout.contains("in progress") })
        kill(p.processIdentifier, SIGKILL)
        // Not waited for here: Foundation waits for a pipe its sendmail inherited, released at the end.
        defer { p.waitUntilExit() }
        usleep(200_000)
        #expect(try s.qdeck("outbox").stdout.contains("in progress"), "the killed hand-over's sendmail still runs")
        let retry = try s.qdeck("outbox", "--retry", "--unknown", env: ["QDECK_SENDMAIL": slow])
        #expect(retry.stdout.contains("another process is handing it over now"), "\(retry.stdout)")
        FileManager.default.createFile(atPath: go, contents: Data())
        #expect(try Harness.eventually(within: 6) { try s.qdeck("outbox").stdout.contains("UNKNOWN") })
        #expect((try? String(contentsOfFile: log, encoding: .utf8)) == "sent\n", "sent more than once")
    }

    /// The second review: a sendmail that read the whole reply and then overran its time limit was
    /// recorded as failed, and a plain retry sent the reply again; its child kept running.
    @Test func aTimeoutAfterTheWholeMessageIsUnknownNotFailed() throws {
        let s = Scratch()
        let id = try s.newTicket()
        let log = s.dir + "/sent.log", nap = "31.\(getpid() % 97 + 1)"
        let slow = s.dir + "/slow.sh"
        FileManager.default.createFile(atPath: slow, contents: Data("#!/bin/sh\ncat >/dev/null\necho read >> \(log)\nsleep \(nap)\n".utf8),
                                       attributes: [.posixPermissions: 0o755])
        let r = try s.qdeck("reply", id, "--body", "hello", env: ["QDECK_SENDMAIL": slow, "QDECK_SENDMAIL_TIMEOUT": "2"])
        #expect(r.stderr.contains("outcome unknown"), "\(r.stderr)")
        #expect(try s.qdeck("outbox").stdout.contains("UNKNOWN"))
        let retry = try s.qdeck("outbox", "--retry", env: ["QDECK_SENDMAIL": slow, "QDECK_SENDMAIL_TIMEOUT": "2"])
        #expect(retry.status == 75, "\(retry.status): \(retry.stdout)")
        #expect((try? String(contentsOfFile: log, encoding: .utf8)) == "read\n", "handed over twice")
        #expect(shell("ps -eo args | grep -qx 'sleep \(nap)'") != 0, "the sendmail's child outlived the timeout")
    }

    @Test func summariesAndCodesSayWhatHappened() throws {
        let s = Scratch()
        let id = try s.newTicket()
        // A queue_log of nothing but a bad line: the summary does not start with ", ".
        try "garbage\n".write(toFile: s.dir + "/queue_log", atomically: true, encoding: .utf8)
        let ql = try s.qdeck("ingest", "queue-log", s.dir + "/queue_log")
        #expect(ql.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1 unreadable line", "\(ql.stdout)")
        // Errors are worded, never Swift's picture of a value.
        for args in [["ingest", "maildir", s.dir + "/nowhere"], ["ingest", "mbox", s.dir + "/nowhere"], ["ingest", "chat", s.dir + "/nowhere"]] {
            let r = try Harness.run("qdeck", ["--journal", s.journal] + args, env: ["QDECK_AGENT": "nobody"])
            #expect(r.status == 66 && !r.stderr.contains("Failure(") && r.stderr.contains("nowhere"), "\(args): \(r.stderr)")
        }
        // A 20 MB note is the caller's text too large (64), not a damaged journal (65).
        let big = s.dir + "/big.txt"
        try String(repeating: "x", count: 20 << 20).write(toFile: big, atomically: true, encoding: .utf8)
        let note = try s.qdeck("note", id, "--body-file", big)
        #expect(note.status == 64 && note.stderr.contains("over the 1 MiB a message may hold"), "\(note.status): \(note.stderr)")
        // The review: a 16 MB note (under the journal's limit) froze every screen showing it.
        try String(repeating: "y", count: 2 << 20).write(toFile: big, atomically: true, encoding: .utf8)
        #expect(try s.qdeck("note", id, "--body-file", big).status == 64)
        // A time in the past is said so, as a far-away one is.
        let past = try s.qdeck("postpone", id, "--until", "-5h")
        #expect(past.status == 64 && past.stderr.contains("in the future"), "\(past.stderr)")
        let far = try s.qdeck("postpone", id, "--until", "99999d")
        #expect(far.status == 64 && far.stderr.contains("at most 365 days"), "\(far.stderr)")
        #expect(try s.qdeck("postpone", id, "--until", "364d").status == 0)
    }

    /// `demo --force` keeps a real journal it replaces; a demo desk never mails, whatever command.
    @Test func theDemoNeverSendsAndNeverDestroys() throws {
        let s = Scratch()
        _ = try s.newTicket(subject: "A real one")
        let real = try Data(contentsOf: URL(fileURLWithPath: s.journal))
        let forced = try Harness.run("qdeck", ["demo", "--journal", s.journal, "--no-console", "--tickets", "30", "--force"])
        #expect(forced.status == 0 && forced.stderr.contains("was kept as"), "\(forced.stderr)")
        let kept = try FileManager.default.contentsOfDirectory(atPath: s.dir).first { $0.hasPrefix("desk.journal.before-demo-") }
        #expect(kept.map { try? Data(contentsOf: URL(fileURLWithPath: s.dir + "/" + $0)) } == real)

        let log = s.dir + "/sendmail.log"
        let sendmail = s.dir + "/sendmail.sh"
        FileManager.default.createFile(atPath: sendmail, contents: Data("#!/bin/sh\ncat >> \(log)\n".utf8), attributes: [.posixPermissions: 0o755])
        let emails = try s.json("list", "channel:email") as! [[String: Any]]
        let id = try #require(emails.first?["id"] as? String)
        let reply = try s.qdeck("reply", id, "--body", "Hello", env: ["QDECK_SENDMAIL": sendmail])
        #expect(reply.status == 0 && reply.stdout.contains("demo desk: the reply is stored, never mailed"), "\(reply.stdout)")
        #expect(try s.qdeck("outbox", "--retry", env: ["QDECK_SENDMAIL": sendmail, "QDECK_AGENT": "admin"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: log), "the demo mailed its invented customers")
    }
}
