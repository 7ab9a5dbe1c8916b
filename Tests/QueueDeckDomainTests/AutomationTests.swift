import Foundation
import Testing
@testable import QueueDeckDomain

/// Rules, time rules and distribution (README: Automation), on a desk in memory.
@Suite struct AutomationTests {
    static let nine = TestDesk.at(9)

    static func desk(_ rules: [Rule], distribution: [String: Distribution] = [:], period: Millis = .hours(24)) -> TestDesk {
        var d = TestDesk()
        d.rules.cannedResponses = [CannedResponse(name: "received", text: "Dear {first_name}, we have {ticket}: {subject}."),
                                   CannedResponse(name: "still-there", text: "Hello {customer}, is this solved?")]
        d.rules.automation = AutomationSettings(rules: rules, autoReplyPeriod: period, distribution: distribution)
        return d
    }

    static func rule(_ name: String = "r", on: Rule.Trigger = .created, _ filter: String = "", _ actions: [RuleAction], stop: Bool = false) -> Rule {
        Rule(name: name, on: on, condition: try! TicketFilter.parse(filter), actions: actions, stop: stop)
    }

    // MARK: Actions

    struct ActionCase: CustomTestStringConvertible, Sendable {
        var action: RuleAction
        var check: @Sendable (Ticket) -> Bool
        var testDescription: String { "\(action.kind.rawValue)" }
    }

    static let actionCases: [ActionCase] = [
        ActionCase(action: .department("billing")) { $0.department == "billing" && $0.assignee == nil },
        ActionCase(action: .assignee(.agent("bob"))) { $0.assignee == "bob" && $0.department == "technical" },
        ActionCase(action: .assignee(.nobody)) { $0.assignee == nil },
        ActionCase(action: .priority(.urgent)) { $0.priority == .urgent },
        ActionCase(action: .tags(add: ["refund"], remove: ["new-customer"])) { $0.tags == ["refund"] },
        ActionCase(action: .note("for {customer} on {ticket}")) { t in t.entries.contains { $0.kind == .note && $0.body == "for Ilze Bērziņa on \(t.id)" } },
        ActionCase(action: .reply(canned: "received")) { t in
            t.entries.contains { $0.kind == .reply && $0.body == "Dear Ilze, we have \(t.id): Refund please." && $0.author == "rules (r)" } && t.storedStatus == .new && t.firstResponseAt == nil
        },
        ActionCase(action: .postpone(.hours(2))) { $0.storedStatus == .postponed && $0.postponedUntil == AutomationTests.nine + .hours(2) },
        ActionCase(action: .resolve) { $0.storedStatus == .resolved },
        ActionCase(action: .notify([.supervisors, .assignee])) { t in
            t.history.contains { $0.change == .notified(["lea"]) && $0.actor == "rules (r)" }
        },
    ]

    @Test(arguments: actionCases)
    func everyActionActsOnANewTicket(_ c: ActionCase) {
        var d = Self.desk([Self.rule(on: .created, "channel:email", [c.action])])
        let id = d.create(at: Self.nine, subject: "Refund please", tags: ["new-customer"])
        let t = d.state[id]!
        #expect(c.check(t), "\(t.history.map(\.text)) \(t.entries.map(\.body))")
        // Every effect is the rule's, in the same batch as the ticket's creation.
        #expect(d.log.filter { $0.event.ticket == id }.dropFirst(2).allSatisfy { $0.event.actor == "rules (r)" })
    }

    @Test func anEmailReplyByARuleGoesOutThroughTheOutbox() {
        var d = Self.desk([Self.rule(on: .created, "", [.reply(canned: "received")])])
        let id = d.create(at: Self.nine, subject: "Hi")
        #expect(d.state.outbox.count == 1 && d.state.outbox[0].ticket == id && d.state.outbox[0].to == "ilze@inbox.lv")
    }

    // MARK: Triggers

