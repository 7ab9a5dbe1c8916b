import Testing
@testable import QueueDeckDomain

/// Every status × every action, as README.md ("The ticket lifecycle") defines it.
@Suite struct LifecycleTests {
    enum Start: String, CaseIterable { case new, open, answered, postponed, resolved, closed }
    enum Action: String, CaseIterable { case reply, inbound, note, postpone, resolve, reopen, claim, priority, tag }

    /// Brings a fresh ticket into `start` by the real commands; returns the ticket and the time after.
    static func prepare(_ desk: inout TestDesk, _ start: Start) -> (TicketID, Instant) {
        let t0 = TestDesk.at(9)
        let id = desk.create(at: t0)
        switch start {
        case .new: break
        case .answered: try! desk.run(.reply(id, body: "hi"), at: t0 + .minutes(10))
        case .open:
            try! desk.run(.reply(id, body: "hi"), at: t0 + .minutes(10))
            try! desk.run(.customerMessage(id, body: "still broken"), at: t0 + .minutes(20), as: "customer")
        case .postponed: try! desk.run(.postpone(id, until: t0 + .days(2)), at: t0 + .minutes(10))
        case .resolved: try! desk.run(.resolve(id), at: t0 + .minutes(10))
        case .closed: try! desk.run(.resolve(id), at: t0 + .minutes(10))
        }
        let now = start == .closed ? t0 + .days(5) : t0 + .minutes(30)
        return (id, now)
    }

    /// Expected status after the action, or nil when the action is refused.
    static let table: [Start: [Action: TicketStatus?]] = [
        .new: [.reply: .answered, .inbound: .new, .note: .new, .postpone: .postponed, .resolve: .resolved, .reopen: nil, .claim: .new, .priority: .new, .tag: .new],
        .open: [.reply: .answered, .inbound: .open, .note: .open, .postpone: .postponed, .resolve: .resolved, .reopen: nil, .claim: .open, .priority: .open, .tag: .open],
        .answered: [.reply: .answered, .inbound: .open, .note: .answered, .postpone: .postponed, .resolve: .resolved, .reopen: nil, .claim: .answered, .priority: .answered, .tag: .answered],
        .postponed: [.reply: .answered, .inbound: .open, .note: .postponed, .postpone: .postponed, .resolve: .resolved, .reopen: nil, .claim: .postponed, .priority: .postponed, .tag: .postponed],
        .resolved: [.reply: .resolved, .inbound: .open, .note: .resolved, .postpone: nil, .resolve: nil, .reopen: .open, .claim: nil, .priority: .resolved, .tag: .resolved],
        .closed: [.reply: nil, .inbound: .closed, .note: .closed, .postpone: nil, .resolve: nil, .reopen: nil, .claim: nil, .priority: nil, .tag: nil],
    ]

    static var cases: [(Start, Action)] { Start.allCases.flatMap { s in Action.allCases.map { (s, $0) } } }

    @Test(arguments: cases)
    func transition(start: Start, action: Action) throws {
        var desk = TestDesk()
        let (id, now) = Self.prepare(&desk, start)
        #expect(desk.status(id, at: now).rawValue == start.rawValue)
        let command: Command = switch action {
        case .reply: .reply(id, body: "answer")
        case .inbound: .customerMessage(id, body: "more")
        case .note: .note(id, body: "internal")
        case .postpone: .postpone(id, until: now + .hours(3))
        case .resolve: .resolve(id)
        case .reopen: .reopen(id)
        case .claim: .claim(id)
        case .priority: .setPriority(id, .high)
        case .tag: .tag(id, add: ["refund"], remove: [])
        }
        let user = action == .inbound ? "customer" : "bob"
        let expected = Self.table[start]![action]!
        if let expected {
            try desk.run(command, at: now, as: user)
            #expect(desk.status(id, at: now) == expected, "\(start) + \(action)")
        } else {
            #expect(throws: DomainError.self, "\(start) + \(action) must be refused") { try desk.run(command, at: now, as: user) }
            #expect(desk.status(id, at: now).rawValue == start.rawValue)
        }
    }

    @Test func messageAfterClosingStartsLinkedTicket() throws {
        var desk = TestDesk()
        let (id, now) = Self.prepare(&desk, .closed)
        let events = try desk.run(.customerMessage(id, body: "it broke again"), at: now, as: "customer")
        #expect(events.count == 1)
        guard case .created(let o) = events[0].kind else { Issue.record("expected a new ticket"); return }
        #expect(o.linkedFrom == id)
        #expect(events[0].ticket != id)
        #expect(desk.state[id]!.linkedTo == events[0].ticket)
        #expect(desk.status(events[0].ticket, at: now) == .new)
        #expect(desk.state.otherTickets(of: desk.state[id]!) == [events[0].ticket])
    }

