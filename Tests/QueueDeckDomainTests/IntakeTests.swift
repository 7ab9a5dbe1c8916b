import Testing
@testable import QueueDeckDomain

/// Intake decisions on hand-built desks: threading, reopening, idempotence, loops and noise,
/// calls and chats.
extension IntakeOutcome.Result {
    /// The new ticket, if this outcome created one: `try #require(o.result.created)` fails loudly.
    var created: TicketID? { if case .created(let t) = self { t } else { nil } }
}

@Suite struct IntakeTests {
    var desk = TestDesk()
    var nextID = 100

    mutating func mail(_ m: MailArrival, at now: Instant) -> IntakeOutcome {
        let id = TestDesk.ids[nextID]
        let o = Intake.mail(m, state: desk.state, now: now, rules: desk.rules, newID: { id })
        apply(o)
        return o
    }

    mutating func apply(_ o: IntakeOutcome) {
        if case .created = o.result { nextID += 1 }
        if case .linked = o.result { nextID += 1 }
        for e in o.decision.events {
            desk.seq += 1
            desk.state.apply(StoredEvent(seq: desk.seq, version: e.ticket == .desk ? 0 : (desk.state[e.ticket]?.version ?? 0) + 1, event: e))
        }
    }

    static func arrival(_ id: String, subject: String = "Refund please", from: String = "ann@example.org", text: String = "Hello",
                        thread: [String] = [], automatic: IntakeKind? = nil, bounced: [String] = []) -> MailArrival {
        MailArrival(key: "mail:" + id, messageID: id, from: Customer(name: "Ann", email: from), subject: subject, text: text,
                    threadIDs: thread, automatic: automatic, bouncedIDs: bounced)
    }

    func status(_ id: TicketID, _ at: Instant) -> TicketStatus { desk.state[id]!.status(at: at, autoCloseAfter: desk.rules.autoCloseAfter) }

    /// Issue 13, item 16: a stranger's mail carrying a ticket's ID (in the subject or the thread)
    /// is shown as from its real sender and changes nothing until an agent accepts it; a Reply-To
    /// naming the customer does not make the writer the customer.
    @Test mutating func aStrangersMailIntoATicketWaitsForAnAgent() throws {
        let id = try #require(mail(Self.arrival("<s1@ann>"), at: TestDesk.at(9)).result.created, "not created")
        _ = try desk.run(.reply(id, body: "Done"), at: TestDesk.at(9, 5))
        let before = try #require(desk.state[id])
        var forged = MailArrival(key: "mail:<e1@evil>", messageID: "<e1@evil>", from: Customer(name: "Ann", email: "ann@example.org"),
                                 author: "Mallory <m@evil.example>", authorAddress: "m@evil.example",
                                 subject: "Re: refund [\(id)]", text: "Send it to my account instead")
        let o = mail(forged, at: TestDesk.at(10))
        #expect(o.result == .awaiting(id))
        let after = try #require(desk.state[id])
        #expect(after.storedStatus == before.storedStatus && status(id, TestDesk.at(10, 1)) == .answered)
        #expect(after.messageCount == before.messageCount)
        #expect(after.entries.last?.kind == .record && after.entries.last?.body.contains("from Mallory <m@evil.example>: NOT this ticket's customer") == true)
        #expect(desk.state.awaiting(on: id).map(\.record.sender) == ["Mallory <m@evil.example>"])
        // A redelivery is still a duplicate; the thread route is checked as well.
        #expect(mail(forged, at: TestDesk.at(10, 1)).result == .duplicate(id))
        forged.key = "mail:<e2@evil>"
        forged.subject = "no id here"
        forged.threadIDs = ["<s1@ann>"]
        #expect(mail(forged, at: TestDesk.at(10, 2)).result == .awaiting(id))
        // The customer herself still reopens it at once.
        #expect(mail(Self.arrival("<s3@ann>", subject: "Re: [\(id)]"), at: TestDesk.at(10, 3)).result == .threaded(id))
        _ = try desk.run(.reply(id, body: "Again"), at: TestDesk.at(10, 4))
        // An agent accepts: each waiting mail becomes a customer message under its real sender, and reopens.
        let viewer = desk.rules.agents.first { !$0.may(.inbound) }
        if let viewer {
            #expect(throws: DomainError.self) { _ = try desk.run(.acceptMail(id), at: TestDesk.at(11), as: viewer.user) }
        }
        _ = try desk.run(.acceptMail(id), at: TestDesk.at(11))
        #expect(desk.state.awaiting(on: id).isEmpty)
        #expect(status(id, TestDesk.at(11, 1)) == .open)
        let accepted = desk.state[id]!.entries.filter { $0.kind == .customer }.suffix(2)
        #expect(accepted.map(\.author) == ["Mallory <m@evil.example>", "Mallory <m@evil.example>"])
        #expect(throws: DomainError.self) { _ = try desk.run(.acceptMail(id), at: TestDesk.at(11, 2)) }
    }