    struct TriggerCase: CustomTestStringConvertible, Sendable {
        var on: Rule.Trigger
        /// Other triggers the same event is (a first reply changes the status too).
        var also: Set<String> = []
        var act: @Sendable (inout TestDesk, TicketID) -> Void
        var testDescription: String { on.rawValue }
    }

    static let triggerCases: [TriggerCase] = [
        TriggerCase(on: .created) { _, _ in },
        TriggerCase(on: .customerMessage) { d, id in try! d.run(.customerMessage(id, body: "more"), at: AutomationTests.nine + 60_000, as: "customer") },
        TriggerCase(on: .agentReply, also: ["status-change"]) { d, id in try! d.run(.reply(id, body: "hello"), at: AutomationTests.nine + 60_000) },
        TriggerCase(on: .statusChange) { d, id in try! d.run(.resolve(id), at: AutomationTests.nine + 60_000) },
    ]

    @Test(arguments: triggerCases)
    func eachTriggerFiresItsRulesOnly(_ c: TriggerCase) {
        let rules = Rule.Trigger.allCases.filter { $0 != .time }.map { Self.rule($0.rawValue, on: $0, "", [.tags(add: [$0.rawValue], remove: [])]) }
        var d = Self.desk(rules)
        let id = d.create(at: Self.nine)
        let base = d.state[id]!.tags
        c.act(&d, id)
        let added = Set(d.state[id]!.tags).subtracting(c.on == .created ? [] : base)
        #expect(added == c.also.union([c.on.rawValue]), "\(d.state[id]!.tags)")
    }

    @Test func aTimeRuleDoesNotRunOnEvents() {
        var d = Self.desk([Self.rule(on: .time, "", [.priority(.high)])])
        let id = d.create(at: Self.nine)
        #expect(d.state[id]!.priority == .normal)
        d.sweep(at: Self.nine + 60_000)
        #expect(d.state[id]!.priority == .high && d.state[id]!.rulesMatched == ["r"])
    }

    @Test func rulesRunInOrderAndStopEndsTheEvent() {
        let rules = [Self.rule("first", "refund", [.department("billing"), .tags(add: ["a"], remove: [])], stop: true),
                     Self.rule("second", "", [.department("technical"), .tags(add: ["b"], remove: [])])]
        var d = Self.desk(rules)
        let refund = d.create(at: Self.nine, subject: "refund please")
        let other = d.create(at: Self.nine, subject: "printer")
        #expect(d.state[refund]!.department == "billing" && d.state[refund]!.tags == ["a"])
        #expect(d.state[other]!.department == "technical" && d.state[other]!.tags == ["b"])
        // A later rule sees what an earlier one did.
        var chained = Self.desk([Self.rule("route", "", [.department("billing")]), Self.rule("then", "dept:billing", [.priority(.high)])])
        let c = chained.create(at: Self.nine)
        #expect(chained.state[c]!.priority == .high)
        #expect(chained.state[c]!.history.contains { $0.actor == "rules (route)" && $0.text == "reassigned: department none → billing" })
    }

    @Test func eventsMadeByRulesTriggerNoRules() {
        // A rule answering every agent reply would answer its own replies for ever.
        var d = Self.desk([Self.rule("echo", on: .agentReply, "", [.note("seen")]),
                           Self.rule("ack", on: .created, "", [.reply(canned: "received")])])
        let id = d.create(at: Self.nine)
        #expect(d.state[id]!.entries.filter { $0.kind == .note }.isEmpty)
        try! d.run(.reply(id, body: "by hand"), at: Self.nine + 60_000)
        #expect(d.state[id]!.entries.filter { $0.kind == .note }.count == 1)
    }

    // MARK: Time rules and loops

