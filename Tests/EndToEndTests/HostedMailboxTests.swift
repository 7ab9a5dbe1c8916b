import Foundation
import Testing

/// Hosted mailboxes as a desk reaches them (README "Hosted mailboxes"): a real Dovecot IMAP server on
/// loopback (scripts/dovecot-loopback.sh), mail appended to it by an IMAP client, mbsync pulling it
/// into a Maildir, and `qdeck ingest maildir --watch` turning it into tickets.
@Suite(.serialized) struct HostedMailboxTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func sh(_ args: [String]) throws -> (Int32, String) {
        try runToEnd(args)
    }

    /// A `qdeck ingest maildir --watch` running in the background, as the intake user.
    /// `errors`: where its standard error goes (nowhere by default).
    static func watcher(_ s: Scratch, _ maildir: String, errors: Pipe? = nil) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Harness.binDir + "/qdeck")
        p.arguments = ["--journal", s.journal, "ingest", "maildir", maildir, "--watch"]
        p.environment = ProcessInfo.processInfo.environment.merging(["QDECK_AGENT": "nobody", "QDECK_SENDMAIL": "/bin/true"]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = errors ?? FileHandle.nullDevice
        try p.run()
        return p
    }

    static func subjects(_ s: Scratch) throws -> [String] {
        let r = try s.qdeck("list", "--all", "--json")
        let list = (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]) ?? []
        return list.compactMap { $0["subject"] as? String }.sorted()
    }

    static func maildir(_ path: String) throws {
        for sub in ["new", "cur", "tmp"] { try FileManager.default.createDirectory(atPath: path + "/" + sub, withIntermediateDirectories: true) }
    }

    @Test func aMessageAppendedToTheIMAPMailboxBecomesATicket() throws {
        #expect(getuid() == 0, "starting Dovecot needs root (CI runs as root)")
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/sbin/dovecot"), "dovecot is missing: scripts/setup.sh installs dovecot-imapd")
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/mbsync"), "mbsync is missing: scripts/setup.sh installs isync")
        let s = Scratch()
        let server = s.dir + "/imap"
        // A port no other program holds now (the kernel's choice).
        let (_, free) = try Self.sh(["python3", "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"])
        let port = try #require(Int(free.trimmingCharacters(in: .whitespacesAndNewlines)))
        let (started, log) = try Self.sh(["bash", Self.root + "/scripts/dovecot-loopback.sh", server, String(port)])
        try #require(started == 0, "dovecot: \(log)")
        // Read now: the scratch folder (and the pid file in it) may be gone by the time the test ends.
        let dovecot = pid_t((try String(contentsOfFile: server + "/run/master.pid", encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        defer { if dovecot > 0 { kill(dovecot, SIGKILL) } }  // SIGTERM may be blocked: the test runner's mask survives exec
        let local = s.dir + "/mail"
        try FileManager.default.createDirectory(atPath: local, withIntermediateDirectories: true)  // mbsync's store must exist
        try """
        IMAPAccount desk
        Host 127.0.0.1
        Port \(port)
        User support
        Pass secret
        SSLType None
        AuthMechs LOGIN

        IMAPStore desk-remote
        Account desk

        MaildirStore desk-local
        Path \(local)/
        Inbox \(local)/INBOX

        Channel desk
        Far :desk-remote:
        Near :desk-local:
        Patterns INBOX
        Sync Pull
        Create Near
        Expunge None
        SyncState *

        """.write(toFile: s.dir + "/mbsyncrc", atomically: true, encoding: .utf8)
        // The customer's mail reaches the hosted mailbox (an IMAP APPEND, as a server's delivery would).
        func append(_ subject: String, id: String) throws {
            let (rc, out) = try Self.sh(["python3", "-c", """
            import imaplib, sys, time
            m = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))
            m.login('support', 'secret')
            msg = ('From: Ilze Bērziņa <ilze@inbox.lv>\\r\\nTo: support@desk.test\\r\\nSubject: ' + sys.argv[2] +
                   '\\r\\nMessage-ID: <' + sys.argv[3] + '>\\r\\nContent-Type: text/plain; charset=utf-8\\r\\n\\r\\nRēķins nav pienācis.\\r\\n').encode()
            print(m.append('INBOX', None, imaplib.Time2Internaldate(time.time()), msg))
            m.logout()
            """, String(port), subject, id])
            try #require(rc == 0, "IMAP append: \(out)")
        }
        try append("Invoice missing", id: "hosted-1@inbox.lv")
        // The first pull creates the local Maildir; the watcher follows it from then on.
        var (rc, out) = try Self.sh(["mbsync", "-c", s.dir + "/mbsyncrc", "desk"])
        try #require(rc == 0, "mbsync: \(out)")
        let watch = try Self.watcher(s, local + "/INBOX")
        defer { if watch.isRunning { watch.terminate() } }
        #expect(Harness.eventually(within: 10) { (try? Self.subjects(s)) == ["Invoice missing"] })
        // A second message while the watcher runs, then a pull: a ticket within the poll.
        try append("Still no invoice", id: "hosted-2@inbox.lv")
        (rc, out) = try Self.sh(["mbsync", "-c", s.dir + "/mbsyncrc", "desk"])
        #expect(rc == 0, "mbsync: \(out)")
        #expect(Harness.eventually(within: 10) { (try? Self.subjects(s))?.count == 2 }, "\((try? Self.subjects(s)) ?? [])")
        // Stored, then moved to cur/ as seen; the mail stays on the server (nothing deleted there).
        let cur = try FileManager.default.contentsOfDirectory(atPath: local + "/INBOX/cur")
        #expect(cur.count == 2 && cur.allSatisfy { $0.hasSuffix(":2,Sq") }, "\(cur)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: local + "/INBOX/new").isEmpty)
        let onServer = try FileManager.default.contentsOfDirectory(atPath: server + "/home/support/Maildir/cur")
            + (try FileManager.default.contentsOfDirectory(atPath: server + "/home/support/Maildir/new"))
        #expect(onServer.count == 2, "the hosted mailbox keeps its mail: \(onServer)")
        // Pulling again (mbsync sees the local flags) and restarting the watcher: nothing twice.
        (rc, out) = try Self.sh(["mbsync", "-c", s.dir + "/mbsyncrc", "desk"])
        #expect(rc == 0, "mbsync: \(out)")
        watch.terminate()
        watch.waitUntilExit()
        let again = try Self.watcher(s, local + "/INBOX")
        usleep(1_500_000)
        again.terminate()
        again.waitUntilExit()
        #expect(try Self.subjects(s) == ["Invoice missing", "Still no invoice"])
        withExtendedLifetime(s) {}
    }

    /// A Maildir's new/ or cur/ swapped for a link while the watcher runs: nothing outside the
    /// Maildir is read or moved (an admin's review had the watcher move a file out of another
    /// folder into a ticket, and write mail into a folder cur/ was linked to).
    @Test func foldersSwappedForLinksWhileWatchedAreNotFollowed() throws {
        let s = Scratch()
        let box = s.dir + "/Maildir", victim = s.dir + "/victim", victim2 = s.dir + "/victim2"
        try Self.maildir(box)
        try FileManager.default.createDirectory(atPath: victim, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: victim2, withIntermediateDirectories: true)
        try "root:x:0:0:root:/root:/bin/bash\n".write(toFile: victim + "/passwd", atomically: true, encoding: .utf8)
        let err = Pipe()
        let p = try Self.watcher(s, box, errors: err)
        defer { if p.isRunning { p.terminate() } }
        usleep(500_000)
        try FileManager.default.removeItem(atPath: box + "/new")
        try FileManager.default.createSymbolicLink(atPath: box + "/new", withDestinationPath: victim)
        // And cur/ pointing elsewhere, with a message arriving the proper way.
        try FileManager.default.removeItem(atPath: box + "/cur")
        try FileManager.default.createSymbolicLink(atPath: box + "/cur", withDestinationPath: victim2)
        try "From: a@example.org\nSubject: hi\nMessage-ID: <l1@x>\n\nbody\n".write(toFile: victim + "/1733.M1P1.h", atomically: true, encoding: .utf8)
        usleep(7_000_000)  // past the watcher's wait after finding new/ gone mid-swap
        p.terminate()
        p.waitUntilExit()
        let said = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(FileManager.default.fileExists(atPath: victim + "/passwd"), "a file outside the Maildir was moved")
        #expect(try FileManager.default.contentsOfDirectory(atPath: victim2).isEmpty, "something was written through cur/'s link")
        #expect(try Self.subjects(s).isEmpty)
        #expect(said.contains("a symbolic link or not a folder"), "\(said)")
    }

    /// `--watch` killed with SIGKILL in the middle of a batch: after a restart every message is a
    /// ticket exactly once, and every file has reached cur/.
    @Test func aWatcherKilledMidBatchLosesAndRepeatsNothing() throws {
        let s = Scratch()
        let box = s.dir + "/Maildir"
        try Self.maildir(box)
        let count = 600
        for i in 0..<count {
            let name = String(format: "17330%05d.M%dP1.host", i, i)
            try "From: Customer \(i) <c\(i)@example.org>\nSubject: Message \(i)\nMessage-ID: <kill-\(i)@example.org>\n\nbody \(i)\n"
                .write(toFile: box + "/tmp/" + name, atomically: false, encoding: .utf8)
            rename(box + "/tmp/" + name, box + "/new/" + name)
        }
        let first = try Self.watcher(s, box)
        // Killed as soon as the first stored messages reached cur/: mid-way through the work.
        #expect(Harness.eventually(within: 30) { ((try? FileManager.default.contentsOfDirectory(atPath: box + "/cur"))?.count ?? 0) > 0 })
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let movedBeforeKill = try FileManager.default.contentsOfDirectory(atPath: box + "/cur").count
        #expect(movedBeforeKill < count, "killed mid-way (\(movedBeforeKill) of \(count) moved)")
        let second = try Self.watcher(s, box)
        defer { if second.isRunning { second.terminate() } }
        #expect(Harness.eventually(within: 60) { (try? FileManager.default.contentsOfDirectory(atPath: box + "/new"))?.isEmpty == true })
        second.terminate()
        second.waitUntilExit()
        let subjects = try Self.subjects(s)
        #expect(subjects.count == count && Set(subjects).count == count, "\(subjects.count) tickets for \(count) messages")
        #expect(try FileManager.default.contentsOfDirectory(atPath: box + "/cur").count == count)
        #expect(try s.qdeck("log", "verify").status == 0)
    }
}