    /// The second review: accepted on a closed ticket, a stranger's mail opened the linked ticket
    /// as the customer's own first message.
    @Test mutating func acceptedOnAClosedTicketTheMailKeepsItsSender() throws {
        let id = try #require(mail(Self.arrival("<c1@ann>"), at: TestDesk.at(9)).result.created)
        _ = try desk.run(.resolve(id), at: TestDesk.at(9, 5))
        let later = TestDesk.at(9) + desk.rules.autoCloseAfter + .days(1)
        let stranger = MailArrival(key: "mail:<z1@x>", messageID: "<z1@x>", from: Customer(name: "Zed", email: "z@x.example"),
                                   author: "Zed <z@x.example>", authorAddress: "z@x.example", subject: "Re: [\(id)]", text: "mine")
        #expect(mail(stranger, at: later).result == .awaiting(id))
        let events = try desk.run(.acceptMail(id), at: later + .minutes(1))
        let linked = try #require(events.first { if case .created = $0.kind { true } else { false } }?.ticket)
        let entries = try #require(desk.state[linked]).entries.filter { $0.kind == .customer }
        #expect(entries.map(\.author) == ["Zed <z@x.example>"] && entries.first?.body == "mine")
    }

    /// The review: a new ticket's record showed the Reply-To address as the sender.
    @Test mutating func theRecordNamesWhoWroteAndWhereAnswersGo() throws {
        let m = MailArrival(key: "mail:<rt@x>", messageID: "<rt@x>", from: Customer(name: "Mal", email: "b@evil.example"),
                            author: "Mal <a@x.example>", authorAddress: "a@x.example", subject: "Hello", text: "hi")
        let id = try #require(mail(m, at: TestDesk.at(9)).result.created)
        let record = try #require(desk.state[id]?.entries.first { $0.kind == .record })
        #expect(record.body.contains("from Mal <a@x.example> (answers to b@evil.example)"), "\(record.body)")
    }

    @Test mutating func threadsBySubjectIDThenReferencesAndReopens() throws {
        let t0 = TestDesk.at(9)
        let id = try #require(mail(Self.arrival("<m1@ann>"), at: t0).result.created, "not created")
        #expect(desk.state[id]?.customer.email == "ann@example.org")
        // An agent replies: its queued Message-ID becomes a thread name.
        var rules = desk.rules
        rules.intake.address = "Desk <help@desk.example>"
        desk.rules = rules
        try desk.run(.reply(id, body: "On it"), at: TestDesk.at(9, 10))
        let outgoing = try #require(desk.state.outgoing.values.first)
        #expect(outgoing.to == "ann@example.org" && outgoing.body == "On it" && outgoing.step == .queued(to: "ann@example.org"))
        #expect(outgoing.messageID.hasSuffix("@desk.example>"))
        #expect(status(id, TestDesk.at(9, 11)) == .answered)
        // The customer answers our reply without the ID in the subject: In-Reply-To finds it, and it reopens.
        let r2 = mail(Self.arrival("<m2@ann>", subject: "Re: Refund please", thread: [outgoing.messageID]), at: TestDesk.at(10))
        #expect(r2.result == .threaded(id))
        #expect(status(id, TestDesk.at(10, 1)) == .open)
        // The ID in the subject wins over a References header pointing elsewhere.
        let other = try #require(mail(Self.arrival("<m3@bob>", subject: "Other", from: "bob@example.org"), at: TestDesk.at(10, 5)).result.created, "not created")
        let r4 = mail(Self.arrival("<m4@ann>", subject: "Fwd: see [\(id)]", thread: ["<m3@bob>"]), at: TestDesk.at(10, 6))
        #expect(r4.result == .threaded(id))
        #expect(desk.state[other]?.entries.count == 2, "other ticket untouched")
        // Resolved → a customer message reopens; after the quiet period it starts a linked ticket.
        try desk.run(.resolve(id), at: TestDesk.at(11))
        #expect(mail(Self.arrival("<m5@ann>", thread: ["<m1@ann>"]), at: TestDesk.at(12)).result == .threaded(id))
        #expect(status(id, TestDesk.at(12, 1)) == .open)
        try desk.run(.resolve(id), at: TestDesk.at(13))
        let late = mail(Self.arrival("<m6@ann>", thread: ["<m1@ann>"]), at: TestDesk.at(day: 5, 9))
        guard case .linked(let fresh, let from) = late.result else { Issue.record("expected a linked ticket, got \(late.result)"); return }
        #expect(from == id && desk.state[fresh]?.linkedFrom == id && status(fresh, TestDesk.at(day: 5, 9, 1)) == .new)
    }