    @Test func twoTimeRulesThatUndoEachOtherFireOncePerEntry() {
        let rules = [Self.rule("add", on: .time, "-tag:x", [.tags(add: ["x"], remove: [])]),
                     Self.rule("remove", on: .time, "tag:x", [.tags(add: [], remove: ["x"])])]
        var d = Self.desk(rules)
        let id = d.create(at: Self.nine)
        var fired = 0
        for minute in 1...30 {
            fired += d.sweep(at: Self.nine + .minutes(Int64(minute))).filter { if case .tagged = $0.kind { true } else { false } }.count
        }
        #expect(fired == 2, "each rule acted once: \(d.state[id]!.history.map(\.text))")
        // An agent's change takes the ticket out of "add"'s match and back in: it is re-armed and acts once more.
        try! d.run(.tag(id, add: ["x"], remove: []), at: Self.nine + .hours(1))
        try! d.run(.tag(id, add: [], remove: ["x"]), at: Self.nine + .hours(1) + 1000)
        var again = 0
        for minute in 61...90 {
            again += d.sweep(at: Self.nine + .minutes(Int64(minute))).filter { if case .tagged = $0.kind { true } else { false } }.count
        }
        #expect(again >= 1 && again <= 2)
    }

    @Test func aTimeRuleFiresWhenTheTicketTurnsAndNotBefore() {
        var d = Self.desk([Self.rule("escalate", on: .time, "sla:at-risk -tag:escalated",
                                     [.tags(add: ["escalated"], remove: []), .department("escalations"), .notify([.supervisors])])])
        let id = d.create(at: Self.nine)  // first response due in 2 h; at risk in the last 25 %
        #expect(d.sweep(at: Self.nine + .minutes(60)).isEmpty)
        let events = d.sweep(at: Self.nine + .minutes(95))
        #expect(!events.isEmpty && d.state[id]!.department == "escalations" && d.state[id]!.tags == ["escalated"])
        #expect(d.sweep(at: Self.nine + .minutes(96)).allSatisfy { if case .automation(_, .rearmed) = $0.kind { true } else { false } })
        #expect(d.sweep(at: Self.nine + .minutes(97)).isEmpty)
    }

    /// A review: rules wrote marks on tickets where they changed nothing.
    @Test func aTimeRuleWithNothingToDoLeavesNoMark() throws {
        var d = Self.desk([Self.rule("tidy", on: .time, "status:resolved", [.resolve, .priority(.normal)])])
        let id = d.create(at: Self.nine)
        try d.run(.resolve(id), at: Self.nine + 1000)
        #expect(d.sweep(at: Self.nine + .hours(1)).isEmpty)
        #expect(d.state[id]!.rulesMatched.isEmpty)
    }

    @Test func aMarkIsNotAChange() {
        var d = Self.desk([Self.rule("look", on: .time, "idle:>1h", [.notify([.supervisors])])])
        let id = d.create(at: Self.nine)
        let updated = d.state[id]!.updatedAt
        d.sweep(at: Self.nine + .hours(2))
        #expect(d.state[id]!.updatedAt == updated && d.state[id]!.rulesMatched == ["look"])
        #expect(d.sweep(at: Self.nine + .hours(3)).isEmpty, "still idle, still matched: no second notification")
    }

    @Test func closeTheLoopRepliesAndResolves() {
        var d = Self.desk([Self.rule("close the loop", on: .time, "status:answered idle:>3d", [.reply(canned: "still-there"), .resolve])], period: .hours(1))
        let id = d.create(at: Self.nine)
        try! d.run(.reply(id, body: "try this"), at: Self.nine + .hours(1))
        d.sweep(at: Self.nine + .days(2))
        #expect(d.state[id]!.storedStatus == .answered)
        d.sweep(at: Self.nine + .days(4))
        #expect(d.state[id]!.storedStatus == .resolved)
        #expect(d.state[id]!.entries.last { $0.kind == .reply }?.body == "Hello Ilze Bērziņa, is this solved?")
    }