    @Test func postponedWakesAtItsTimeToNewOrOpen() throws {
        var desk = TestDesk()
        let t0 = TestDesk.at(9)
        let unanswered = desk.create(at: t0)
        let answered = desk.create(at: t0)
        try desk.run(.reply(answered, body: "hi"), at: t0 + .minutes(1))
        try desk.run(.customerMessage(answered, body: "?"), at: t0 + .minutes(2), as: "customer")
        let wake = t0 + .hours(3)
        try desk.run(.postpone(unanswered, until: wake), at: t0 + .minutes(5))
        try desk.run(.postpone(answered, until: wake), at: t0 + .minutes(5))
        #expect(desk.status(unanswered, at: wake - 1) == .postponed)
        #expect(desk.status(unanswered, at: wake) == .new)
        #expect(desk.status(answered, at: wake) == .open)
        // The next event settles the wake-up into the history, dated at the wake time.
        try desk.run(.note(unanswered, body: "awake"), at: wake + .hours(1))
        #expect(desk.state[unanswered]!.history.contains { $0.at == wake && $0.text.contains("woke up") })
        #expect(desk.state[unanswered]!.storedStatus == .new)
    }

    @Test func resolvedClosesAfterQuietPeriod() throws {
        var desk = TestDesk()
        let t0 = TestDesk.at(9)
        let id = desk.create(at: t0)
        try desk.run(.resolve(id), at: t0 + .hours(1))
        let closeAt = t0 + .hours(1) + .days(4)
        #expect(desk.status(id, at: closeAt - 1) == .resolved)
        #expect(desk.status(id, at: closeAt) == .closed)
    }

    @Test func historyRecordsWhoChangedWhat() throws {
        var desk = TestDesk()
        let t0 = TestDesk.at(9)
        let id = desk.create(at: t0)
        try desk.run(.setPriority(id, .urgent), at: t0 + 1000, as: "bob")
        try desk.run(.reassign(id, to: "billing", reason: "invoice question"), at: t0 + 2000, as: "bob")
        try desk.run(.claim(id), at: t0 + 3000, as: "anna")
        let h = desk.state[id]!.history
        #expect(h.contains { $0.actor == "bob" && $0.text == "priority normal → urgent" })
        #expect(h.contains { $0.actor == "bob" && $0.text.contains("department none → billing") && $0.text.contains("invoice question") })
        #expect(h.contains { $0.actor == "anna" && $0.text.contains("claimed") })
        #expect(desk.state[id]!.assignee == "anna")
        #expect(desk.state[id]!.version == 4)
    }

    @Test func permissionsAreChecked() throws {
        var desk = TestDesk()
        let t0 = TestDesk.at(9)
        let id = desk.create(at: t0)
        #expect(throws: DomainError.notPermitted(user: "wall", permission: .reply)) { try desk.run(.reply(id, body: "x"), at: t0, as: "wall") }
        try desk.run(.claim(id), at: t0, as: "anna")
        // An agent may not take another agent's ticket; a supervisor may.
        #expect(throws: DomainError.notPermitted(user: "bob", permission: .reassignAny)) { try desk.run(.reassign(id, to: "bob", reason: ""), at: t0, as: "bob") }
        try desk.run(.reassign(id, to: "bob", reason: "balance"), at: t0, as: "lea")
        #expect(desk.state[id]!.assignee == "bob")
        #expect(throws: DomainError.self) { try desk.run(.reassign(id, to: "nobody-here", reason: ""), at: t0, as: "lea") }
    }

    @Test func invalidInputIsRefusedWithTheField() {
        var desk = TestDesk()
        let t0 = TestDesk.at(9)
        let id = desk.create(at: t0)
        #expect(throws: DomainError.invalidValue(field: "reply", value: "", reason: "must not be empty")) { try desk.run(.reply(id, body: "  \n"), at: t0) }
        #expect(throws: DomainError.self) { try desk.run(.postpone(id, until: t0 - 1), at: t0) }
        #expect(throws: DomainError.self) { try desk.run(.tag(id, add: ["two words"], remove: []), at: t0) }
        #expect(throws: DomainError.unknownTicket(TestDesk.ids[400].description)) { try desk.run(.resolve(TestDesk.ids[400]), at: t0) }
    }

    @Test func unknownEventsAndOrphansAreCountedNotFatal() {
        var state = DeskState(autoCloseAfter: .days(4))
        let id = TestDesk.ids[3]
        state.apply(StoredEvent(seq: 1, version: 1, event: Event(ticket: id, at: TestDesk.at(9), actor: "x", kind: .resolved)))
        state.apply(StoredEvent(seq: 2, version: 1, event: Event(ticket: id, at: TestDesk.at(9), actor: "x", kind: .unknown(type: 99, payload: [1]))))
        #expect(state.skippedEvents == 2)
        #expect(state.all.isEmpty)
        #expect(state.lastSeq == 2)
    }
}

@Suite struct TicketIDTests {
    @Test(arguments: ["ACD-EFGHJ-KMN", "acdefghjkmn", "34C-DEF9H-JKM"])
    func parsesReadableIDs(_ s: String) {
        #expect(TicketID(s) != nil)
    }

    @Test(arguments: ["ACD-EFGHJ-KM", "ACO-EFGHJ-KMN", "AC1-EFGHJ-KMN", "ACDE-FGHJ-KMN", "", "ACD-EFGHJ-KMN-", "ÄCD-EFGHJ-KMN", "ACB-EFGHJ-KMN"])
    func rejectsOthers(_ s: String) {
        #expect(TicketID(s) == nil)
    }

    @Test func randomIDsAreWellFormed() {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let id = TicketID.random(using: &g)
            #expect(id.description.count == 13)
            #expect(TicketID(id.description) == id)
            #expect(!id.raw.contains { "0O1IL".contains($0) })
        }
    }
}