    @Test mutating func sameMessageTwiceIsStoredOnce() throws {
        let first = mail(Self.arrival("<dup@ann>"), at: TestDesk.at(9))
        let events = desk.seq
        let again = mail(Self.arrival("<dup@ann>"), at: TestDesk.at(9, 5))
        #expect(again.result == .duplicate(first.ticket!))
        #expect(again.decision.events.isEmpty && desk.seq == events)
        #expect(desk.state.count == 1)
    }

    @Test mutating func autoRepliesAndBouncesNeverReopen() throws {
        let id = try #require(mail(Self.arrival("<m1@ann>"), at: TestDesk.at(9)).result.created, "not created")
        try desk.run(.reply(id, body: "Answer"), at: TestDesk.at(9, 5))
        let ours = try #require(desk.state.outgoing.values.first?.messageID)
        let auto = mail(Self.arrival("<ooo@ann>", subject: "Out of office: Re: Refund please [\(id)]", text: "I am away until Monday",
                                     automatic: .autoReply), at: TestDesk.at(9, 6))
        #expect(auto.result == .attached(id))
        #expect(status(id, TestDesk.at(9, 7)) == .answered, "an auto-reply does not reopen")
        #expect(desk.state[id]?.entries.last?.kind == .record)
        #expect(desk.state[id]?.entries.last?.body.contains("I am away until Monday") == true)
        #expect(!auto.decision.events.contains { if case .delivery = $0.kind { true } else { false } }, "and is never answered")
        // A bounce of our reply, found by the returned message's ID.
        let bounce = mail(MailArrival(key: "mail:<dsn@mx>", messageID: "<dsn@mx>", from: Customer(name: "Mail Delivery System", email: "MAILER-DAEMON@mx"),
                                      subject: "Undelivered Mail Returned to Sender", text: "could not deliver", automatic: .bounce,
                                      bouncedIDs: [ours], report: "to ann@example.org: 5.1.1 (failed)"), at: TestDesk.at(9, 8))
        #expect(bounce.result == .attached(id))
        #expect(status(id, TestDesk.at(9, 9)) == .answered)
        #expect(desk.state[id]?.entries.last?.body.contains("5.1.1") == true)
        // Noise matching nothing is held apart, not a ticket.
        let stray = mail(Self.arrival("<stray@x>", subject: "Automatic reply", from: "x@y", automatic: .autoReply), at: TestDesk.at(9, 10))
        #expect(stray.result == .held)
        #expect(desk.state.count == 1 && desk.state.held.count == 1)
        #expect(mail(Self.arrival("<stray@x>", automatic: .autoReply), at: TestDesk.at(9, 11)).result == .duplicate(.desk))
    }

    @Test mutating func customersAreMatchedByAddress() throws {
        desk.rules.intake.sendReplies = false
        let vip = try desk.run(.create(TicketOpening(channel: .call, customer: Customer(name: "Ann Vip", email: "Ann@Example.org", phone: "+371 1", groups: ["vip"]),
                                                     subject: "call")), at: TestDesk.at(8))
        _ = vip
        let id = try #require(mail(Self.arrival("<m1@ann>", from: "ann@example.org"), at: TestDesk.at(9)).result.created, "not created")
        #expect(desk.state[id]?.customer.groups == ["vip"], "the known customer, VIP group kept")
        #expect(desk.state[id]?.customer.phone == "+371 1")
    }

    @Test mutating func unreadableMailIsKeptRawAndFlagged() throws {
        var m = Self.arrival("<bad@x>", text: "")
        m.problems = ["multipart ends without its closing boundary"]
        m.raw = "Subject: Refund please\n\n--XYZ\ngarbage"
        let o = mail(m, at: TestDesk.at(9))
        #expect(o.flagged)
        let t = desk.state[o.ticket!]!
        #expect(t.tags == ["unreadable"])
        #expect(t.entries.contains { $0.kind == .record && $0.body.contains("PROBLEMS: multipart ends") && $0.body.contains("garbage") })
    }

