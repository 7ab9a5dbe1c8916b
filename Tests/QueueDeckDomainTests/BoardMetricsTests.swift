import Foundation
import Testing
@testable import QueueDeckDomain

/// The wall's and `stats`' figures on hand-built desks whose answers are worked out by hand.
@Suite struct BoardMetricsTests {
    static let policy = SLAPolicy(fallback: SLATargets(firstResponse: .hours(1), nextResponse: .hours(2), resolution: .hours(8)))

    func metrics(_ d: TestDesk, at now: Instant, since: Instant? = nil, scope: MetricsScope = .all) -> DeskMetrics {
        let ctx = ViewContext(now: now, me: "lea", rules: d.rules)
        return DeskMetrics.compute(d.state, context: ctx, since: since ?? d.rules.calendar.startOfDay(now), scope: scope)
    }

    @Test func abandonedCountsTodayPerChannel() throws {
        var d = TestDesk(sla: Self.policy)
        let call1 = d.create(.call, at: TestDesk.at(day: -1, 23, 50))
        try d.run(.abandon(call1, reason: "hung up"), at: TestDesk.at(day: -1, 23, 55), as: "customer")  // yesterday
        let call2 = d.create(.call, at: TestDesk.at(9))
        try d.run(.abandon(call2, reason: "hung up"), at: TestDesk.at(9, 4), as: "customer")
        let chat = d.create(.chat, at: TestDesk.at(10))
        try d.run(.abandon(chat, reason: "left"), at: TestDesk.at(10, 2), as: "customer")
        let email = d.create(.email, at: TestDesk.at(10))
        // An abandoned call stays waiting: a missed call to call back.
        let m = metrics(d, at: TestDesk.at(12))
        #expect(m.channels[.call]!.abandoned == 1)
        #expect(m.channels[.chat]!.abandoned == 1)
        #expect(m.channels[.email]!.abandoned == 0)
        #expect(m.channels[.call]!.waiting == 2)
        #expect(d.status(call2, at: TestDesk.at(12)) == .new)
        // Only a waiting customer can leave.
        try d.run(.reply(email, body: "hi"), at: TestDesk.at(10, 30))
        #expect(throws: DomainError.self) { try d.run(.abandon(email, reason: ""), at: TestDesk.at(11), as: "customer") }
        // Yesterday's board counted the one from yesterday.
        let y = metrics(d, at: TestDesk.at(day: -1, 23, 59))
        #expect(y.channels[.call]!.abandoned == 1)
    }

    @Test func complianceCountsBusinessHoursOnly() throws {
        // Office hours 09–17 Mon–Fri, Wednesday a holiday. Friday 16:30 → Monday 09:20 is 50 business minutes.
        var d = TestDesk(calendar: BusinessCalendarTests.office, sla: Self.policy)
        let a = d.create(.email, at: TestDesk.at(day: -3, 16, 30))
        try d.run(.reply(a, body: "on it"), at: TestDesk.at(9, 20))
        // Tuesday 16:00 → Thursday 10:30: Wednesday is a holiday, so 1 h + 1.5 h = 2.5 h > 1 h: missed.
        let b = d.create(.email, at: TestDesk.at(day: 1, 16))
        try d.run(.reply(b, body: "sorry"), at: TestDesk.at(day: 3, 10, 30))
        let monday = metrics(d, at: TestDesk.at(12))
        #expect(monday.slaCompliance.met == 1 && monday.slaCompliance.total == 1)
        #expect(monday.firstResponse.medianSeconds == Double(2 * 86400 + 16 * 3600 + 50 * 60))  // wall time, for people
        let thursday = metrics(d, at: TestDesk.at(day: 3, 12))
        #expect(thursday.slaCompliance.met == 0 && thursday.slaCompliance.total == 1)
        #expect(thursday.channels[.email]!.slaCompliance.percent == 0)
    }

    @Test func postponedTimeIsPausedAndWakesIntoTheQueue() throws {
        var d = TestDesk(sla: Self.policy)
        let t = d.create(.email, at: TestDesk.at(9))
        try d.run(.postpone(t, until: TestDesk.at(12)), at: TestDesk.at(9, 10))
        #expect(metrics(d, at: TestDesk.at(11)).channels[.email]!.waiting == 0)
        // 12:00 it wakes (no event) and waits again; the oldest-waiting age keeps its first wait.
        let noon = metrics(d, at: TestDesk.at(12, 5))
        #expect(noon.channels[.email]!.waiting == 1)
        // Replied 12:40: 10 min before the pause + 40 min after = 50 min of clock: met.
        try d.run(.reply(t, body: "done"), at: TestDesk.at(12, 40))
        let m = metrics(d, at: TestDesk.at(13))
        #expect(m.slaCompliance.met == 1 && m.slaCompliance.total == 1)
        #expect(m.channels[.email]!.waiting == 0)
        #expect(m.backlog == 1)  // answered is still unresolved
    }