    /// A runner's memory skips what cannot have changed, and acts exactly as a full look would.
    @Test func aSweepWithMemoryLooksOnlyAtWhatMayHaveChangedAndActsTheSame() throws {
        let rules = [Self.rule("escalate", on: .time, "sla:at-risk -tag:escalated", [.tags(add: ["escalated"], remove: [])]),
                     Self.rule("nudge", on: .time, "status:answered idle:>1d", [.note("nudge")]),
                     Self.rule("after hours", on: .time, "hours:closed priority:urgent", [.notify([.supervisors])])]
        var office = BusinessCalendar.officeHours(timeZone: TimeZone(identifier: "UTC")!)
        office.holidays = []
        func desk() -> TestDesk {
            var d = Self.desk(rules, distribution: ["billing": Distribution(capacity: [.email: 1])])
            d.rules.calendar = office
            return d
        }
        var full = desk(), remembered = desk()
        let memory = SweepMemory()
        for d in [0, 1] {
            var x = d == 0 ? full : remembered
            for i in 0..<40 {
                let id = x.create(at: Self.nine + .minutes(Int64(i)), priority: i % 5 == 0 ? .urgent : .normal, department: i % 3 == 0 ? "billing" : nil)
                if i % 4 == 0 { try x.run(.reply(id, body: "x"), at: Self.nine + .minutes(Int64(i) + 1)) }
            }
            if d == 0 { full = x } else { remembered = x }
        }
        var looked: [Int] = []
        for step in 0..<120 {
            let now = Self.nine + .minutes(Int64(45 + step * 23))
            if step == 30 { for x in [0, 1] { if x == 0 { try full.run(.setPresence(agent: nil, .available), at: now - 1000) } else { try remembered.run(.setPresence(agent: nil, .available), at: now - 1000) } } }
            let a = Automation.sweep(full.state, rules: full.rules, now: now)
            let b = Automation.sweep(remembered.state, rules: remembered.rules, now: now, memory: memory)
            #expect(a.events == b.events, "step \(step)")
            looked.append(memory.looked)
            full.store(a.events)
            remembered.store(b.events)
        }
        #expect(full.state == remembered.state)
        #expect(full.log.contains { Automation.isRules($0.event.actor) })
        // Looking again straight away finds nothing due.
        _ = Automation.sweep(remembered.state, rules: remembered.rules, now: Self.nine + .minutes(45 + 119 * 23), memory: memory)
        #expect(memory.looked <= 14, "only the tickets waiting for an agent: \(memory.looked)")
        #expect(looked.dropFirst().reduce(0, +) < 119 * 40 / 2, "\(looked)")
    }

    @Test func aBigSweepIsAppendedInBatchesOfWholeTickets() {
        var d = Self.desk([Self.rule("tag all", on: .time, "", [.tags(add: ["a"], remove: []), .priority(.high)])])
        for i in 0..<30 { _ = d.create(at: Self.nine + Millis(i)) }
        let sweep = Automation.sweep(d.state, rules: d.rules, now: Self.nine + .minutes(1))
        #expect(sweep.events.count == 90)
        let batches = sweep.batches(of: 10)
        #expect(batches.count == 8 && batches.allSatisfy { $0.events.count == 12 || $0.events.count == 6 })
        #expect(batches.flatMap(\.events) == sweep.events)
        for b in batches {
            #expect(Set(b.events.map(\.ticket)) == Set(b.expectedVersions.keys))
            #expect(b.expectedVersions.allSatisfy { sweep.expectedVersions[$0.key] == $0.value })
        }
    }

    // MARK: Automatic replies

