import Testing
@testable import QueueDeckDomain

/// The deflection ratio against a day worked out by hand (README, Metrics).
@Suite struct DeflectionTests {
    static func use(_ n: Int, _ who: String, at: Instant) -> StoredEvent {
        StoredEvent(seq: 0, version: 0, event: Event(ticket: .desk, at: at, actor: "system", kind: .selfService(SelfServiceRecord(
            key: "ss:\(n)", user: who, kind: .article, subject: "Article \(n)"))))
    }

    @Test func interactionsOverEveryoneWhoReachedTheDeskEachOnce() {
        var d = TestDesk()
        // Tickets today: Ilze (who also read two articles), Bob, and Ilze again (one user).
        _ = d.create(.email, at: TestDesk.at(9), customer: Customer(name: "Ilze", email: "ilze@inbox.lv"))
        _ = d.create(.email, at: TestDesk.at(10), customer: Customer(name: "Bob", email: "bob@x.example"))
        _ = d.create(.email, at: TestDesk.at(11), customer: Customer(name: "Ilze B.", email: "ILZE@inbox.lv"))
        // Yesterday's ticket and self-service: outside the period.
        _ = d.create(.call, at: TestDesk.at(day: -1, 9), customer: Customer(name: "Old", phone: "+371 2000 0009"))
        d.state.apply(Self.use(0, "old@x.example", at: TestDesk.at(day: -1, 10)))
        // Today: Ilze twice (address in other case), Carol three times, a visitor id, a phone number
        // written two ways (one user), and one line delivered twice (counted once).
        for (n, who) in ["Ilze@Inbox.LV", "ilze@inbox.lv", "carol@x.example", "carol@x.example", "carol@x.example",
                         "visitor-42", "+371 2600 0000", "0037126000000"].enumerated() {
            d.state.apply(Self.use(n + 1, who, at: TestDesk.at(8, n)))
        }
        d.state.apply(Self.use(3, "carol@x.example", at: TestDesk.at(8, 59)))
        let ctx = ViewContext(now: TestDesk.at(12), me: "anna", rules: d.rules)
        let m = DeskMetrics.compute(d.state, context: ctx, since: TestDesk.at(0))
        // Interactions 8; users: ilze, carol, visitor-42, tel:37126000000 (self-service) ∪ ilze, bob
        // (tickets) = 5; ratio 8 / 5.
        #expect(m.deflection == Deflection(interactions: 8, selfServiceUsers: 4, ticketUsers: 2, users: 5))
        #expect(m.deflection.ratio == 1.6)
        // A department's board counts the whole desk: self-service belongs to none.
        let scoped = DeskMetrics.compute(d.state, context: ctx, since: TestDesk.at(0), scope: MetricsScope(department: "billing"))
        #expect(scoped.deflection == m.deflection)
        // No one at all: no ratio rather than zero.
        let empty = DeskMetrics.compute(DeskState(autoCloseAfter: .days(7)), context: ctx, since: TestDesk.at(0))
        #expect(empty.deflection.users == 0 && empty.deflection.ratio == nil)
    }

    /// A customer known by an address and a number is one user, whichever they gave the help centre,
    /// and however the number is written (a supervisor's hand count once found two such people
    /// counted twice).
    @Test func anAddressAndANumberOfOnePersonAreOneUser() {
        var d = TestDesk()
        _ = d.create(.email, at: TestDesk.at(9), customer: Customer(name: "Jānis", email: "j@example.lv", phone: "(00371) 2000 0000"))
        _ = d.create(.call, at: TestDesk.at(10), customer: Customer(name: "Jānis", phone: "+371 20000000"))
        _ = d.create(.email, at: TestDesk.at(10), customer: Customer(name: "Carl", email: "carl@example.co.uk", phone: "+44 20 7946 0958"))
        for (n, who) in ["+371.2000.0000", "00371 2000 0000", "J@EXAMPLE.LV", "(0044) 20 7946 0958"].enumerated() {
            d.state.apply(Self.use(n, who, at: TestDesk.at(8, n)))
        }
        let ctx = ViewContext(now: TestDesk.at(12), me: "anna", rules: d.rules)
        let m = DeskMetrics.compute(d.state, context: ctx, since: TestDesk.at(0))
        // Jānis (two tickets, three self-service lines) and Carl: two people, four interactions.
        #expect(m.deflection == Deflection(interactions: 4, selfServiceUsers: 2, ticketUsers: 2, users: 2))
    }

    @Test func usersAreKeyedAsTicketCustomersAre() {
        #expect(SelfServiceRecord.userKey(" Ilze@Inbox.LV ") == Customer(name: "I", email: "ilze@inbox.lv").contactKey)
        #expect(SelfServiceRecord.userKey("+371 2600-0000") == Customer(name: "I", phone: "0037126000000").contactKey)
        #expect(SelfServiceRecord.userKey("Visitor-42") == "visitor:visitor-42")
    }
}
