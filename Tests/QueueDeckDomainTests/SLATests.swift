import Foundation
import Testing
@testable import QueueDeckDomain

@Suite struct BusinessCalendarTests {
    // Monday to Friday 9:00–17:00 UTC, Wednesday 2026-11-25 a holiday.
    static let office: BusinessCalendar = {
        var c = BusinessCalendar.officeHours(timeZone: TimeZone(identifier: "UTC")!)
        c.holidays = [TestDesk.monday + 2]
        return c
    }()

    static let spans: [(String, Instant, Instant, Millis)] = [
        ("inside one day", TestDesk.at(10), TestDesk.at(12), .hours(2)),
        ("before opening to noon", TestDesk.at(6), TestDesk.at(12), .hours(3)),
        ("across the night", TestDesk.at(16), TestDesk.at(day: 1, 10), .hours(2)),
        ("skips the holiday", TestDesk.at(day: 1, 16), TestDesk.at(day: 3, 10), .hours(2)),
        ("across the weekend", TestDesk.at(day: 4, 16), TestDesk.at(day: 7, 10), .hours(2)),
        ("a whole closed weekend", TestDesk.at(day: 5, 8), TestDesk.at(day: 6, 20), 0),
        ("three weeks (fast path)", TestDesk.at(9), TestDesk.at(day: 21, 9), .hours(8 * 14)),
        ("backwards is zero", TestDesk.at(12), TestDesk.at(10), 0),
    ]

    @Test(arguments: spans)
    func businessTime(_ name: String, _ a: Instant, _ b: Instant, _ expected: Millis) {
        #expect(Self.office.businessMillis(from: a, to: b) == expected, "\(name)")
    }

    @Test(arguments: spans.filter { $0.3 > 0 })
    func advanceInvertsBusinessTime(_ name: String, _ a: Instant, _ b: Instant, _ amount: Millis) {
        let end = Self.office.advance(from: a, by: amount)
        #expect(Self.office.businessMillis(from: a, to: end) == amount, "\(name)")
        #expect(end <= b)
    }

    @Test func fridayEveningTargetFallsOnMonday() {
        let friday1630 = TestDesk.at(day: 4, 16, 30)
        #expect(Self.office.advance(from: friday1630, by: .hours(2)) == TestDesk.at(day: 7, 10, 30))
    }

    @Test func timeZoneShiftsOpeningHours() {
        let riga = BusinessCalendar.officeHours(timeZone: TimeZone(identifier: "Europe/Riga")!)  // UTC+2 in November
        #expect(riga.businessMillis(from: TestDesk.at(6), to: TestDesk.at(8)) == .hours(1))
        #expect(riga.localMinute(of: TestDesk.at(7)) == 9 * 60)
    }

    @Test func neverOpenCalendarGivesDistantFuture() {
        let closed = BusinessCalendar(timeZone: TimeZone(identifier: "UTC")!, week: Array(repeating: [], count: 7))
        #expect(closed.advance(from: TestDesk.at(9), by: .hours(1)) == .distantFuture)
    }

    @Test func civilDatesRoundTrip() {
        for d in stride(from: -800_000, to: 800_000, by: 997) {
            let c = CivilDate(dayNumber: d)
            #expect(c.dayNumber == d)
        }
        #expect(CivilDate(dayNumber: 0).iso == "1970-01-01")
        #expect(CivilDate.weekday(ofDay: TestDesk.monday) == 0)
        #expect(TestDesk.at(9).isoUTC == "2026-11-23T09:00:00Z")
        #expect(Instant(ms: 0).iso(offsetSeconds: 7200) == "1970-01-01T02:00:00+02:00")
    }
}

@Suite struct SLAClockTests {
    static let policy = SLAPolicy(
        rules: [SLARule(name: "urgent", priority: .urgent, targets: SLATargets(firstResponse: .hours(1), nextResponse: .hours(1), resolution: .hours(4))),
                SLARule(name: "vip", group: "vip", targets: SLATargets(firstResponse: .minutes(30), nextResponse: .hours(1), resolution: .hours(8)))],
        fallback: SLATargets(firstResponse: .hours(4), nextResponse: .hours(4), resolution: .hours(16)), atRiskFraction: 0.25)

    func desk() -> TestDesk { TestDesk(calendar: BusinessCalendarTests.office, sla: Self.policy) }

    @Test func firstResponseRunsInBusinessHoursOnly() throws {
        var d = desk()
        let id = d.create(at: TestDesk.at(15))  // Monday 15:00, 4 h target → Tuesday 11:00
        let book = SLABook(rules: d.rules)
        let t = d.state[id]!
        #expect(book.status(t, at: TestDesk.at(16)) == SLAStatus(state: .ok, dueAt: TestDesk.at(day: 1, 11), target: "first-response"))
        // At risk when under 25 % (1 h) is left: from Tuesday 10:00.
        #expect(book.status(t, at: TestDesk.at(day: 1, 9, 59)).state == .ok)
        #expect(book.status(t, at: TestDesk.at(day: 1, 10)).state == .atRisk)
        #expect(book.status(t, at: TestDesk.at(day: 1, 11)).state == .breached)
    }

