import Foundation
import Testing

/// A real Postfix on loopback (scripts/postfix-loopback.sh configures it; .ci/run installs it): a
/// customer's message arrives over SMTP, an alias pipes it to `qdeck ingest mail`, an agent's reply
/// leaves through Postfix's sendmail and is relayed to an SMTP sink (Python's aiosmtpd), where its
/// headers are checked; the customer's answer threads back by In-Reply-To.
@Suite(.serialized) struct PostfixTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func sh(_ args: [String], env: [String: String] = [:]) throws -> (Int32, String) {
        try runToEnd(args, env: env)
    }

    static func smtp(_ message: String, to rcpt: String) throws -> (Int32, String) {
        try sh(["python3", "-c", """
        import smtplib, sys
        with smtplib.SMTP('127.0.0.1', 25, timeout=20) as s:
            s.sendmail('anne@example.org', [sys.argv[2]], sys.argv[1].encode())
        """, message, rcpt])
    }

    /// The headers of the one message in a Maildir, once it has arrived.
    /// The message the sink received for `ticket` (other mail may pass through the machine's Postfix).
    static func sunk(_ maildir: String, ticket: String) -> String? {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: maildir + "/new") else { return nil }
        return files.sorted().lazy.compactMap { try? String(contentsOfFile: maildir + "/new/" + $0, encoding: .utf8) }
            .first { $0.contains("X-QueueDeck-Ticket: \(ticket)") }
    }

    static func ticket(_ journal: String, _ id: String) throws -> [String: Any] {
        let r = try Harness.run("qdeck", ["--journal", journal, "show", id, "--json"])
        return (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    @Test func mailInThroughPostfixAndReplyOutThroughIt() throws {
        #expect(getuid() == 0, "configuring the system's Postfix needs root (CI runs as root)")
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/sbin/postfix"), "postfix is missing: scripts/setup.sh installs it")
        let dir = "/tmp/qdeck-postfix-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        // Writable by the pipe's user nobody; sticky, so no one replaces another's files (qdeck refuses a
        // team file in a folder anyone may fill).
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o1777])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let journal = dir + "/desk.journal"
        let alias = "support-\(getpid())"
        try "intake:\n  address: \"Desk Support <\(alias)@desk.test>\"\n  queues: { support: general }\n"
            .write(toFile: dir + "/team.yaml", atomically: true, encoding: .utf8)
        chmod(dir + "/team.yaml", 0o644)

        // The sink: aiosmtpd writing what it receives to a Maildir.
        let port = 20_000 + Int(getpid() % 20_000)
        let sink = Process()
        sink.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sink.arguments = ["python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox", dir + "/sink"]
        sink.standardOutput = FileHandle.nullDevice
        sink.standardError = FileHandle.nullDevice
        try sink.run()
        defer { kill(sink.processIdentifier, SIGKILL); sink.waitUntilExit() }  // SIGTERM may be blocked by the runner's mask

        let qdeck = Harness.binDir + "/qdeck"
        let (rc, out) = try Self.sh(["bash", Self.root + "/scripts/postfix-loopback.sh", String(port), alias,
                                     "\(qdeck) ingest mail --journal \(journal) --queue support"])
        #expect(rc == 0, "postfix setup: \(out)")
        #expect(Harness.eventually(within: 10) { (try? Self.sh(["python3", "-c", "import socket; socket.create_connection(('127.0.0.1', \(port)), 1)"]).0) == 0 })

        // 1. The customer writes; Postfix pipes it to qdeck as user nobody.
        let inbound = "From: =?utf-8?q?Anne_P=C4=93rsone?= <anne@example.org>\r\nTo: \(alias)@desk.test\r\nSubject: Printer on fire\r\nMessage-ID: <pf-\(getpid())@example.org>\r\nDate: Tue, 24 Nov 2026 09:00:00 +0000\r\n\r\nHelp, the printer is on fire.\r\n"
        let (sent, said) = try Self.smtp(inbound, to: "\(alias)@desk.test")
        #expect(sent == 0, "SMTP: \(said)")
        var id = ""
        #expect(Harness.eventually(within: 20) {
            let r = try? Harness.run("qdeck", ["--journal", journal, "list", "--all", "--json"])
            guard let data = r?.stdout.data(using: .utf8), let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]],
                  let t = list.first else { return false }
            id = t["id"] as? String ?? ""
            return true
        }, "the message reached the journal through Postfix's pipe")
        let ticket = try Self.ticket(journal, id)
        #expect((ticket["customer"] as? [String: Any])?["name"] as? String == "Anne Pērsone")
        #expect(ticket["department"] as? String == "general")
        #expect("\(ticket["messages"] ?? "")".contains("Help, the printer is on fire."))

        // 2. The agent replies: through Postfix's sendmail (the default), relayed to the sink.
        let reply = try Harness.run("qdeck", ["--journal", journal, "reply", id, "--body", "We are sending the fire brigade."],
                                    env: ["QDECK_SENDMAIL": "/usr/sbin/sendmail -oi"])  // Postfix's own, as qdeck runs it by default
        #expect(reply.status == 0 && reply.stdout.contains("sent <qdeck."), "\(reply.stdout) \(reply.stderr)")
        var message = ""
        #expect(Harness.eventually(within: 20) { message = Self.sunk(dir + "/sink", ticket: id) ?? ""; return !message.isEmpty }, "the reply reached the SMTP sink")
        let headers = message.components(separatedBy: "\n\n").first ?? ""
        #expect(headers.contains("From: \"Desk Support\" <\(alias)@desk.test>"))
        #expect(headers.contains("To: =?utf-8?b?") && headers.contains("<anne@example.org>"))
        #expect(headers.contains("Subject: Re: Printer on fire [\(id)]"))
        #expect(headers.contains("In-Reply-To: <pf-\(getpid())@example.org>"))
        #expect(headers.contains("References: <pf-\(getpid())@example.org>"))
        #expect(headers.contains("X-MailFrom: \(alias)@desk.test"), "bounces come back to the desk")
        let ourID = try #require(headers.split(separator: "\n").first { $0.hasPrefix("Message-ID: <qdeck.\(id).") }).dropFirst(12)
        #expect(message.contains("We are sending the fire brigade."))

        // 3. The customer answers our reply (no ID in the subject): threaded, the ticket reopens.
        let answer = "From: anne@example.org\r\nTo: \(alias)@desk.test\r\nSubject: Re: Printer\r\nMessage-ID: <pf2-\(getpid())@example.org>\r\nIn-Reply-To: \(ourID)\r\n\r\nIt is out, thanks.\r\n"
        #expect(try Self.smtp(answer, to: "\(alias)@desk.test").0 == 0)
        #expect(Harness.eventually(within: 20) {
            let t = try? Self.ticket(journal, id)
            return "\(t?["messages"] ?? "")".contains("It is out, thanks.") && t?["status"] as? String == "open"
        }, "the answer threaded into \(id) and reopened it")

        // 4. Issue 15: a message with two Cc addresses; the reply, with two files, reaches all three
        // through Postfix, byte for byte; the Cc'd person's answer threads in as theirs.
        let withCc = "From: anne@example.org\r\nTo: \(alias)@desk.test\r\nCc: Boss <boss@example.org>, karlis@example.net\r\nSubject: Order 77\r\nMessage-ID: <cc-\(getpid())@example.org>\r\n\r\nWe all need the invoice.\r\n"
        #expect(try Self.smtp(withCc, to: "\(alias)@desk.test").0 == 0)
        var ccID = ""
        #expect(Harness.eventually(within: 20) {
            let r = try? Harness.run("qdeck", ["--journal", journal, "list", "--all", "--json"])
            let list = (r.flatMap { try? JSONSerialization.jsonObject(with: Data($0.stdout.utf8)) as? [[String: Any]] }) ?? []
            ccID = list.first { $0["subject"] as? String == "Order 77" }?["id"] as? String ?? ""
            return !ccID.isEmpty
        }, "the message with Cc reached the journal")
        #expect(try Self.ticket(journal, ccID)["cc"] as? [String] == ["boss@example.org", "karlis@example.net"])
        let files = [dir + "/invoice.pdf", dir + "/kvīts ārā.png"]
        FileManager.default.createFile(atPath: files[0], contents: Data(Array("%PDF-1.4\n".utf8) + (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
        FileManager.default.createFile(atPath: files[1], contents: Data([0x89, 0x50, 0x4E, 0x47] + (0..<9_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }))
        let withFiles = try Harness.run("qdeck", ["--journal", journal, "reply", ccID, "--body", "Invoice and receipt attached.", "--attach", files[0], "--attach", files[1]],
                                   env: ["QDECK_SENDMAIL": "/usr/sbin/sendmail -oi"])
        #expect(withFiles.status == 0 && withFiles.stdout.contains("sent <qdeck."), "\(withFiles.stdout) \(withFiles.stderr)")
        var relayed = ""
        #expect(Harness.eventually(within: 20) { relayed = Self.sunk(dir + "/sink", ticket: ccID) ?? ""; return !relayed.isEmpty }, "the reply with files reached the sink")
        let check = try Self.sh(["python3", "-c", """
        import sys, glob
        from email import message_from_bytes, policy
        for path in glob.glob(sys.argv[1] + '/new/*'):
            m = message_from_bytes(open(path, 'rb').read(), policy=policy.default)
            if m['X-QueueDeck-Ticket'] != sys.argv[2]: continue
            print('rcpt', m['X-RcptTo'])
            got = {p.get_filename(): p.get_payload(decode=True) for p in m.iter_attachments()}
            for f in sys.argv[3:]:
                print('same' if got.get(f.rsplit('/', 1)[1]) == open(f, 'rb').read() else 'DIFFERENT', f.rsplit('/', 1)[1])
        """, dir + "/sink", ccID] + files)
        #expect(check.0 == 0, "\(check.1)")
        for address in ["anne@example.org", "boss@example.org", "karlis@example.net"] { #expect(check.1.contains(address), "\(address) in \(check.1)") }
        #expect(check.1.contains("same invoice.pdf") && check.1.contains("same kvīts ārā.png"), "\(check.1)")
        let replyID = try #require(relayed.split(separator: "\n").first { $0.hasPrefix("Message-ID: <qdeck.\(ccID).") }).dropFirst(12)
        let fromBoss = "From: Boss <boss@example.org>\r\nTo: \(alias)@desk.test\r\nSubject: Re: Order 77\r\nMessage-ID: <boss-\(getpid())@example.org>\r\nIn-Reply-To: \(replyID)\r\n\r\nPaid today.\r\n"
        #expect(try Self.smtp(fromBoss, to: "\(alias)@desk.test").0 == 0)
        #expect(Harness.eventually(within: 20) {
            let t = try? Self.ticket(journal, ccID)
            let messages = t?["messages"] as? [[String: Any]] ?? []
            return messages.contains { $0["body"] as? String == "Paid today." && $0["author"] as? String == "Boss <boss@example.org>" } && t?["status"] as? String == "open"
        }, "the Cc'd person's mail threaded into \(ccID) as theirs")
    }
}