    // MARK: Calls

    mutating func call(_ line: String) -> IntakeOutcome {
        let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let c = CallEvent(at: Instant(ms: Int64(f[0])! * 1000), callID: f[1], queue: f[2], agent: f[3], event: f[4], data: Array(f.dropFirst(5)), key: "ql:" + line)
        let id = TestDesk.ids[nextID]
        let o = Intake.call(c, state: desk.state, rules: desk.rules, newID: { id })
        apply(o)
        return o
    }

    @Test mutating func everyQueueLogEventDoesWhatItSays() throws {
        desk.rules.agents[0].phone = ["PJSIP/1001"]
        let t = TestDesk.at(9).ms / 1000
        guard case .created(let id) = call("\(t)|1700.1|support|NONE|ENTERQUEUE||\"Anne Person\" <+37120000000>|1").result else { Issue.record("no ticket"); return }
        var ticket = desk.state[id]!
        #expect(ticket.channel == .call && ticket.customer.name == "Anne Person" && ticket.customer.phone == "+37120000000")
        #expect(status(id, TestDesk.at(9, 1)) == .new)
        #expect(call("\(t + 5)|1700.1|support|PJSIP/1002|RINGNOANSWER|15000").result == .threaded(id))
        #expect(desk.state[id]!.entries.last?.body == "☎ rang PJSIP/1002 for 0:15, no answer", "an unmapped agent is shown as external")
        _ = call("\(t + 20)|1700.1|support|PJSIP/1001|CONNECT|20|1700.2|4")
        ticket = desk.state[id]!
        #expect(ticket.assignee == "anna", "PJSIP/1001 is anna in the roster")
        #expect(status(id, TestDesk.at(9, 1)) == .answered)
        _ = call("\(t + 200)|1700.1|support|PJSIP/1001|COMPLETECALLER|20|180|1")
        #expect(status(id, TestDesk.at(9, 5)) == .resolved)
        #expect(desk.state[id]!.entries.last?.body == "☎ call ended by the caller: talk 3:00, hold 0:20")
        // A second line of the same file again: nothing.
        #expect(call("\(t + 200)|1700.1|support|PJSIP/1001|COMPLETECALLER|20|180|1").result == .duplicate(id))

        // Abandoned, timed out, left with a key: missed calls that stay new.
        for (n, line) in ["ABANDON|2|3|65", "EXITWITHTIMEOUT|1|1|300", "EXITWITHKEY|5|1|1|40", "EXITEMPTY|1|1|0"].enumerated() {
            let cid = "1800.\(n)"
            guard case .created(let c) = call("\(t)|\(cid)|support|NONE|ENTERQUEUE||+3712222\(n)|1").result else { continue }
            _ = call("\(t + 60)|\(cid)|support|NONE|\(line)")
            let ct = desk.state[c]!
            #expect(status(c, TestDesk.at(9, 5)) == .new, "\(line) leaves it new")
            #expect(ct.abandonments.count == 1 && ct.tags == ["missed-call"], "\(line) marks a missed call")
        }
        let missed = desk.state.all.first { $0.tags == ["missed-call"] }!
        #expect(missed.history.contains { $0.text.contains("caller hung up after 1:05 waiting at position 2; call back") })

        // Transfers resolve the queue's part and say where it went; COMPLETEAGENT names the agent.
        let x = try #require(call("\(t)|1900.1|support|NONE|ENTERQUEUE||1234|1").result.created, "not created")
        _ = call("\(t + 10)|1900.1|support|PJSIP/1001|CONNECT|10|1900.2|2")
        _ = call("\(t + 70)|1900.1|support|PJSIP/1001|BLINDTRANSFER|2001|from-internal|10|60|1")
        #expect(desk.state[x]!.entries.last?.body == "☎ anna transferred the call to 2001@from-internal: talk 1:00, hold 0:10")
        #expect(status(x, TestDesk.at(9, 5)) == .resolved)
        let y = try #require(call("\(t)|1901.1|support|NONE|ENTERQUEUE||1235|1").result.created, "not created")
        _ = call("\(t + 10)|1901.1|support|PJSIP/1001|CONNECT|10|1901.2|2")
        _ = call("\(t + 30)|1901.1|support|PJSIP/1001|COMPLETEAGENT|10|20|1")
        #expect(desk.state[y]!.entries.last?.body == "☎ call ended by anna: talk 0:20, hold 0:10")

        // Agent availability for the wall.
        _ = call("\(t + 1)|NONE|support|PJSIP/1001|ADDMEMBER|")
        #expect(desk.state.presence["anna"]?.presence == .available)
        _ = call("\(t + 2)|NONE|support|PJSIP/1001|PAUSE|lunch")
        #expect(desk.state.presence["anna"]?.presence == .away)
        _ = call("\(t + 3)|NONE|support|PJSIP/1001|UNPAUSE|")
        #expect(desk.state.presence["anna"]?.presence == .available)
        _ = call("\(t + 4)|NONE|support|PJSIP/1001|REMOVEMEMBER|")
        #expect(desk.state.presence["anna"]?.presence == .offline)
        #expect(call("\(t + 2)|NONE|support|PJSIP/1001|PAUSE|lunch").decision.events.isEmpty, "an older line never overrides a newer state")
        #expect(call("\(t + 5)|NONE|NONE|NONE|QUEUESTART|").result == .ignored("QUEUESTART"))
        #expect(call("\(t + 5)|4242.1|support|NONE|CONNECT|1|2|3").result == .ignored("CONNECT for call 4242.1, which never entered a queue here"))
    }