    @Test func answeredPausesAndCustomerMessageRestartsNextResponse() throws {
        var d = desk()
        let id = d.create(at: TestDesk.at(9))
        try d.run(.reply(id, body: "on it"), at: TestDesk.at(10))
        let book = SLABook(rules: d.rules)
        let paused = book.status(d.state[id]!, at: TestDesk.at(12))
        #expect(paused.state == .paused)
        #expect(paused.remaining == .hours(15))  // resolution: 16 h less the 1 h that ran
        try d.run(.customerMessage(id, body: "no luck"), at: TestDesk.at(16), as: "customer")
        // Next response: 4 business hours from Monday 16:00 → Tuesday 12:00.
        let s = book.status(d.state[id]!, at: TestDesk.at(16, 30))
        #expect(s.dueAt == TestDesk.at(day: 1, 12))
        #expect(s.target == "next-response")
    }

    @Test func postponedPausesUntilItWakes() throws {
        var d = desk()
        let id = d.create(at: TestDesk.at(9))
        try d.run(.postpone(id, until: TestDesk.at(day: 1, 9)), at: TestDesk.at(10))  // 1 h used
        let book = SLABook(rules: d.rules)
        let t = d.state[id]!
        #expect(book.status(t, at: TestDesk.at(14)).state == .paused)
        #expect(book.status(t, at: TestDesk.at(14)).remaining == .hours(3))
        // Wakes Tuesday 9:00 with 3 h left → due 12:00; no event needed.
        #expect(book.status(t, at: TestDesk.at(day: 1, 9, 30)) == SLAStatus(state: .ok, dueAt: TestDesk.at(day: 1, 12), target: "first-response"))
    }

    @Test func firstMatchingRuleApplies() {
        var d = desk()
        let urgentVIP = d.create(at: TestDesk.at(9), priority: .urgent, customer: Customer(name: "V", email: "v@x", groups: ["vip"]))
        let vip = d.create(at: TestDesk.at(9), customer: Customer(name: "V", email: "v@x", groups: ["vip"]))
        let plain = d.create(at: TestDesk.at(9))
        #expect(Self.policy.targets(for: d.state[urgentVIP]!).firstResponse == .hours(1))
        #expect(Self.policy.targets(for: d.state[vip]!).firstResponse == .minutes(30))
        #expect(Self.policy.targets(for: d.state[plain]!).firstResponse == .hours(4))
    }

    @Test func resolvedAndClosedTrackNothing() throws {
        var d = desk()
        let id = d.create(at: TestDesk.at(9))
        try d.run(.resolve(id), at: TestDesk.at(10))
        #expect(SLABook(rules: d.rules).status(d.state[id]!, at: TestDesk.at(11)).state == SLAState.none)
    }

    @Test func cacheFollowsVersions() throws {
        var d = desk()
        let id = d.create(at: TestDesk.at(9))
        let book = SLABook(rules: d.rules)
        #expect(book.status(d.state[id]!, at: TestDesk.at(9, 30)).state == .ok)
        try d.run(.reply(id, body: "x"), at: TestDesk.at(9, 40))
        #expect(book.status(d.state[id]!, at: TestDesk.at(9, 50)).state == .paused)
    }
}

@Suite struct WhenParserTests {
    static let now = TestDesk.at(day: 1, 10, 15)  // Tuesday 10:15 UTC
    static let cal = BusinessCalendarTests.office

    static let good: [(String, Instant)] = [
        ("2h", now + .hours(2)), ("30m", now + .minutes(30)), ("1h30m", now + .minutes(90)), ("in 3d", now + .days(3)),
        ("1w", now + .days(7)), ("tomorrow 9:00", TestDesk.at(day: 2, 9)), ("tomorrow", TestDesk.at(day: 2, 9)),
        ("today 17:00", TestDesk.at(day: 1, 17)), ("16:00", TestDesk.at(day: 1, 16)), ("9:00", TestDesk.at(day: 2, 9)),
        ("mon", TestDesk.at(day: 7, 9)), ("tue", TestDesk.at(day: 8, 9)), ("friday 14:30", TestDesk.at(day: 4, 14, 30)),
        ("2:30pm", TestDesk.at(day: 1, 14, 30)),
        ("2026-11-30", TestDesk.at(day: 7, 9)), ("2026-11-30T08:45", TestDesk.at(day: 7, 8, 45)),
        ("2026-11-30 08:45", TestDesk.at(day: 7, 8, 45)), ("2026-11-30T08:45:00Z", TestDesk.at(day: 7, 8, 45)),
        ("2026-11-30T10:45+02:00", TestDesk.at(day: 7, 8, 45)),
    ]

    @Test(arguments: good)
    func parses(_ text: String, _ expected: Instant) throws {
        #expect(try WhenParser.parse(text, now: Self.now, calendar: Self.cal) == expected, "\(text)")
    }

    @Test(arguments: ["", "soon", "2x", "25:00", "2026-13-01", "2026-02-30", "tomorrow 9:99", "h2", "monday tuesday", "0m", "99999999h"])
    func rejects(_ text: String) {
        #expect(throws: DomainError.self) { try WhenParser.parse(text, now: Self.now, calendar: Self.cal) }
    }
}
