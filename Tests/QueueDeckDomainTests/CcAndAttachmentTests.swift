import Testing
@testable import QueueDeckDomain

/// Issue 15: the customer's Cc list kept on the ticket and answered (reply-all), mail from a Cc'd
/// person threading as theirs, and files kept with the message or reply they came with.
@Suite struct CcAndAttachmentTests {
    var intake = IntakeTests()

    static let pdf = AttachmentRef(name: "invoice.pdf", type: "application/pdf", size: 34_000, digest: String(repeating: "ab", count: 32))
    static let huge = AttachmentRef(name: "disk.img", type: "application/octet-stream", size: 30_000_000, digest: nil)

    static func arrival(_ id: String, from: String = "ann@example.org", cc: [String] = [], files: [AttachmentRef] = [],
                        thread: [String] = [], subject: String = "Invoice") -> MailArrival {
        MailArrival(key: "mail:" + id, messageID: id, from: Customer(name: "Ann", email: from), subject: subject, text: "text of \(id)",
                    attachments: files, cc: cc, threadIDs: thread)
    }

    @Test mutating func theCcListIsKeptAndARepliesGoesToEveryone() throws {
        let t0 = TestDesk.at(9)
        let id = try #require(intake.mail(Self.arrival("<m1@ann>", cc: ["boss@example.org", "k@example.net"], files: [Self.pdf, Self.huge]), at: t0).result.created)
        let t = try #require(intake.desk.state[id])
        #expect(t.cc == ["boss@example.org", "k@example.net"])
        #expect(t.attachments.map(\.file) == [Self.pdf, Self.huge])
        #expect(t.attachments.allSatisfy { $0.entry == 0 && $0.from == "customer" })
        #expect(t.entries.last?.body.contains("over the size limit, not kept") == true)

        let reply = try intake.desk.run(.reply(id, body: "Done", ReplyExtras(attachments: [Self.pdf])), at: t0 + 60_000)
        #expect(reply.contains { if case .attached([Self.pdf]) = $0.kind { true } else { false } })
        let out = try #require(intake.desk.state.outbox.first)
        #expect(out.to == "ann@example.org" && out.cc == ["boss@example.org", "k@example.net"])
        #expect(out.attachments == [Self.pdf])
        #expect(intake.desk.state[id]!.attachments.last?.from == "anna" && intake.desk.state[id]!.attachments.last?.entry == 2)

        // The agent leaves one address out: kept for the next reply, said in the journal.
        let second = try intake.desk.run(.reply(id, body: "Only you", ReplyExtras(cc: ["k@example.net"])), at: t0 + 120_000)
        #expect(second.contains { $0.kind == .ccChanged(["k@example.net"]) })
        #expect(intake.desk.state[id]!.cc == ["k@example.net"])
        #expect(intake.desk.state.outbox.last?.cc == ["k@example.net"])

        // The customer's next message says who is copied now.
        _ = intake.mail(Self.arrival("<m2@ann>", cc: ["boss@example.org"], thread: ["<m1@ann>"]), at: t0 + 180_000)
        #expect(intake.desk.state[id]!.cc == ["boss@example.org"])
        // A message without Cc copies nobody from then on (as a review found, the list used to stay).
        _ = intake.mail(Self.arrival("<m3@ann>", thread: ["<m1@ann>"]), at: t0 + 240_000)
        #expect(intake.desk.state[id]!.cc == [])
    }

    @Test mutating func mailFromACopiedPersonThreadsAsTheirsAndAStrangersStillWaits() throws {
        let t0 = TestDesk.at(9)
        let id = try #require(intake.mail(Self.arrival("<m1@ann>", cc: ["boss@example.org"]), at: t0).result.created)
        _ = try intake.desk.run(.reply(id, body: "On it"), at: t0 + 60_000)
        #expect(intake.desk.state[id]!.storedStatus == .answered)

        let boss = intake.mail(Self.arrival("<b1@org>", from: "Boss@Example.org", files: [Self.pdf], thread: ["<m1@ann>"]), at: t0 + 120_000)
        #expect(boss.result == .threaded(id))
        let t = intake.desk.state[id]!
        #expect(t.storedStatus == .open, "a Cc'd person's message reopens like the customer's")
        #expect(t.entries.contains { $0.kind == .customer && $0.author == "Ann <Boss@Example.org>" && $0.body == "text of <b1@org>" })
        #expect(t.attachments.last?.from == "from:Ann <Boss@Example.org>")
        #expect(intake.desk.state.awaiting(on: id).isEmpty)

        let eve = intake.mail(Self.arrival("<e1@evil>", from: "eve@evil.example", thread: ["<m1@ann>"]), at: t0 + 180_000)
        #expect(eve.result == .awaiting(id), "anyone else still waits for an agent")
    }

    @Test mutating func filesAndRecipientsGoWithEmailRepliesOnly() throws {
        let t0 = TestDesk.at(9)
        let call = intake.desk.create(.call, at: t0)
        #expect(throws: DomainError.self) { try intake.desk.run(.reply(call, body: "x", ReplyExtras(attachments: [Self.pdf])), at: t0 + 1000) }
        #expect(throws: DomainError.self) { try intake.desk.run(.reply(call, body: "x", ReplyExtras(cc: ["a@b.example"])), at: t0 + 1000) }
        _ = try intake.desk.run(.reply(call, body: "plain is fine"), at: t0 + 1000)
    }

    @Test func fileNamesAreMadeSafeForAFolder() {
        func name(_ s: String) -> String { AttachmentRef(name: s, type: "x/y", size: 1, digest: nil).fileName }
        #expect(name("../../etc/passwd") == "passwd")
        #expect(name("C:\\Users\\a\\evil.exe") == "evil.exe")
        #expect(name(".bashrc") == "bashrc")
        #expect(name("a\u{1B}[2Jb\u{202E}fdp.exe") == "a[2Jbfdp.exe")
        #expect(name("") == "attachment" && name("/") == "attachment" && name("...") == "attachment")
        #expect(name("rēķins 中文.pdf") == "rēķins 中文.pdf")
    }
}