    @Test func noAutomaticReplyToMachinesTwiceInAPeriodOrForImports() {
        let ack = [Self.rule("ack", on: .created, "", [.reply(canned: "received")])]
        var d = Self.desk(ack, period: .hours(24))
        d.rules.intake.address = "Acme Support <Support@acme.example>"
        for address in ["noreply@shop.example", "no-reply@x.example", "MAILER-DAEMON@x.example", "donotreply@bank.example", "bounces+123@list.example", "support@acme.example"] {
            let id = d.create(at: Self.nine, customer: Customer(name: "Robot", email: address))
            #expect(!d.state[id]!.entries.contains { $0.kind == .reply }, "\(address)")
        }
        let first = d.create(at: Self.nine)
        let second = d.create(at: Self.nine + .hours(3))
        let third = d.create(at: Self.nine + .hours(25))
        #expect(d.state[first]!.entries.contains { $0.kind == .reply })
        #expect(!d.state[second]!.entries.contains { $0.kind == .reply })
        #expect(d.state[third]!.entries.contains { $0.kind == .reply })

        var history = Self.desk(ack)
        let arrival = MailArrival(key: "mail:<old@x>", messageID: "<old@x>", from: Customer(name: "Ann", email: "ann@example.org"), subject: "Old", text: "old")
        let o = Intake.mail(arrival, state: history.state, now: Self.nine, rules: history.rules, newID: { TestDesk.ids[0] })
        history.store(Automation.follow(o.decision, state: history.state, rules: history.rules, now: Self.nine, source: .backfill).events)
        #expect(history.state.count == 1 && history.state.all[0].entries.allSatisfy { $0.kind != .reply })
    }