    /// `log-caller-id-name = yes`: ENTERQUEUE's fourth field is the caller's name (UTF-8, `|` made `_`).
    @Test mutating func theCallerIDNameFieldNamesTheCaller() throws {
        let t = TestDesk.at(9).ms / 1000
        let named = try #require(call("\(t)|2000.1|support|NONE|ENTERQUEUE||+37120000001|1|Jānis Bērziņš").result.created)
        #expect(desk.state[named]!.customer.name == "Jānis Bērziņš" && desk.state[named]!.customer.phone == "+37120000001")
        #expect(desk.state[named]!.subject == "Call from Jānis Bērziņš (+37120000001)")
        nextID += 1
        let piped = try #require(call("\(t)|2000.2|support|NONE|ENTERQUEUE||+37120000002|1|SIA A_B Serviss").result.created)
        #expect(desk.state[piped]!.customer.name == "SIA A_B Serviss")
        nextID += 1
        // The older three-field form, and an empty name field: the number (or the caller ID's name).
        let old = try #require(call("\(t)|2000.3|support|NONE|ENTERQUEUE||+37120000003|1").result.created)
        #expect(desk.state[old]!.customer.name == "+37120000003" && desk.state[old]!.subject == "Call from +37120000003")
        nextID += 1
        let blank = try #require(call("\(t)|2000.4|support|NONE|ENTERQUEUE||\"Anne\" <+37120000004>|1|").result.created)
        #expect(desk.state[blank]!.customer.name == "Anne")
        nextID += 1
        // A hostile name is kept as data (the screen sanitises it), at most 200 characters.
        let long = try #require(call("\(t)|2000.5|support|NONE|ENTERQUEUE||+37120000005|1|\u{1B}[2J" + String(repeating: "x", count: 500)).result.created)
        #expect(desk.state[long]!.customer.name.count == 200)
    }

    /// A customer who mailed (with a phone number on the card) and then calls gets one card.
    @Test mutating func aCallerIsMatchedToTheContactWhoMailedByNumber() throws {
        let mailed = TestDesk.ids[nextID]
        apply(IntakeOutcome(result: .created(mailed), decision: Decision(events: [Event(ticket: mailed, at: TestDesk.at(8), actor: "customer", kind: .created(TicketOpening(
            channel: .email, customer: Customer(name: "Ilze Bērziņa", email: "ilze@inbox.lv", phone: "+371 2000-0000", groups: ["vip"]), subject: "Invoice")))],
            expectedVersions: [:])))
        nextID += 1
        let t = TestDesk.at(9).ms / 1000
        let called = try #require(call("\(t)|2100.1|support|NONE|ENTERQUEUE||0037120000000|1|ILZE MOBILE").result.created)
        let c = desk.state[called]!.customer
        #expect(c.email == "ilze@inbox.lv" && c.groups == ["vip"] && c.name == "Ilze Bērziņa")
        #expect(desk.state.otherTickets(of: desk.state[called]!) == [mailed])
        #expect(desk.state[called]!.subject == "Call from Ilze Bērziņa (0037120000000)")
        nextID += 1
        // Another number is another person.
        let stranger = try #require(call("\(t)|2100.2|support|NONE|ENTERQUEUE||+37129999999|1|Ilze").result.created)
        #expect(desk.state[stranger]!.customer.email == nil && desk.state.otherTickets(of: desk.state[stranger]!).isEmpty)
    }

