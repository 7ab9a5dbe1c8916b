import Foundation
import Testing

/// Issue 15: attachments kept byte for byte (Python's email as the judge), over the cap listed but
/// never a failed delivery, sent with replies as MIME, checked by `log verify`, and a blob store a
/// neighbour tampered with refused.
@Suite struct AttachmentTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let corpus = "/usr/lib/python3.11/test/test_email/data"

    @Test func attachmentsRoundTripByteForByteThroughIngestAndSave() throws {
        let s = Scratch()
        #expect(FileManager.default.fileExists(atPath: Self.corpus), "Python's email corpus: scripts/setup.sh installs libpython3.11-testsuite")
        let (rc, out) = try runToEnd(["python3", Self.fixtures + "/attachments_roundtrip.py", Harness.binDir + "/qdeck", s.dir, Self.corpus])
        #expect(rc == 0, "\(out)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data((out.split(separator: "\n").last ?? "").utf8)) as? [String: Any], "\(out)")
        #expect(summary["failures"] as? [String] == [], "\(summary)")
        #expect(summary["mismatches"] as? [String] == [], "\(summary)")
        #expect((summary["messages"] as? Int ?? 0) >= 40, "\(summary)")
        #expect((summary["compared"] as? Int ?? 0) >= 10, "every kept attachment written back and compared: \(summary)")
        #expect(summary["notKept"] as? Int == 1, "the 30 MB file is over the 25 MB cap: \(summary)")
    }

    /// A reply with two files and a changed Cc list, handed to a sendmail that keeps what it gets;
    /// Python reads the message back.
    @Test func aReplyCarriesItsFilesAsMIMEToTheCustomerAndTheCcList() throws {
        let s = Scratch()
        let mail = "From: Anne <anne@example.org>\nTo: support@localhost\nCc: Boss <boss@example.org>, k@example.net\nSubject: Scan\nMessage-ID: <s1@example.org>\n\nPlease look.\n"
        let r = try s.qdeck("ingest", "mail", stdin: mail)
        let id = try #require(r.stdout.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }, "\(r.stderr)")
        #expect(try s.qdeck("show", id).stdout.contains("cc boss@example.org, k@example.net"))
        let bin = s.dir + "/data.bin", pdf = s.dir + "/rēķins — 2026.pdf"
        FileManager.default.createFile(atPath: bin, contents: Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }))
        FileManager.default.createFile(atPath: pdf, contents: Data("%PDF-1.4\n%%EOF\n".utf8))
        let script = s.dir + "/keep.sh"
        try "#!/bin/sh\nprintf '%s\\n' \"$@\" > \(s.dir)/args\ncat > \(s.dir)/sent.eml\n".write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let reply = try s.qdeck("reply", id, "--body", "Both files attached.", "--attach", bin, "--attach", pdf, "--cc", "Boss <boss@example.org>, c@example.com",
                                env: ["QDECK_SENDMAIL": script])
        #expect(reply.status == 0 && reply.stdout.contains("sent <qdeck."), "\(reply.stdout) \(reply.stderr)")
        let args = try String(contentsOfFile: s.dir + "/args", encoding: .utf8)
        #expect(args.hasSuffix("--\nanne@example.org\nboss@example.org\nc@example.com\n"), "every recipient after --: \(args)")
        let (pyrc, parsed) = try runToEnd(["python3", "-c", """
        import sys, hashlib
        from email import message_from_bytes, policy
        m = message_from_bytes(open(sys.argv[1], 'rb').read(), policy=policy.default)
        print(m['To'], '|', m['Cc'], '|', m.get_content_type())
        print(m.get_body(('plain',)).get_content().strip())
        for p in m.iter_attachments():
            print(p.get_filename(), p.get_content_type(), hashlib.sha256(p.get_payload(decode=True)).hexdigest())
        """, s.dir + "/sent.eml"])
        #expect(pyrc == 0, "\(parsed)")
        func sha(_ path: String) throws -> String { String(try runToEnd(["sha256sum", path]).1.prefix(64)) }
        #expect(parsed.contains("Anne <anne@example.org> | boss@example.org, c@example.com | multipart/mixed"), "\(parsed)")
        #expect(parsed.contains("Both files attached."))
        #expect(parsed.contains("data.bin application/octet-stream \(try sha(bin))"), "\(parsed)")
        #expect(parsed.contains("rēķins — 2026.pdf application/pdf \(try sha(pdf))"), "the RFC 2231 name comes back whole: \(parsed)")
        // The Cc list changed is kept on the ticket; a bad address is refused before anything is stored.
        #expect(try s.qdeck("show", id).stdout.contains("cc boss@example.org, c@example.com"))
        let bad = try s.qdeck("reply", id, "--body", "x", "--cc", "a@b.example c@d.example")
        #expect(bad.status == 64 && bad.stderr.contains("--cc"), "\(bad.stderr)")
        // Files the agent sent are the ticket's too: numbered after the customer's.
        let listed = try s.qdeck("attachment", id)
        #expect(listed.stdout.contains("1  data.bin") && listed.stdout.contains("from anna"), "\(listed.stdout)")
    }

    @Test func logVerifyReadsEveryStoredFileAndNamesADamagedOne() throws {
        let s = Scratch()
        let mail = "From: a@example.org\nSubject: f\nMessage-ID: <v1@example.org>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nhi\n--b\nContent-Type: application/pdf; name=a.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--b--\n"
        #expect(try s.qdeck("ingest", "mail", stdin: mail).status == 0)
        let ok = try s.qdeck("log", "verify")
        #expect(ok.status == 0 && ok.stdout.contains("attachments: 1 stored file checked, all intact"), "\(ok.stdout)")
        let shard = try #require(try FileManager.default.contentsOfDirectory(atPath: s.journal + ".blobs").first)
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: s.journal + ".blobs/" + shard).first)
        try Data("%PDF-1.5\n".utf8).write(to: URL(fileURLWithPath: s.journal + ".blobs/\(shard)/\(file)"))
        let damaged = try s.qdeck("log", "verify")
        #expect(damaged.status == 65 && damaged.stdout.contains("ATTACHMENT DAMAGED a.pdf"), "\(damaged.stdout) \(damaged.stderr)")
        try FileManager.default.removeItem(atPath: s.journal + ".blobs/\(shard)/\(file)")
        let missing = try s.qdeck("log", "verify")
        #expect(missing.status == 65 && missing.stdout.contains("ATTACHMENT MISSING a.pdf"), "\(missing.stdout)")
        #expect(try s.qdeck("attachment", try #require(try s.json("list") as? [[String: Any]]).first!["id"] as! String, "1").status != 0)
    }

    /// A reply whose file is gone from the store (a restore that forgot `JOURNAL.blobs`) is not sent
    /// without it: it stays in the outbox, saying which file.
    @Test func aReplyWhoseFileIsGoneFromTheStoreWaitsInTheOutbox() throws {
        let s = Scratch()
        let id = try s.newTicket(subject: "Needs a file", customer: "Anne <anne@example.org>")
        let file = s.dir + "/manual.pdf"
        try "%PDF-1.4\n".write(toFile: file, atomically: true, encoding: .utf8)
        let deferred = try s.qdeck("reply", id, "--body", "The manual.", "--attach", file, env: ["QDECK_SENDMAIL": "/bin/false"])
        #expect(deferred.stderr.contains("kept in the outbox"), "\(deferred.stdout) \(deferred.stderr)")
        try FileManager.default.removeItem(atPath: s.journal + ".blobs")
        let retry = try s.qdeck("outbox", "--retry", env: ["QDECK_SENDMAIL": "/bin/true"])
        #expect(retry.stdout.contains("manual.pdf cannot be read from the store") || retry.stderr.contains("manual.pdf cannot be read from the store"),
                "\(retry.stdout) \(retry.stderr)")
        #expect(try s.qdeck("outbox").stdout.contains("with 1 file"))
    }

    /// A neighbour who can write the journal's folder plants the store as a link to their own
    /// folder: qdeck refuses it (the mail is deferred, 75) instead of writing customers' files there.
    @Test func aPlantedLinkForTheStoreIsRefused() throws {
        let s = Scratch()
        let theirs = s.dir + "/theirs"
        try FileManager.default.createDirectory(atPath: theirs, withIntermediateDirectories: true)
        #expect(try s.qdeck("ingest", "mail", stdin: "From: a@example.org\nSubject: x\nMessage-ID: <p0@x>\n\nhi\n").status == 0)
        try FileManager.default.createSymbolicLink(atPath: s.journal + ".blobs", withDestinationPath: theirs)
        let mail = "From: a@example.org\nSubject: f\nMessage-ID: <p1@example.org>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nhi\n--b\nContent-Type: application/pdf; name=a.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--b--\n"
        let r = try s.qdeck("ingest", "mail", stdin: mail)
        #expect(r.status == 75 && r.stderr.contains("not a folder"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: theirs).isEmpty)
    }
}