    /// A review: "close the loop" resolved a ticket in silence when its reply was held back (an
    /// acknowledgement within the period). The history says why; nothing is noted for history
    /// brought in or other channels.
    @Test func aHeldBackReplyIsNotedNotSilent() {
        var d = Self.desk([Self.rule("ack", on: .created, "", [.reply(canned: "received")]),
                           Self.rule("close the loop", on: .time, "status:answered idle:>1h", [.reply(canned: "still-there"), .resolve])])
        let id = d.create(at: Self.nine)
        try! d.run(.reply(id, body: "try this"), at: Self.nine + .minutes(5), as: "anna")
        d.sweep(at: Self.nine + .hours(2))
        let t = d.state[id]!
        #expect(t.storedStatus == .resolved)
        #expect(t.entries.contains { $0.kind == .note && $0.body == "The automatic reply 'still-there' was not sent: ilze@inbox.lv had an automatic reply in the last 24 h (auto_reply_period)." && $0.author == "rules (close the loop)" },
                "\(t.entries.map(\.body))")
        let chat = d.create(.chat, at: Self.nine)
        #expect(!d.state[chat]!.entries.contains { $0.kind == .note })
    }

    /// Mail from a list or a bulk sender is a ticket, tagged bulk, and never answered (RFC 3834).
    @Test func bulkMailIsTaggedAndNeverAnswered() {
        var d = Self.desk([Self.rule("ack", on: .created, "", [.reply(canned: "received")])])
        let news = MailArrival(key: "mail:<n1@list>", messageID: "<n1@list>", from: Customer(name: "Shop News", email: "news@shop.example"),
                               subject: "Our November offers", text: "buy", bulk: true)
        let o = Intake.mail(news, state: d.state, now: Self.nine, rules: d.rules, newID: { TestDesk.ids[3] })
        d.store(Automation.follow(o.decision, state: d.state, rules: d.rules, now: Self.nine).events)
        let t = d.state[TestDesk.ids[3]]!
        #expect(t.tags == ["bulk"] && !t.entries.contains { $0.kind == .reply })
        #expect(t.entries.contains { $0.kind == .note && $0.body.contains("a list or a bulk sender") })
    }

    @Test func anAutoReplyFromTheCustomersMailSystemGetsNoAcknowledgement() {
        var d = Self.desk([Self.rule("ack", on: .created, "", [.reply(canned: "received")]),
                           Self.rule("ack more", on: .customerMessage, "", [.reply(canned: "received")])], period: 0)
        let id = d.create(at: Self.nine)
        let replies = { d.state[id]!.entries.filter { $0.kind == .reply }.count }
        #expect(replies() == 1)
        let away = MailArrival(key: "mail:<ooo@x>", messageID: "<ooo@x>", from: Customer(name: "Ilze", email: "ilze@inbox.lv"),
                               subject: "Out of office: \(id)", text: "away", automatic: .autoReply)
        let o = Intake.mail(away, state: d.state, now: Self.nine + 60_000, rules: d.rules, newID: { TestDesk.ids[9] })
        d.store(Automation.follow(o.decision, state: d.state, rules: d.rules, now: Self.nine + 60_000).events)
        #expect(replies() == 1 && d.state.count == 1)
    }

    /// Rules are not people: the figures count no replies or resolutions of theirs as an agent's.
    @Test func rulesAreNoAgentInTheFigures() {
        var d = Self.desk([Self.rule("ack", on: .created, "", [.reply(canned: "received")]),
                           Self.rule("tidy", on: .time, "age:>1h", [.resolve])])
        _ = d.create(at: Self.nine)
        d.sweep(at: Self.nine + .hours(2))
        let m = DeskMetrics.compute(d.state, context: ViewContext(now: Self.nine + .hours(3), me: "lea", rules: d.rules), since: Self.nine - .hours(1))
        #expect(!m.agents.contains { Automation.isRules($0.agent) }, "\(m.agents.map(\.agent))")
        #expect(m.resolvedInPeriod == 1)
    }

    // MARK: Replay

    @Test func replayWithoutRulesGivesTheSameDesk() {
        let rules = [Self.rule("route", "refund", [.department("billing"), .priority(.high), .tags(add: ["refund"], remove: [])]),
                     Self.rule("ack", on: .created, "", [.reply(canned: "received")]),
                     Self.rule("escalate", on: .time, "sla:at-risk", [.notify([.department, .supervisors]), .tags(add: ["late"], remove: [])]),
                     Self.rule("unstick", on: .time, "tag:late", [.tags(add: [], remove: ["late"])])]
        var d = Self.desk(rules, distribution: ["billing": Distribution(mode: .roundRobin, capacity: [.email: 2])])
        try! d.run(.setPresence(agent: nil, .available), at: Self.nine)
        for i in 0..<6 {
            let id = d.create(at: Self.nine + .minutes(Int64(i)), subject: i % 2 == 0 ? "refund \(i)" : "other \(i)")
            if i == 3 { try! d.run(.reply(id, body: "x"), at: Self.nine + .minutes(10), as: "lea") }
        }
        for minute in stride(from: 15, to: 200, by: 7) { d.sweep(at: Self.nine + .minutes(Int64(minute))) }
        #expect(d.log.contains { Automation.isRules($0.event.actor) })
        var replayed = DeskState(autoCloseAfter: d.rules.autoCloseAfter)
        replayed.apply(d.log)
        #expect(replayed == d.state)
    }

    // MARK: Distribution

    static func distributing(_ mode: Distribution.Mode, capacity: Int) -> TestDesk {
        var d = desk([], distribution: ["billing": Distribution(mode: mode, capacity: [.email: capacity])])
        d.rules.agents += [Agent(user: "cara", name: "Cara", role: .agent, departments: ["billing"]),
                           Agent(user: "dan", name: "Dan", role: .agent, departments: ["billing"])]
        return d
    }

    @Test func leastLoadedGoesToWhoeverHoldsLeast() throws {
        var d = Self.distributing(.leastLoaded, capacity: 10)
        for u in ["anna", "cara"] { try d.run(.setPresence(agent: u, .available), at: Self.nine, as: "lea") }
        let ids = (0..<4).map { d.create(at: Self.nine + .minutes(Int64($0)), department: "billing") }
        let holders = ids.map { d.state[$0]!.assignee }
        #expect(holders.filter { $0 == "anna" }.count == 2 && holders.filter { $0 == "cara" }.count == 2, "\(holders)")
        // Anna resolves both of hers: the next two go to her.
        for id in ids where d.state[id]!.assignee == "anna" { try d.run(.resolve(id), at: Self.nine + .minutes(10)) }
        let more = (0..<2).map { d.create(at: Self.nine + .minutes(Int64(20 + $0)), department: "billing") }
        #expect(more.allSatisfy { d.state[$0]!.assignee == "anna" })
    }

    /// A review: with loads equal, one sweep gave a second ticket to the agent who had just got one
    /// (every ticket of a sweep is given at the same instant). Turns now follow the order given.
    @Test func oneSweepTakesTurnsWhenLoadsAreEqual() throws {
        var d = Self.distributing(.leastLoaded, capacity: 10)
        // Dan got one at 9:00, Cara at 9:05 (later in the roster, but more recently).
        try d.run(.setPresence(agent: "dan", .available), at: Self.nine - 1000, as: "lea")
        _ = d.create(at: Self.nine, department: "billing")
        try d.run(.setPresence(agent: "cara", .available), at: Self.nine + .minutes(4), as: "lea")
        _ = d.create(at: Self.nine + .minutes(5), department: "billing")
        for u in ["cara", "dan"] { try d.run(.setPresence(agent: u, .away), at: Self.nine + .minutes(6), as: "lea") }
        let waiting = (0..<3).map { d.create(at: Self.nine + .minutes(Int64(10 + $0)), department: "billing") }
        for u in ["cara", "dan"] { try d.run(.setPresence(agent: u, .available), at: Self.nine + .minutes(20), as: "lea") }
        d.sweep(at: Self.nine + .minutes(21))
        #expect(waiting.compactMap { d.state[$0]!.assignee } == ["dan", "cara", "dan"])
    }

    @Test func roundRobinTakesTurnsAndSkipsWhoeverIsAway() throws {
        var d = Self.distributing(.roundRobin, capacity: 10)
        for u in ["anna", "cara", "dan"] { try d.run(.setPresence(agent: u, .available), at: Self.nine, as: "lea") }
        let first = (0..<3).map { d.create(at: Self.nine + .minutes(Int64($0)), department: "billing") }
        #expect(Set(first.compactMap { d.state[$0]!.assignee }) == ["anna", "cara", "dan"])
        try d.run(.setPresence(agent: "dan", .away), at: Self.nine + .minutes(5), as: "lea")
        let next = (0..<4).map { d.create(at: Self.nine + .minutes(Int64(10 + $0)), department: "billing") }
        #expect(next.allSatisfy { d.state[$0]!.assignee != "dan" && d.state[$0]!.assignee != nil })
    }

    @Test func aTicketWaitsWhenAllAreFullAndGoesWhenOneFreesUp() throws {
        var d = Self.distributing(.leastLoaded, capacity: 1)
        try d.run(.setPresence(agent: nil, .available), at: Self.nine)
        let a = d.create(at: Self.nine, department: "billing")
        let b = d.create(at: Self.nine + 1000, department: "billing")
        #expect(d.state[a]!.assignee == "anna" && d.state[b]!.assignee == nil)
        #expect(d.sweep(at: Self.nine + .minutes(1)).isEmpty, "still full: it waits")
        try d.run(.resolve(a), at: Self.nine + .minutes(2))
        d.sweep(at: Self.nine + .minutes(3))
        #expect(d.state[b]!.assignee == "anna")
        #expect(d.state[b]!.history.last?.actor == "rules (distribution)")
        // Nobody available at all: it waits for someone to come.
        let c = d.create(at: Self.nine + .minutes(4), department: "billing")
        try d.run(.setPresence(agent: "cara", .available), at: Self.nine + .minutes(5), as: "lea")
        d.sweep(at: Self.nine + .minutes(6))
        #expect(d.state[c]!.assignee == "cara")
    }

    @Test func assigneeDistributeUsesTheDepartmentsPolicy() throws {
        var d = Self.distributing(.leastLoaded, capacity: 5)
        d.rules.automation.rules = [Self.rule("to billing", "refund", [.department("billing"), .assignee(.distribute)])]
        try d.run(.setPresence(agent: "cara", .available), at: Self.nine, as: "lea")
        let id = d.create(at: Self.nine + 1000, subject: "refund")
        #expect(d.state[id]!.department == "billing" && d.state[id]!.assignee == "cara")
    }
}