    @Test func reopenCountsBackIntoBacklogAndResolvedToday() throws {
        var d = TestDesk(sla: Self.policy)
        let t = d.create(.chat, at: TestDesk.at(8))
        try d.run(.reply(t, body: "x"), at: TestDesk.at(8, 5))
        try d.run(.resolve(t), at: TestDesk.at(9))
        #expect(metrics(d, at: TestDesk.at(9, 30)).backlog == 0)
        try d.run(.reopen(t), at: TestDesk.at(10))
        let m = metrics(d, at: TestDesk.at(10, 30))
        #expect(m.backlog == 1)
        #expect(m.resolvedInPeriod == 0)  // resolvedAt is cleared by the reopen: it is not solved
        #expect(m.channels[.chat]!.waiting == 1)
        #expect(m.createdInPeriod == 1)
    }

    @Test func midnightSplitsTheDays() throws {
        var d = TestDesk(sla: Self.policy)
        let t = d.create(.email, at: TestDesk.at(day: -1, 23, 30))
        try d.run(.reply(t, body: "x"), at: TestDesk.at(0, 20))
        let today = metrics(d, at: TestDesk.at(1))
        #expect(today.createdInPeriod == 0)
        #expect(today.firstResponse.count == 1 && today.firstResponse.medianSeconds == 3000)
        #expect(today.slaCompliance.met == 1)
        #expect(today.ageBuckets.map(\.count) == [0, 1, 0, 0, 0, 0])  // 1.5 h old
        let yesterday = metrics(d, at: TestDesk.at(day: -1, 23, 59))
        #expect(yesterday.createdInPeriod == 1 && yesterday.firstResponse.count == 0)
    }

    @Test func scopeNarrowsTicketsAndAgents() throws {
        var d = TestDesk(sla: Self.policy)
        _ = d.create(.email, at: TestDesk.at(9), department: "billing")
        _ = d.create(.call, at: TestDesk.at(9), department: "technical")
        _ = d.create(.call, at: TestDesk.at(9), department: "billing")
        let billing = metrics(d, at: TestDesk.at(10), scope: MetricsScope(department: "billing"))
        #expect(billing.backlog == 2)
        #expect(billing.agents.map(\.agent) == ["anna"])
        let calls = metrics(d, at: TestDesk.at(10), scope: MetricsScope(channel: .call))
        #expect(calls.backlog == 2 && calls.channels.keys.sorted { $0.rawValue < $1.rawValue } == [.call])
    }

    @Test func availabilityFromPresenceActivityAndLiveConversations() throws {
        var d = TestDesk(sla: Self.policy)
        try d.run(.setPresence(agent: nil, .available), at: TestDesk.at(8), as: "anna")
        try d.run(.setPresence(agent: "bob", .away), at: TestDesk.at(8), as: "lea")
        #expect(throws: DomainError.self) { try d.run(.setPresence(agent: "lea", .away), at: TestDesk.at(8), as: "anna") }
        #expect(throws: DomainError.self) { try d.run(.setPresence(agent: "wall", .available), at: TestDesk.at(8), as: "lea") }
        // Lea never set a presence: working (a note) within 15 minutes makes her available.
        let e = d.create(.email, at: TestDesk.at(9))
        try d.run(.note(e, body: "checking"), at: TestDesk.at(9, 50), as: "lea")
        var m = metrics(d, at: TestDesk.at(10))
        func state(_ who: String) -> Availability? { m.agents.first { $0.agent == who }?.availability }
        #expect(state("anna") == .available)
        #expect(state("bob") == .away)
        #expect(state("lea") == .available)
        #expect(m.agentCount(.available) == 2 && m.agentCount(.away) == 1)
        // A call assigned to anna, active: busy. Half an hour later, lea has gone quiet: offline.
        let call = d.create(.call, at: TestDesk.at(10, 20))
        try d.run(.claim(call), at: TestDesk.at(10, 21), as: "anna")
        m = metrics(d, at: TestDesk.at(10, 25))
        #expect(state("anna") == .busy)
        #expect(state("lea") == .offline)
        #expect(m.agents.first { $0.agent == "anna" }!.assigned == 1)
        try d.run(.setPresence(agent: nil, .offline), at: TestDesk.at(10, 30), as: "anna")
        m = metrics(d, at: TestDesk.at(10, 31))
        #expect(state("anna") == .offline)
    }

