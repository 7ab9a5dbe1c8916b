import Foundation
@testable import QueueDeckDomain

/// A desk in memory for tests: commands are decided and folded exactly as the CLI does, with a
/// clock the test moves and IDs from a fixed list.
struct TestDesk {
    var rules: DeskRules
    var state: DeskState
    var seq: UInt64 = 0
    var nextID = 0
    /// Every event stored so far, in order: replaying a prefix gives the desk at an earlier moment.
    var log: [StoredEvent] = []

    static let monday = CivilDate(year: 2026, month: 11, day: 23).dayNumber  // a Monday
    /// 2026-11-23 (Monday) at hh:mm UTC.
    static func at(day offset: Int = 0, _ hh: Int, _ mm: Int = 0) -> Instant {
        Instant(ms: (Int64(monday + offset) * 86400 + Int64(hh * 3600 + mm * 60)) * 1000)
    }

    static let ids = (1...500).map { i -> TicketID in  // from 1: 333-33333-333 is TicketID.desk
        let a = TicketID.alphabet
        var s = ""
        var n = i
        for _ in 0..<11 { s.append(Character(UnicodeScalar(a[n % a.count]))); n /= a.count }
        return TicketID(s)!
    }

    static let roster: [Agent] = [
        Agent(user: "anna", name: "Anna Ozola", role: .agent, departments: ["billing"]),
        Agent(user: "bob", name: "Bob Kalns", role: .agent, departments: ["technical"]),
        Agent(user: "lea", name: "Lea Brown", role: .supervisor, departments: ["general"]),
        Agent(user: "wall", name: "Wall", role: .viewer),
        Agent(user: "customer", name: "customer", role: Role(name: "intake", permissions: [.create, .inbound])),
    ]

    init(calendar: BusinessCalendar = .alwaysOpen, sla: SLAPolicy = SLAPolicy(fallback: SLATargets(firstResponse: .hours(2), nextResponse: .hours(4), resolution: .hours(24)))) {
        rules = DeskRules(agents: TestDesk.roster,
                          departments: [Department(name: "general"), Department(name: "billing"), Department(name: "technical"), Department(name: "escalations", tier: 2)],
                          contactGroups: [ContactGroup(name: "vip", value: 100), ContactGroup(name: "paying", value: 10)],
                          sla: sla, calendar: calendar, autoCloseAfter: .days(4))
        state = DeskState(autoCloseAfter: rules.autoCloseAfter)
    }

    @discardableResult
    mutating func run(_ c: Command, at now: Instant, as user: String = "anna") throws(DomainError) -> [Event] {
        let actor = rules.agent(user: user)!
        let id = TestDesk.ids[nextID]
        let ctx = CommandContext(actor: actor, now: now, rules: rules, newTicketID: { id })
        // As every door that appends does: the event rules join the batch (none configured: nothing).
        let d = Automation.follow(try Commands.decide(c, state: state, context: ctx), state: state, rules: rules, now: now)
        store(d.events)
        return d.events
    }

    /// Appends events as a journal would: the next sequence number, each ticket's next version.
    mutating func store(_ events: [Event]) {
        for e in events {
            if case .created = e.kind { nextID += 1 }
            seq += 1
            let version = e.ticket == .desk ? state.deskVersion + 1 : (state[e.ticket]?.version ?? 0) + 1
            let stored = StoredEvent(seq: seq, version: version, event: e)
            state.apply(stored)
            log.append(stored)
        }
    }

    /// One run of `qdeck automate` at `now`: the time rules and distribution, appended.
    @discardableResult
    mutating func sweep(at now: Instant) -> [Event] {
        let d = Automation.sweep(state, rules: rules, now: now)
        store(d.events)
        return d.events
    }

    /// Creates a ticket and returns its ID.
    mutating func create(_ channel: Channel = .email, at now: Instant, subject: String = "Printer on fire", body: String = "help",
                         priority: Priority = .normal, department: String? = nil, customer: Customer = Customer(name: "Ilze Bērziņa", email: "ilze@inbox.lv"),
                         tags: [String] = [], queue: String? = nil) -> TicketID {
        let events = try! run(.create(TicketOpening(channel: channel, customer: customer, subject: subject, body: body,
                                                    priority: priority, department: department, queue: queue), tags: tags), at: now, as: "customer")
        return events[0].ticket
    }

    /// The desk as it stood at `t`: the log replayed up to it.
    func replayed(to t: Instant) -> DeskState {
        var s = DeskState(autoCloseAfter: rules.autoCloseAfter)
        s.apply(log.filter { $0.event.at <= t })
        return s
    }

    func status(_ id: TicketID, at now: Instant) -> TicketStatus {
        state[id]!.status(at: now, autoCloseAfter: rules.autoCloseAfter)
    }
}
