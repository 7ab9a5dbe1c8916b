import Testing
@testable import QueueDeckDomain

/// A hand-built day with answers worked out by hand (always-open calendar, UTC).
@Suite struct MetricsTests {
    static let policy = SLAPolicy(fallback: SLATargets(firstResponse: .hours(1), nextResponse: .hours(2), resolution: .hours(8)))

    func day() -> (TestDesk, [String: TicketID]) {
        var d = TestDesk(sla: Self.policy)
        var ids: [String: TicketID] = [:]
        // A: email 08:00, replied 08:30 (first response 30 min, met), resolved 10:00 (2 h, met).
        ids["A"] = d.create(.email, at: TestDesk.at(8))
        try! d.run(.claim(ids["A"]!), at: TestDesk.at(8, 10), as: "anna")
        try! d.run(.reply(ids["A"]!, body: "x"), at: TestDesk.at(8, 30), as: "anna")
        try! d.run(.resolve(ids["A"]!), at: TestDesk.at(10), as: "anna")
        // B: call 09:00, replied 11:00 (2 h, missed), customer again 11:30 → open, waiting since 11:30.
        ids["B"] = d.create(.call, at: TestDesk.at(9))
        try! d.run(.claim(ids["B"]!), at: TestDesk.at(9), as: "bob")
        try! d.run(.reply(ids["B"]!, body: "x"), at: TestDesk.at(11), as: "bob")
        try! d.run(.customerMessage(ids["B"]!, body: "?"), at: TestDesk.at(11, 30), as: "customer")
        // C: chat 11:45, untouched: waiting 15 min at noon, at risk? 1 h target → at risk from 12:30.
        ids["C"] = d.create(.chat, at: TestDesk.at(11, 45))
        // D: email created the day before at 09:00, untouched: breached, in the 1–3 d bucket at noon.
        ids["D"] = d.create(.email, at: TestDesk.at(day: -1, 9))
        // E: email postponed (paused), created 06:00.
        ids["E"] = d.create(.email, at: TestDesk.at(6))
        try! d.run(.postpone(ids["E"]!, until: TestDesk.at(day: 1, 9)), at: TestDesk.at(6, 30), as: "anna")
        return (d, ids)
    }

    @Test func figuresAtNoon() {
        let (d, _) = day()
        let ctx = ViewContext(now: TestDesk.at(12), me: "anna", rules: d.rules)
        let m = DeskMetrics.compute(d.state, context: ctx, since: TestDesk.at(0))
        #expect(m.backlog == 4)  // B, C, D, E
        #expect(m.ageBuckets.map(\.count) == [1, 1, 1, 1, 0, 0])  // C <1h, B 1-4h, E 4-24h, D 1-3d
        #expect(m.channels[.email]!.waiting == 1)  // D (E is postponed)
        #expect(m.channels[.email]!.unresolved == 2)
        #expect(m.channels[.email]!.oldestWaitingSeconds == 97_200.0)
        #expect(m.channels[.call]!.waiting == 1)
        #expect(m.channels[.call]!.oldestWaitingSeconds == 1_800.0)
        #expect(m.channels[.chat]!.waiting == 1)
        #expect(m.channels[.chat]!.oldestWaitingSeconds == 900.0)
        #expect(m.channels[.email]!.breached == 1)
        #expect(m.channels[.chat]!.atRisk == 0)
        // First responses today: A 30 min, B 2 h → median 75 min.
        #expect(m.firstResponse.count == 2)
        #expect(m.firstResponse.medianSeconds == 4_500.0)
        #expect(m.resolution.count == 1)
        #expect(m.resolution.medianSeconds == 7_200.0)
        // Compliance: A response met, A resolution met, B response missed, D breached now → 2 of 4.
        #expect(m.slaCompliance.met == 2)
        #expect(m.slaCompliance.total == 4)
        #expect(m.slaCompliance.percent == 50)
        let anna = m.agents.first { $0.agent == "anna" }!
        let bob = m.agents.first { $0.agent == "bob" }!
        #expect(anna.resolved == 1 && anna.replies == 1 && anna.assigned == 0)
        #expect(bob.assigned == 1 && bob.waiting == 1 && bob.replies == 1)
    }

    @Test func atRiskAndWakeUpMoveWithTime() {
        let (d, _) = day()
        let ctx = ViewContext(now: TestDesk.at(12, 40), me: "anna", rules: d.rules)
        let m = DeskMetrics.compute(d.state, context: ctx, since: TestDesk.at(0))
        #expect(m.channels[.chat]!.atRisk == 1)
        // The next morning E wakes and waits again, without any event.
        let later = ViewContext(now: TestDesk.at(day: 1, 9, 30), me: "anna", rules: d.rules)
        let m2 = DeskMetrics.compute(d.state, context: later, since: TestDesk.at(day: 1, 0))
        #expect(m2.channels[.email]!.waiting == 2)
    }

    @Test func periodExcludesEarlierWork() {
        let (d, _) = day()
        let ctx = ViewContext(now: TestDesk.at(12), me: "anna", rules: d.rules)
        let m = DeskMetrics.compute(d.state, context: ctx, since: TestDesk.at(10, 30))
        #expect(m.firstResponse.count == 1)  // only B's 11:00 reply
        #expect(m.resolution.count == 0)
    }
}