    @Test func phoneNumbersMatchByTheirDigits() {
        #expect(Customer.phoneKey("+371 2000-0000") == "37120000000")
        #expect(Customer.phoneKey("0037120000000") == "37120000000")
        #expect(Customer.phoneKey("(371) 20000000") == "37120000000")
        #expect(Customer.phoneKey("1001") == nil)
        #expect(Customer.phoneKey("anonymous") == nil)
        #expect(Customer.phoneKey("٣٧١٢٠٠٠٠٠٠٠") == nil, "only ASCII digits: other scripts' digits are not dialled")
        #expect(Customer.phoneKey("0 2000 0000") == "020000000", "a single leading 0 is a digit")
        #expect(Customer.phoneKey("000000") == nil, "00 is the prefix; four digits are too few")
        #expect(Customer.phoneKey("0000000") == "00000")
        #expect(Customer.phoneKey(String(repeating: "9", count: 18)) != nil && Customer.phoneKey(String(repeating: "9", count: 19)) == nil)
        #expect(Customer.phoneNumber("+371 2000 0000") == Customer.phoneNumber("0037120000000"))
        #expect(Customer.phoneNumber("020000000") != Customer.phoneNumber("20000000"))
    }

    @Test func callerIDsDecode() {
        #expect(Intake.callerID("\"Jānis Bērziņš\" <+37120000000>") == ("Jānis Bērziņš", "+37120000000"))
        #expect(Intake.callerID("+371 2000 0000") == (nil, "+371 2000 0000"))
        #expect(Intake.callerID("anonymous") == (nil, nil))
        #expect(Intake.callerID("Reception") == ("Reception", nil))
    }

    // MARK: Chats

    mutating func chat(_ kind: ChatLine.Kind, _ session: String, _ at: Instant, text: String = "", agent: String? = nil) -> IntakeOutcome {
        let line = ChatLine(kind: kind, session: session, at: at, visitor: Customer(name: "Visitor \(session)", email: "\(session)@example.org"),
                            subject: kind == .start ? "Where is my order?" : nil, agent: agent, text: text,
                            key: "chat:\(session):\(kind):\(at.ms):\(text)")
        let id = TestDesk.ids[nextID]
        let o = Intake.chat(line, state: desk.state, rules: desk.rules, newID: { id })
        apply(o)
        return o
    }

    @Test mutating func chatsWaitAreAnsweredEndAndGoMissed() throws {
        let id = try #require(chat(.start, "s1", TestDesk.at(9)).result.created, "not created")
        #expect(desk.state[id]!.channel == .chat && status(id, TestDesk.at(9, 1)) == .new)
        _ = chat(.visitor, "s1", TestDesk.at(9, 1), text: "Hi, order 17?")
        _ = chat(.agent, "s1", TestDesk.at(9, 2), text: "Let me check", agent: "bob")
        #expect(desk.state[id]!.assignee == "bob" && status(id, TestDesk.at(9, 3)) == .answered)
        _ = chat(.visitor, "s1", TestDesk.at(9, 3), text: "Thanks")
        #expect(status(id, TestDesk.at(9, 4)) == .open)
        _ = chat(.end, "s1", TestDesk.at(9, 5))
        #expect(status(id, TestDesk.at(9, 6)) == .resolved)
        #expect(chat(.visitor, "s1", TestDesk.at(9, 1), text: "Hi, order 17?").result == .duplicate(id))

        let missed = try #require(chat(.start, "s2", TestDesk.at(10)).result.created, "not created")
        _ = chat(.visitor, "s2", TestDesk.at(10, 1), text: "Anyone?")
        _ = chat(.left, "s2", TestDesk.at(10, 4))
        let m = desk.state[missed]!
        #expect(status(missed, TestDesk.at(10, 5)) == .new && m.abandonments.count == 1 && m.tags == ["missed-chat"])
        let ended = try #require(chat(.start, "s3", TestDesk.at(11)).result.created, "not created")
        _ = chat(.end, "s3", TestDesk.at(11, 4))
        #expect(status(ended, TestDesk.at(11, 5)) == .new && desk.state[ended]!.tags == ["missed-chat"], "unanswered and ended: a missed chat")
        #expect(chat(.agent, "nope", TestDesk.at(11), text: "x").result == .ignored("agent for chat session nope, which never started here"))
    }
}
