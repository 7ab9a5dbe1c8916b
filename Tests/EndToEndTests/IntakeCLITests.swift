import Foundation
import Testing

/// `qdeck ingest ...` and `qdeck outbox` driven as a mail server, a phone system and a chat system would.
@Suite(.serialized) struct IntakeCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let now = ["QDECK_NOW": "2026-11-24T12:00:00Z"]

    /// A sendmail stand-in that appends each message to a file (with a separator), optionally slowly.
    static func fakeSendmail(_ s: Scratch, delay: Double = 0, fail: Bool = false) -> String {
        let path = s.dir + "/sendmail.sh"
        let script = "#!/bin/sh\n" + (delay > 0 ? "sleep \(delay)\n" : "") + (fail ? "echo 'mail system down' >&2\nexit 75\n" : "cat >> \(s.dir)/sent.mbox\necho '=====' >> \(s.dir)/sent.mbox\n")
        FileManager.default.createFile(atPath: path, contents: Data(script.utf8), attributes: [.posixPermissions: 0o755])
        return path
    }

    static func tickets(_ s: Scratch) throws -> [[String: Any]] {
        let r = try s.qdeck("list", "--all", "--json", env: now)
        return (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]) ?? []
    }

    static let firstMail = """
    From ilze@inbox.lv  Tue Nov 24 09:00:00 2026
    Return-Path: <ilze@inbox.lv>
    From: =?utf-8?q?Ilze_B=C4=93rzi=C5=86a?= <ilze@inbox.lv>
    To: support@desk.example
    Subject: =?utf-8?b?UsSTxLdpbnMgbmF2IHBhcmVpenM=?=
    Message-ID: <first-1@inbox.lv>
    Date: Tue, 24 Nov 2026 09:00:00 +0200
    MIME-Version: 1.0
    Content-Type: multipart/alternative; boundary="b1"

    --b1
    Content-Type: text/plain; charset=iso-8859-13
    Content-Transfer-Encoding: quoted-printable

    Labdien! R=E7=EDins nav pareizs.
    --b1
    Content-Type: text/html; charset=utf-8

    <p>Labdien!</p>
    --b1--

    """

    @Test(arguments: JournalKind.available) func mailPipeThreadsRepliesAndKeepsFailedOnesInTheOutbox(kind: JournalKind) throws {
        let s = Scratch(kind)
        let first = try s.qdeck("ingest", "mail", "--queue", "billing", env: ["SENDER": "ilze@inbox.lv"], stdin: Self.firstMail)
        #expect(first.status == 0, "\(first.stderr)")
        var list = try Self.tickets(s)
        #expect(list.count == 1)
        let id = try #require(list.first?["id"] as? String)
        #expect(list.first?["subject"] as? String == "Rēķins nav pareizs")
        #expect(list.first?["department"] as? String == "billing")
        // The MTA retries: stored once, still exit 0.
        let again = try s.qdeck("ingest", "mail", stdin: Self.firstMail)
        #expect(again.status == 0 && again.stdout.contains("already stored"))

        // An agent replies: handed to sendmail with threading headers.
        let sendmail = Self.fakeSendmail(s)
        let reply = try s.qdeck("reply", id, "--body", "Labdien, Ilze! Rēķinu izlabojām.", env: ["QDECK_SENDMAIL": sendmail])
        #expect(reply.status == 0, "\(reply.stderr)")
        let sent = try String(contentsOfFile: s.dir + "/sent.mbox", encoding: .utf8)
        #expect(sent.contains("To: =?utf-8?b?"))
        #expect(sent.contains("Subject: Re: =?utf-8?b?"), "subject encoded after an ASCII Re:")
        #expect(sent.contains("In-Reply-To: <first-1@inbox.lv>"))
        #expect(sent.contains("References: <first-1@inbox.lv>"))
        let ourID = try #require(sent.split(separator: "\n").first { $0.hasPrefix("Message-ID: ") }).dropFirst("Message-ID: ".count)

        // The customer answers without the ID in the subject: threaded by In-Reply-To and reopened.
        let answer = "From: ilze@inbox.lv\nSubject: Re: invoice\nMessage-ID: <second-2@inbox.lv>\nIn-Reply-To: \(ourID)\n\nPaldies, bet summa joprojām nepareiza.\n"
        #expect(try s.qdeck("ingest", "mail", stdin: answer).stdout.contains("added to \(id)"))
        list = try Self.tickets(s)
        #expect(list.count == 1 && list.first?["status"] as? String == "open")

        // An out-of-office with the ID in the subject: attached, no status change, no reply sent.
        let ooo = "From: ilze@inbox.lv\nSubject: Automātiska atbilde: Re: [\(id)]\nAuto-Submitted: auto-replied\nMessage-ID: <ooo-3@inbox.lv>\n\nEsmu atvaļinājumā.\n"
        let auto = try s.qdeck("ingest", "mail", stdin: ooo)
        #expect(auto.stdout.contains("attached to \(id)"))
        try s.qdeck("reply", id, "--body", "Vēlreiz izlabojām.", env: ["QDECK_SENDMAIL": sendmail])
        let ooo2 = ooo.replacingOccurrences(of: "ooo-3", with: "ooo-4")
        _ = try s.qdeck("ingest", "mail", stdin: ooo2)
        list = try Self.tickets(s)
        #expect(list.first?["status"] as? String == "answered", "auto-replies never reopen")

        // The mail system is down: the reply stays in the outbox with the error; retry sends it once.
        let down = Self.fakeSendmail(s, fail: true)
        let failed = try s.qdeck("reply", id, "--body", "Trešā atbilde", env: ["QDECK_SENDMAIL": down])
        #expect(failed.status == 0, "the reply is stored even if it cannot leave yet")
        #expect(failed.stderr.contains("kept in the outbox") && failed.stderr.contains("mail system down"))
        let box = try s.qdeck("outbox")
        #expect(box.stdout.contains("1 in the outbox") && box.stdout.contains("failed:"))
        let up = Self.fakeSendmail(s)
        let retried = try s.qdeck("outbox", "--retry", env: ["QDECK_SENDMAIL": up])
        #expect(retried.stdout.contains("sent <qdeck."))
        #expect(try s.qdeck("outbox").stdout.contains("outbox empty"))
        let all = try String(contentsOfFile: s.dir + "/sent.mbox", encoding: .utf8)
        #expect(all.components(separatedBy: "=====").count - 1 == 3, "three replies, each sent once")
    }

    @Test(arguments: JournalKind.available) func twoRetriesAtOnceSendEachReplyOnce(kind: JournalKind) throws {
        let s = Scratch(kind)
        _ = try s.qdeck("ingest", "mail", stdin: Self.firstMail)
        let id = try #require(try Self.tickets(s).first?["id"] as? String)
        _ = try s.qdeck("reply", id, "--body", "one", env: ["QDECK_SENDMAIL": "/bin/false"])
        let slow = Self.fakeSendmail(s, delay: 0.5)
        let journal = s.journal
        let group = DispatchGroup()
        final class Box: @unchecked Sendable { var outs: [String] = [] }
        let box = Box()
        let lock = NSLock()
        for _ in 0..<3 {
            group.enter()
            DispatchQueue.global().async {
                let r = try? Harness.run("qdeck", ["--journal", journal, "outbox", "--retry"], env: ["QDECK_SENDMAIL": slow])
                lock.lock(); box.outs.append(r?.stdout ?? ""); lock.unlock()
                group.leave()
            }
        }
        group.wait()
        let sent = try String(contentsOfFile: s.dir + "/sent.mbox", encoding: .utf8)
        #expect(sent.components(separatedBy: "=====").count - 1 == 1, "sent once: \(box.outs)")
    }

    /// The file's own lock held by another process (PostgresOutageTests has the database's outage).
    @Test func temporaryFailuresExit75AndLoseNothing() throws {
        let s = Scratch()
        // The journal cannot be opened (its folder is a file): the MTA must retry, not bounce.
        FileManager.default.createFile(atPath: s.dir + "/notadir", contents: Data())
        let r = try Harness.run("qdeck", ["--journal", s.dir + "/notadir/desk.journal", "ingest", "mail"], stdin: Self.firstMail)
        #expect(r.status == 75, "\(r.stderr)")
        #expect(r.stderr.contains("not stored, try again later"))
        // Another intake process holds the intake lock past QDECK_LOCK_TIMEOUT: 75 as well.
        _ = try s.qdeck("ingest", "mail", stdin: Self.firstMail)
        let fd = open(s.journal + ".intake-lock", O_RDWR)
        #expect(flock(fd, LOCK_EX) == 0)
        let locked = try s.qdeck("ingest", "mail", env: ["QDECK_LOCK_TIMEOUT": "0.3"], stdin: Self.firstMail.replacingOccurrences(of: "first-1", with: "other-9"))
        #expect(locked.status == 75, "\(locked.stderr)")
        flock(fd, LOCK_UN)
        close(fd)
        // Retried later, it is stored.
        let later = try s.qdeck("ingest", "mail", stdin: Self.firstMail.replacingOccurrences(of: "first-1", with: "other-9"))
        #expect(later.status == 0)
        #expect(try Self.tickets(s).count == 2)
        // An unparseable message is stored raw and flagged, not refused.
        let junk = try s.qdeck("ingest", "mail", stdin: "Content-Type: multipart/mixed; boundary=Z\n\n--Z\nContent-Type: text/plain; charset=x-nonsense\n\n\u{1B}[2Jhello")
        #expect(junk.status == 0 && junk.stdout.contains("flagged"))
        let flagged = try Self.tickets(s).first { ($0["tags"] as? [String])?.contains("unreadable") == true }
        #expect(flagged != nil)
    }

    @Test(arguments: JournalKind.available) func maildirAndMboxImportWithSummary(kind: JournalKind) throws {
        let s = Scratch(kind)
        let md = s.dir + "/Maildir"
        for sub in ["cur", "new", "tmp"] { try FileManager.default.createDirectory(atPath: md + "/" + sub, withIntermediateDirectories: true) }
        let corpus = "/usr/lib/python3.11/test/test_email/data"
        let files = try FileManager.default.contentsOfDirectory(atPath: corpus).filter { $0.hasPrefix("msg_") }.sorted()
        for (i, f) in files.enumerated() {
            try FileManager.default.copyItem(atPath: corpus + "/" + f, toPath: md + (i % 2 == 0 ? "/cur/" : "/new/") + "\(i).host:2,S")
        }
        let r = try s.qdeck("ingest", "maildir", md)
        #expect(r.status == 0, "\(r.stderr)")
        // Python's corpus repeats some Message-IDs on purpose (same message in several forms).
        #expect(r.stdout.contains("imported"), "\(r.stdout)")
        let again = try s.qdeck("ingest", "maildir", md)
        #expect(again.stdout.contains("imported 0 new tickets, threaded 0 into existing ones, \(files.count) duplicates skipped"), "\(again.stdout)")

        let mbox = s.dir + "/inbox.mbox"
        let text = "From a@b Mon Nov 23 10:00:00 2026\nFrom: Anne <anne@example.org>\nSubject: one\nMessage-ID: <mb1@x>\n\n>From here\n\nFrom b@c Mon Nov 23 11:00:00 2026\nFrom: Bob <bob@example.org>\nSubject: Re: one\nMessage-ID: <mb2@x>\nIn-Reply-To: <mb1@x>\n\nbody\n"
        try text.write(toFile: mbox, atomically: true, encoding: .utf8)
        let m = try s.qdeck("ingest", "mbox", mbox)
        // Bob answers in Anne's thread: not her ticket's customer, so he waits for an agent (issue 13, item 16).
        #expect(m.stdout.contains("imported 1 new tickets, threaded 0 into existing ones, 0 duplicates skipped"), "\(m.stdout)")
        #expect(m.stdout.contains("1 from other senders awaiting an agent (qdeck accept)"), "\(m.stdout)")
    }

    @Test(arguments: JournalKind.available) func queueLogEveryEventFollowRotationAndRestart(kind: JournalKind) throws {
        let s = Scratch(kind)
        let log = s.dir + "/queue_log"
        let fixture = try String(contentsOfFile: Self.fixtures + "/queue_log", encoding: .utf8)
        let lines = fixture.split(separator: "\n").map(String.init)
        try (lines.prefix(14).joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let first = try s.qdeck("ingest", "queue-log", log, env: Self.now)
        #expect(first.status == 0, "\(first.stderr)")
        var calls = try Self.tickets(s)
        #expect(calls.count == 5)
        // Restart on the same file: nothing new, nothing twice.
        let second = try s.qdeck("ingest", "queue-log", log, env: Self.now)
        #expect(!second.stdout.contains("calls"), "\(second.stdout)")
        #expect(try Self.tickets(s).count == 5)

        // Follow: lines appended appear within a second; then the file rotates.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Harness.binDir + "/qdeck")
        var env = ProcessInfo.processInfo.environment.merging(Self.now.merging(["QDECK_AGENT": "nobody"]) { $1 }) { $1 }
        p.arguments = Harness.actingAsLogin(["--journal", s.journal, "ingest", "queue-log", log, "--follow"], &env)
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { p.terminate() } }
        let h = try #require(FileHandle(forWritingAtPath: log))
        h.seekToEndOfFile()
        let appendAt = Date()
        h.write(Data((lines[14..<17].joined(separator: "\n") + "\n").utf8))  // ends with a new ENTERQUEUE
        try h.close()
        #expect(Harness.eventually(within: 5) { (try? Self.tickets(s).count) == 6 })
        let seen = Date().timeIntervalSince(appendAt)
        #expect(seen < 1.5, "a waiting call appears within a second (took \(seen) s)")
        // logrotate: rename, new file.
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        try (lines[17...].joined(separator: "\n") + "\n").write(toFile: log, atomically: false, encoding: .utf8)
        #expect(Harness.eventually(within: 5) { (try? Self.tickets(s).count) == 7 })
        p.terminate()
        p.waitUntilExit()
        // Restart after the rotation: resumes in the new file, no duplicate calls.
        let third = try s.qdeck("ingest", "queue-log", log, env: Self.now)
        #expect(third.status == 0)
        calls = try Self.tickets(s)
        #expect(calls.count == 7)
        let byPhone = Dictionary(grouping: calls) { ($0["customer"] as? [String: Any])?["phone"] as? String ?? "" }
        #expect(byPhone.values.allSatisfy { $0.count == 1 }, "one ticket per call")
        let janis = try #require(calls.first { ($0["customer"] as? [String: Any])?["name"] as? String == "Jānis Bērziņš" })
        #expect(janis["status"] as? String == "resolved" && janis["assignee"] as? String == "anna")
        let missed = calls.filter { ($0["tags"] as? [String])?.contains("missed-call") == true }
        #expect(missed.count == 3, "ABANDON, EXITWITHTIMEOUT, EXITWITHKEY")
        #expect(missed.allSatisfy { $0["status"] as? String == "new" })
        // The wall's figures: three abandoned calls today, and agent availability from PAUSE / REMOVEMEMBER.
        let stats = try #require(try JSONSerialization.jsonObject(with: Data(try s.qdeck("stats", "--json", env: Self.now).stdout.utf8)) as? [String: Any])
        let call = (stats["channels"] as? [String: Any])?["call"] as? [String: Any]
        #expect(call?["abandonedToday"] as? Int == 3)
        let agents = stats["agents"] as? [String: Any]
        #expect(agents?["away"] as? Int == 1 && (agents?["offline"] as? Int ?? 0) >= 1, "anna paused, jonas removed: \(String(describing: agents))")
        // A line that is not queue_log is named by file, line and field, and skipped.
        try "garbage|x\n1795509999|1.1|support|NONE|ENTERQUEUE||+1|1\n".write(toFile: s.dir + "/bad_log", atomically: true, encoding: .utf8)
        let bad = try s.qdeck("ingest", "queue-log", s.dir + "/bad_log", env: Self.now)
        #expect(bad.stderr.contains("bad_log:1 (byte 0): line: expected epoch|callid|queue|agent|EVENT|data..., found 2 field(s)"), "\(bad.stderr)")
        #expect(bad.stdout.contains("1 call,") || bad.stdout.hasPrefix("1 call"), "\(bad.stdout)")
    }

    /// Caller ID names (`log-caller-id-name = yes`), a caller matched to the customer who mailed,
    /// and a rotation while no follower ran: the rest of `queue_log.1` is read before the new file.
    @Test(arguments: JournalKind.available) func queueLogCallerNamesContactsAndRotationWhileStopped(kind: JournalKind) throws {
        let s = Scratch(kind)
        let log = s.dir + "/queue_log"
        let mailed = try s.newTicket(customer: "Ilze Bērziņa <ilze@inbox.lv>", extra: ["--phone", "+371 2000 0000", "--group", "vip"])
        let t = 1_795_500_000  // 2026-11-24 06:00 UTC
        func enter(_ n: Int, _ number: String, _ name: String?) -> String {
            "\(t + n)|\(t).\(n)|support|NONE|ENTERQUEUE||\(number)|1" + (name.map { "|" + $0 } ?? "")
        }
        try (enter(1, "0037120000000", "ILZE MOBILE") + "\n" + enter(2, "+37126000000", "SIA A_B Serviss") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        #expect(try s.qdeck("ingest", "queue-log", log, env: Self.now).status == 0)
        // Stopped; Asterisk writes two more lines, then the log rotates and a new file begins.
        let h = try #require(FileHandle(forWritingAtPath: log))
        h.seekToEndOfFile()
        h.write(Data((enter(3, "+37126000003", "Pēteris Kalniņš") + "\n" + enter(4, "+37126000004", nil) + "\n").utf8))
        try h.close()
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        try (enter(5, "+37126000005", "Новый файл") + "\n").write(toFile: log, atomically: false, encoding: .utf8)
        let restart = try s.qdeck("ingest", "queue-log", log, env: Self.now)
        #expect(restart.status == 0 && restart.stdout.contains("3 calls"), "\(restart.stdout) \(restart.stderr)")
        #expect(!restart.stderr.contains("warning"), "\(restart.stderr)")
        let calls = try Self.tickets(s).filter { $0["channel"] as? String == "call" }
        let names = Set(calls.compactMap { ($0["customer"] as? [String: Any])?["name"] as? String })
        #expect(names == ["Ilze Bērziņa", "SIA A_B Serviss", "Pēteris Kalniņš", "+37126000004", "Новый файл"], "\(names)")
        // Ilze's call is on her card, beside the ticket she mailed: one contact, both tickets.
        let ilze = try #require(calls.first { ($0["customer"] as? [String: Any])?["name"] as? String == "Ilze Bērziņa" })
        #expect((ilze["customer"] as? [String: Any])?["email"] as? String == "ilze@inbox.lv")
        let card = try s.qdeck("show", ilze["id"] as! String, env: Self.now)
        #expect(card.stdout.contains(mailed), "\(card.stdout)")
        // What the caller's line said is kept beside the card's name: someone else may use that phone.
        #expect(card.stdout.contains("caller ID: ILZE MOBILE"), "\(card.stdout)")
        // A file that is not there, or not a file, is the input's fault (66), said as such.
        let missing = try s.qdeck("ingest", "queue-log", s.dir + "/none.log", env: Self.now)
        #expect(missing.status == 66 && missing.stderr.contains("none.log: no such file (the queue_log to read)"), "\(missing.stderr)")
        #expect(try s.qdeck("ingest", "queue-log", s.dir, env: Self.now).status == 66)
        // A time outside the desk's life is a broken line, named, not a call from 1970.
        try "100|100.1|support|NONE|ENTERQUEUE||+37126000099|1|Old\n".write(toFile: s.dir + "/old_log", atomically: true, encoding: .utf8)
        let old = try s.qdeck("ingest", "queue-log", s.dir + "/old_log", env: Self.now)
        #expect(old.stderr.contains("old_log:1 (byte 0): epoch: 1970-01-01T00:01:40Z is outside"), "\(old.stderr)")
        // Rotated again while stopped, and the old file compressed away: said, not silently lost.
        try FileManager.default.removeItem(atPath: log + ".1")
        let h2 = try #require(FileHandle(forWritingAtPath: log))
        h2.seekToEndOfFile()
        h2.write(Data((enter(6, "+37126000006", "Lost") + "\n").utf8))
        try h2.close()
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1.gz-gone")
        try FileManager.default.removeItem(atPath: log + ".1.gz-gone")
        try (enter(7, "+37126000007", "After") + "\n").write(toFile: log, atomically: false, encoding: .utf8)
        let gap = try s.qdeck("ingest", "queue-log", log, env: Self.now)
        #expect(gap.status == 0 && gap.stdout.contains("1 call"), "\(gap.stdout)")
        #expect(gap.stderr.contains("was rotated while qdeck was stopped") && gap.stderr.contains("were not read"), "\(gap.stderr)")
    }

    /// Every way a log is rotated while no follower runs, and logrotate's `create` while one does:
    /// no call is lost, none is read twice, and what cannot be found is said (found by an admin's
    /// review: an inode given to the new file, two rotations, copytruncate, Asterisk still writing
    /// to the renamed file, each lost calls silently).
    @Test(arguments: JournalKind.available) func queueLogRotationsLoseNoCall(kind: JournalKind) throws {
        let s = Scratch(kind)
        let log = s.dir + "/queue_log"
        var n = 0
        func enter() -> String {
            n += 1
            return "\(1_795_500_000 + n)|\(1_795_500_000 + n).\(n)|support|NONE|ENTERQUEUE||+3712600\(1000 + n)|1|Caller \(n)\n"
        }
        func append(_ file: String, _ text: String) throws {
            if !FileManager.default.fileExists(atPath: file) { FileManager.default.createFile(atPath: file, contents: nil) }
            let h = try #require(FileHandle(forWritingAtPath: file))
            h.seekToEndOfFile()
            h.write(Data(text.utf8))
            try h.close()
        }
        func ingest() throws -> Harness.Result { try s.qdeck("ingest", "queue-log", log, env: Self.now) }
        func calls() throws -> [String] {
            try Self.tickets(s).compactMap { ($0["customer"] as? [String: Any])?["name"] as? String }.sorted()
        }
        func expectAll(_ why: String) throws {
            let names = try calls()
            #expect(names == (1...n).map { "Caller \($0)" }.sorted(), "\(why): \(names)")
        }
        try append(log, enter() + enter())
        #expect(try ingest().status == 0)

        // Two rotations while stopped: queue_log.2 (read before), queue_log.1, then the live file.
        try append(log, enter())
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        try append(log, enter())
        try FileManager.default.moveItem(atPath: log + ".1", toPath: log + ".2")
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        try append(log, enter())
        var r = try ingest()
        #expect(r.stdout.contains("3 calls") && !r.stderr.contains("warning"), "\(r.stdout) \(r.stderr)")
        try expectAll("two rotations")

        // copytruncate while stopped: the copy holds the unread tail, the live file starts again.
        try append(log, enter())
        try FileManager.default.copyItem(atPath: log, toPath: log + ".0")
        try "".write(toFile: log, atomically: false, encoding: .utf8)
        try append(log, enter() + enter() + enter())
        r = try ingest()
        #expect(r.stdout.contains("4 calls") && !r.stdout.contains("unreadable") && !r.stderr.contains("warning"), "\(r.stdout) \(r.stderr)")
        try expectAll("copytruncate")

        // The old file gone (compressed) and the new one in the same inode, its start different:
        // the new file is read from its start, and the loss is said.
        try append(log, enter())
        let lost = n
        try "".write(toFile: log, atomically: false, encoding: .utf8)
        for f in [log + ".0", log + ".1", log + ".2"] { try FileManager.default.removeItem(atPath: f) }
        try append(log, enter() + enter())
        r = try ingest()
        #expect(r.stdout.contains("2 calls") && !r.stdout.contains("unreadable"), "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("was rotated while qdeck was stopped") && r.stderr.contains("were not read"), "\(r.stderr)")
        let afterLoss = try calls()
        #expect(afterLoss.count == n - 1 && !afterLoss.contains("Caller \(lost)"))

        // logrotate's `create` while following: Asterisk writes on to the renamed file for a while.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Harness.binDir + "/qdeck")
        var env = ProcessInfo.processInfo.environment.merging(Self.now.merging(["QDECK_AGENT": "nobody", "QDECK_SENDMAIL": "/bin/true"]) { $1 }) { $1 }
        p.arguments = Harness.actingAsLogin(["--journal", s.journal, "ingest", "queue-log", log, "--follow"], &env)
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { p.terminate() } }
        let before = try calls().count
        try append(log, enter())
        #expect(Harness.eventually(within: 5) { (try? calls().count) == before + 1 })
        try FileManager.default.moveItem(atPath: log, toPath: log + ".1")
        try "".write(toFile: log, atomically: false, encoding: .utf8)
        usleep(600_000)  // the follower has seen the new file by now
        try append(log + ".1", enter())
        try append(log, enter())
        #expect(Harness.eventually(within: 5) { (try? calls().count) == before + 3 }, "\((try? calls()) ?? [])")
        p.terminate()
        p.waitUntilExit()
        _ = try ingest()
        #expect(try calls().count == before + 3, "nothing twice after a restart")
    }

    /// Self-service lines (README "Self-service") recorded once, bad lines named and skipped, and the
    /// deflection ratio in `stats` against a hand-worked count that includes users who also opened tickets.
    @Test(arguments: JournalKind.available) func selfServiceIsRecordedOnceAndGivesTheDeflectionRatio(kind: JournalKind) throws {
        let s = Scratch(kind)
        _ = try s.newTicket(customer: "Ilze Bērziņa <ilze@inbox.lv>")
        _ = try s.newTicket(customer: "Bob <bob@example.org>")
        let iso = ISO8601DateFormatter()
        let t = iso.string(from: Date().addingTimeInterval(-300))
        let feed = s.dir + "/help-centre.jsonl"
        let lines = [
            #"{"at":"\#(t)","who":"ILZE@inbox.lv","what":"article","subject":"Paroles maiņa","id":"kb-1"}"#,
            #"{"at":"\#(t)","who":"carol@example.org","what":"bot","subject":"Where is my order? \u001b[2J"}"#,
            #"{"at":"\#(t)","who":"carol@example.org","what":"article","subject":"Shipping","id":"kb-3"}"#,
            #"{"at":"\#(t)","who":"v-7781","what":"article","id":"kb-4"}"#,
            #"{"at":"2h","who":"x","what":"article"}"#,
            #"{"at":"\#(t)","who":"x","what":"video"}"#,
            #"{"at":"\#(t)","what":"article"}"#,
            "not json",
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: feed, atomically: true, encoding: .utf8)
        let first = try s.qdeck("ingest", "self-service", feed)
        #expect(first.status == 0 && first.stdout.contains("4 self-service interactions recorded, 0 duplicates, 4 unreadable lines skipped"), "\(first.stdout)")
        #expect(first.stderr.contains("help-centre.jsonl:5 (byte ") && first.stderr.contains("at: '2h' is not an ISO 8601 time"), "\(first.stderr)")
        #expect(first.stderr.contains(":6 (byte ") && first.stderr.contains("what: 'video' is not one of article, bot"))
        #expect(first.stderr.contains(":7 (byte ") && first.stderr.contains("who: missing"))
        // Again, from standard input: nothing twice.
        let again = try s.qdeck("ingest", "self-service", "-", stdin: lines.joined(separator: "\n"))
        #expect(again.stdout.contains("0 self-service interactions recorded, 4 duplicates"), "\(again.stdout)")
        // Only the intake role stores arrivals.
        #expect(try Harness.run("qdeck", ["--journal", s.journal, "ingest", "self-service", feed], env: ["QDECK_AGENT": "anna"]).status == 77)

        // 4 interactions; users: ilze (read and mailed: once), carol, v-7781, bob (mailed) = 4.
        let stats = try #require(try JSONSerialization.jsonObject(with: Data(try s.qdeck("stats", "--since", "1h", "--json").stdout.utf8)) as? [String: Any])
        let d = try #require(stats["deflection"] as? [String: Any])
        #expect(d["interactions"] as? Int == 4 && d["selfServiceUsers"] as? Int == 3 && d["ticketUsers"] as? Int == 2 && d["users"] as? Int == 4, "\(d)")
        #expect(d["ratio"] as? Double == 1.0 && (d["definition"] as? String)?.contains("self-service interactions / users") == true)
        let text = try s.qdeck("stats", "--since", "1h")
        #expect(text.stdout.contains("deflection: 1.00 (4 self-service interactions by 3 users; 4 users in all, 2 of them opened tickets)"), "\(text.stdout)")
        // A period before any of it: no users, no ratio.
        let before = try #require(try JSONSerialization.jsonObject(with: Data(try s.qdeck("stats", "--at", "20m", "--since", "10m", "--json").stdout.utf8)) as? [String: Any])
        #expect((before["deflection"] as? [String: Any])?["users"] as? Int == 0)
        // A folder is refused (it once crashed the reader); a line that is not UTF-8, one over 2 MiB
        // (never held in memory whole), fractions of a second, and the same line with CRLF.
        let folder = try s.qdeck("ingest", "self-service", s.dir)
        #expect(folder.status == 66 && folder.stderr.contains("a folder, not a file of JSON lines"), "\(folder.stderr)")
        var odd = Data(#"{"at":"\#(t)","who":"a"#.utf8) + Data([0xFF]) + Data(#"@example.org","what":"article","id":"kb-9"}"#.utf8) + Data("\n".utf8)
        odd += Data(("{\"at\":\"" + t + "\",\"who\":\"big@example.org\",\"what\":\"article\",\"subject\":\"" + String(repeating: "x", count: 3 << 20) + "\"}\n").utf8)
        let fraction = iso.string(from: Date().addingTimeInterval(-200)).replacingOccurrences(of: "Z", with: ".123Z")
        odd += Data((#"{"at":"\#(fraction)","who":"dana@example.org","what":"bot","subject":"CRLF"}"# + "\r\n").utf8)
        odd += Data((#"{"at":"\#(fraction)","who":"dana@example.org","what":"bot","subject":"CRLF"}"# + "\n").utf8)
        try odd.write(to: URL(fileURLWithPath: s.dir + "/odd.jsonl"))
        let oddRun = try s.qdeck("ingest", "self-service", s.dir + "/odd.jsonl")
        #expect(oddRun.stdout.contains("1 self-service interaction recorded, 1 duplicate, 2 unreadable lines skipped"), "\(oddRun.stdout) \(oddRun.stderr)")
        #expect(oddRun.stderr.contains("odd.jsonl:1 (byte 0): line: not UTF-8 text"), "\(oddRun.stderr)")
        #expect(oddRun.stderr.contains("odd.jsonl:2 (byte ") && oddRun.stderr.contains("a line may have"), "\(oddRun.stderr)")
        // The dump shows the records, hostile text escaped.
        let dump = try s.qdeck("log", "dump")
        #expect(dump.stdout.contains(#""type":"self-service""#) && dump.stdout.contains(#"\u001b[2J"#), "\(dump.stdout.suffix(400))")
    }

    @Test(arguments: JournalKind.available) func chatTranscriptsWaitAnswerAndMiss(kind: JournalKind) throws {
        let s = Scratch(kind)
        let file = s.dir + "/chat.jsonl"
        let lines = [
            #"{"type":"start","session":"c1","at":"2026-11-24T09:00:00Z","visitor":{"name":"Jānis","email":"janis@example.lv"},"subject":"Kur ir pasūtījums?","queue":"support"}"#,
            #"{"type":"visitor","session":"c1","at":"2026-11-24T09:00:05Z","text":"Sveiki! Pasūtījums 1042?"}"#,
            #"{"type":"agent","session":"c1","at":"2026-11-24T09:01:00Z","agent":"anna","text":"Tas ir ceļā."}"#,
            #"{"type":"end","session":"c1","at":"2026-11-24T09:05:00Z"}"#,
            #"{"type":"start","session":"c2","at":1795510000,"visitor":{"name":"Ann"}}"#,
            #"{"type":"left","session":"c2","at":1795510090}"#,
            #"{"type":"visitor","session":"c3","at":"2026-11-24T10:00:00Z","visitor":{"name":"Bo"},"text":"hello?"}"#,
            #"{"type":"wave","session":"c3","at":"2026-11-24T10:00:00Z"}"#,
            #"{"type":"\u001b]0;owned\u0007\u001b[2J","session":"c3","at":"2026-11-24T10:00:00Z"}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let r = try s.qdeck("ingest", "chat", file, env: Self.now)
        #expect(r.status == 0)
        #expect(r.stderr.contains("chat.jsonl:8 (byte"), "\(r.stderr)")
        #expect(r.stderr.contains("type: 'wave' is not one of start, visitor, agent, end, left"))
        #expect(r.stderr.contains("chat.jsonl:9") && !r.stderr.contains("\u{1B}") && !r.stderr.contains("\u{07}"), "hostile input never reaches the terminal raw")
        let chats = try Self.tickets(s)
        #expect(chats.count == 3)
        let c1 = try #require(chats.first { $0["subject"] as? String == "Kur ir pasūtījums?" })
        #expect(c1["status"] as? String == "resolved" && c1["channel"] as? String == "chat" && c1["department"] as? String == "general")
        #expect(chats.filter { ($0["tags"] as? [String]) == ["missed-chat"] }.count == 1)
        #expect(chats.filter { $0["status"] as? String == "new" }.count == 2, "the missed chat and the waiting one")
        let again = try s.qdeck("ingest", "chat", file, env: Self.now)
        #expect(again.stdout.contains("7 duplicates"), "\(again.stdout)")
        // Standard input, as a live stream.
        let live = try s.qdeck("ingest", "chat", "-", env: Self.now, stdin: #"{"type":"start","session":"c9","at":"2026-11-24T11:00:00Z","visitor":{"name":"Live"}}"# + "\n")
        #expect(live.stdout.contains("1 chats started"))
    }

    /// Regression: a journal named without a folder (`--journal j`) crashed in Foundation's path code.
    @Test(arguments: JournalKind.available) func bareJournalFileNameWorks(kind: JournalKind) throws {
        let s = Scratch(kind)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Harness.binDir + "/qdeck")
        p.arguments = ["--journal", "j", "ingest", "chat", "-"]
        p.currentDirectoryURL = URL(fileURLWithPath: s.dir)
        let inp = Pipe()
        p.standardInput = inp
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        inp.fileHandleForWriting.write(Data(#"{"type":"start","session":"b1","at":"2026-11-24T11:00:00Z"}"#.utf8 + [0x0A]))
        try inp.fileHandleForWriting.close()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: s.dir + "/j"))
    }

    /// A redelivery is one message; a reused Message-ID with another sender, subject or body is
    /// another message (it was dropped as "already stored").
    @Test(arguments: JournalKind.available) func aReusedMessageIDWithOtherContentIsStored(kind: JournalKind) throws {
        let s = Scratch(kind)
        let first = "From: Ilze <ilze@inbox.lv>\nTo: support@example.com\nSubject: Invoice question\nMessage-ID: <same@x>\n\nWhere is my invoice?\n"
        let forged = "From: Spammer <win@prize.example>\nTo: support@example.com\nSubject: You won\nMessage-ID: <same@x>\n\nClick here\n"
        #expect(try s.qdeck("ingest", "mail", stdin: first).status == 0)
        let again = try s.qdeck("ingest", "mail", stdin: first)
        #expect(again.status == 0)
        #expect(again.stdout.contains("already") || again.stderr.contains("already") || again.stdout.contains("duplicate"), "\(again.stdout)\(again.stderr)")
        #expect(try s.qdeck("ingest", "mail", stdin: forged).status == 0)
        let all = try s.json("list", "--all") as! [[String: Any]]
        #expect(Set(all.compactMap { $0["subject"] as? String }) == ["Invoice question", "You won"], "\(all)")
    }

    /// `qdeck reply` to a customer without an address says so and the outbox shows it (it was marked
    /// answered and went nowhere, silently).
    @Test(arguments: JournalKind.available) func aReplyToACustomerWithoutAnAddressIsSaid(kind: JournalKind) throws {
        let s = Scratch(kind)
        let id = try s.newTicket("email", subject: "No address", customer: "Phone Only")
        let r = try s.qdeck("reply", id, "--body", "Hello")
        #expect(r.stderr.contains("the customer has no email address that can be used: not sent"), "\(r.stderr)")
        let box = try s.qdeck("outbox")
        #expect(box.stdout.contains(id) && box.stdout.contains("no email address"), "\(box.stdout)")
    }
}