    @Test func thresholdsGoBothWays() {
        let t = BoardThresholds()
        #expect(t.level(.waiting, 4) == .ok && t.level(.waiting, 5) == .warn && t.level(.waiting, 15) == .alert)
        #expect(t.level(.slaCompliance, 95) == .ok && t.level(.slaCompliance, 90) == .warn && t.level(.slaCompliance, 70) == .alert)
        #expect(t.level(.slaCompliance, nil) == .ok)
        #expect(t.level(.available, 0) == .alert && t.level(.available, 1) == .warn && t.level(.available, 3) == .ok)
    }
}

/// Trends read earlier moments from ticket histories; they must agree with replaying the journal
/// to that moment, which is what time travel does.
@Suite struct TrendTests {
    /// A random but valid desk: a day of arrivals, replies, postponements, resolutions and reopenings.
    func randomDesk(seed: UInt64) -> TestDesk {
        var d = TestDesk(sla: BoardMetricsTests.policy)
        var rng = SeededGenerator(seed: seed)
        var ids: [TicketID] = []
        var t = TestDesk.at(day: -1, 6)
        let channels: [Channel] = [.email, .call, .chat]
        for _ in 0..<400 {
            t = t + .seconds(Int64.random(in: 30...400, using: &rng))
            let roll = Int.random(in: 0..<100, using: &rng)
            if roll < 25 || ids.isEmpty {
                ids.append(d.create(channels[Int.random(in: 0..<3, using: &rng)], at: t))
                continue
            }
            let id = ids[Int.random(in: 0..<ids.count, using: &rng)]
            let command: Command = switch roll {
            case 25..<45: .reply(id, body: "r")
            case 45..<55: .customerMessage(id, body: "c")
            case 55..<65: .postpone(id, until: t + .minutes(Int64.random(in: 5...300, using: &rng)))
            case 65..<80: .resolve(id)
            case 80..<85: .reopen(id)
            case 85..<90: .abandon(id, reason: "")
            default: .claim(id)
            }
            _ = try? d.run(command, at: t, as: roll == 45 || (45..<55).contains(roll) || (85..<90).contains(roll) ? "customer" : "anna")
        }
        return d
    }

    @Test(arguments: [1, 2, 3] as [UInt64]) func historyAgreesWithReplay(seed: UInt64) {
        let d = randomDesk(seed: seed)
        let end = d.log.last!.event.at
        var moment = TestDesk.at(day: -1, 6)
        while moment <= end + .hours(6) {
            let past = d.replayed(to: moment)
            let ctx = ViewContext(now: moment, me: "lea", rules: d.rules)
            let m = DeskMetrics.compute(past, context: ctx, since: moment - .hours(24))
            let counts = DeskTrend.counts(d.state, at: moment, autoCloseAfter: d.rules.autoCloseAfter, scope: .all)
            #expect(counts.backlog == m.backlog, "backlog at \(moment.isoUTC)")
            for c in Channel.allCases { #expect(counts.waiting[c] == m.channels[c]!.waiting, "\(c) waiting at \(moment.isoUTC)") }
            moment = moment + .minutes(37)
        }
    }

    @Test func seriesEndsNowAndSteps() {
        let d = randomDesk(seed: 9)
        let now = d.log.last!.event.at
        let trend = DeskTrend.compute(d.state, now: now, autoCloseAfter: d.rules.autoCloseAfter, scope: .all)
        #expect(trend.backlogHours.count == DeskTrend.hourSeries.count)
        #expect(trend.backlogDays.count == DeskTrend.daySeries.count)
        let ctx = ViewContext(now: now, me: "lea", rules: d.rules)
        #expect(trend.backlogHours.last == DeskMetrics.compute(d.state, context: ctx, since: now).backlog)
        #expect(trend.backlogDays.first == 0)  // seven days ago the desk was empty
        let eightAgo = d.replayed(to: now - .hours(8))
        #expect(trend.backlogHours.first == eightAgo.all.filter { $0.status(at: now - .hours(8), autoCloseAfter: d.rules.autoCloseAfter).isUnresolved }.count)
    }
}
