import ArgumentParser
import Foundation
import QueueDeckDomain

struct List: DeskCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the working queue (unresolved tickets), filtered and sorted.",
        discussion: """
        FILTER terms (all must match; -term negates): channel:chat  status:new,open  assignee:me|none|USER
        dept:billing  priority:>=high  sla:at-risk|breached|ok|paused  tag:refund  group:vip  and free words
        (ID, subject, customer, tags, first message; case and accents ignored).
        """)
    @OptionGroup var globals: GlobalOptions
    @Argument(parsing: .allUnrecognized, help: "Filter terms.") var filter: [String] = []
    @Option(name: .long, help: "fifo, sla, priority, value, easiest or waiting.") var sort: String = "sla"
    @Flag(name: .long, help: "Every status, not only unresolved tickets.") var all = false
    @Flag(name: .long, help: "Print a JSON array of tickets.") var json = false

    func execute() throws {
        guard let order = QueueOrder(rawValue: sort) else {
            throw Failure(code: Exit.usage, message: "unknown sort '\(sort)'; one of \(QueueOrder.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let f = try TicketFilter.parse(filter.joined(separator: " "))
        let session = try DeskSession(globals, writable: false)
        let ctx = session.viewContext()
        let rows = QueueView.tickets(session.state, filter: f, order: order, all: all, context: ctx)
        if json {
            try printJSON(rows.map { TicketJSON($0, context: ctx, full: false) })
        } else {
            print(TextFormat.table(rows, ctx))
            print("\(rows.count) ticket\(rows.count == 1 ? "" : "s") · sorted by \(order.label)")
        }
    }
}

struct Show: DeskCommand {
    static let configuration = CommandConfiguration(abstract: "Show one ticket with its conversation and history.")
    @OptionGroup var globals: GlobalOptions
    @Argument(help: "The ticket ID.") var id: String
    @Flag(name: .long, help: "Print JSON with messages and history.") var json = false

    func execute() throws {
        let session = try DeskSession(globals, writable: false)
        let t = try session.ticket(id)
        let ctx = session.viewContext()
        if json { try printJSON(TicketJSON(t, context: ctx, full: true)) } else {
            print(TextFormat.show(t, ctx, others: session.state.otherTickets(of: t)))
        }
    }
}

struct Stats: DeskCommand {
    static let configuration = CommandConfiguration(
        abstract: "Queue depth, backlog, response and resolution times, SLA compliance, agent load.",
        discussion: "Times and compliance cover the period since --since (default: since midnight in the desk's time zone). Definitions are in README.md.")
    @OptionGroup var globals: GlobalOptions
    @Option(name: .long, help: ArgumentHelp("Start of the period: a duration back from now (24h, 7d) or a date.", valueName: "when")) var since: String?
    @Flag(name: .long, help: "Print JSON.") var json = false

    func execute() throws {
        let session = try DeskSession(globals, writable: false)
        let ctx = session.viewContext()
        let cal = session.rules.calendar
        var start = cal.instant(day: cal.localDay(of: session.now), minute: 0)
        if let since {
            if let d = WhenParser.duration(since.lowercased()) { start = session.now - d } else {
                start = try WhenParser.parse(since, now: session.now, calendar: cal)
            }
        }
        let m = DeskMetrics.compute(session.state, context: ctx, since: start)
        if json { try printJSON(StatsJSON(m)) } else { print(StatsJSON(m).text) }
    }
}

/// `stats --json`: the figures of DeskMetrics under stable names.
struct StatsJSON: Encodable {
    struct Figure: Encodable { var count: Int; var medianSeconds: Double?; var meanSeconds: Double?
        enum CodingKeys: CodingKey { case count, medianSeconds, meanSeconds }
        func encode(to e: Encoder) throws {
            var c = e.container(keyedBy: CodingKeys.self)
            try c.encode(count, forKey: .count); try c.encode(medianSeconds, forKey: .medianSeconds); try c.encode(meanSeconds, forKey: .meanSeconds)
        }
    }
    struct ComplianceJSON: Encodable { var met: Int; var total: Int; var percent: Double?
        enum CodingKeys: CodingKey { case met, total, percent }
        func encode(to e: Encoder) throws {
            var c = e.container(keyedBy: CodingKeys.self)
            try c.encode(met, forKey: .met); try c.encode(total, forKey: .total); try c.encode(percent, forKey: .percent)
        }
    }
    struct ChannelJSON: Encodable {
        var waiting: Int; var oldestWaitingSeconds: Double?; var unresolved: Int; var atRisk: Int; var breached: Int
        var slaCompliance: Double?; var sla: ComplianceJSON
        enum CodingKeys: CodingKey { case waiting, oldestWaitingSeconds, unresolved, atRisk, breached, slaCompliance, sla }
        func encode(to e: Encoder) throws {
            var c = e.container(keyedBy: CodingKeys.self)
            try c.encode(waiting, forKey: .waiting); try c.encode(oldestWaitingSeconds, forKey: .oldestWaitingSeconds)
            try c.encode(unresolved, forKey: .unresolved); try c.encode(atRisk, forKey: .atRisk); try c.encode(breached, forKey: .breached)
            try c.encode(slaCompliance, forKey: .slaCompliance); try c.encode(sla, forKey: .sla)
        }
    }
    struct Bucket: Encodable { var label: String; var count: Int }
    struct BacklogJSON: Encodable { var count: Int; var ageBuckets: [Bucket] }
    struct AgentJSON: Encodable { var agent: String; var assigned: Int; var waiting: Int; var resolved: Int; var replies: Int }

    var at: String
    var periodStart: String
    var channels: [String: ChannelJSON]
    var backlog: BacklogJSON
    var firstResponse: Figure
    var resolution: Figure
    var slaCompliance: ComplianceJSON
    var agents: [AgentJSON]

    init(_ m: DeskMetrics) {
        at = m.now.isoUTC
        periodStart = m.periodStart.isoUTC
        var ch: [String: ChannelJSON] = [:]
        for (c, f) in m.channels {
            ch[c.rawValue] = ChannelJSON(waiting: f.waiting, oldestWaitingSeconds: f.oldestWaitingSeconds, unresolved: f.unresolved,
                                         atRisk: f.atRisk, breached: f.breached, slaCompliance: f.slaCompliance.percent,
                                         sla: ComplianceJSON(met: f.slaCompliance.met, total: f.slaCompliance.total, percent: f.slaCompliance.percent))
        }
        channels = ch
        backlog = BacklogJSON(count: m.backlog, ageBuckets: m.ageBuckets.map { Bucket(label: $0.label, count: $0.count) })
        firstResponse = Figure(count: m.firstResponse.count, medianSeconds: m.firstResponse.medianSeconds, meanSeconds: m.firstResponse.meanSeconds)
        resolution = Figure(count: m.resolution.count, medianSeconds: m.resolution.medianSeconds, meanSeconds: m.resolution.meanSeconds)
        slaCompliance = ComplianceJSON(met: m.slaCompliance.met, total: m.slaCompliance.total, percent: m.slaCompliance.percent)
        agents = m.agents.map { AgentJSON(agent: $0.agent, assigned: $0.assigned, waiting: $0.waiting, resolved: $0.resolved, replies: $0.replies) }
    }

    var text: String {
        func secs(_ s: Double?) -> String { s.map { TextFormat.ago(Millis($0 * 1000)) } ?? "-" }
        func pct(_ p: Double?) -> String { p.map { String(format: "%.1f%%", $0) } ?? "-" }
        var out = ["at \(at) · period from \(periodStart)", "",
                   "CHANNEL  WAITING  OLDEST   UNRESOLVED  AT RISK  BREACHED  SLA MET"]
        for c in Channel.allCases {
            let f = channels[c.rawValue]!
            out.append(c.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                + String(f.waiting).padding(toLength: 9, withPad: " ", startingAt: 0)
                + secs(f.oldestWaitingSeconds).padding(toLength: 9, withPad: " ", startingAt: 0)
                + String(f.unresolved).padding(toLength: 12, withPad: " ", startingAt: 0)
                + String(f.atRisk).padding(toLength: 9, withPad: " ", startingAt: 0)
                + String(f.breached).padding(toLength: 10, withPad: " ", startingAt: 0) + pct(f.slaCompliance))
        }
        out.append("")
        out.append("backlog \(backlog.count): " + backlog.ageBuckets.map { "\($0.label) \($0.count)" }.joined(separator: " · "))
        out.append("first response: \(firstResponse.count) · median \(secs(firstResponse.medianSeconds)) · mean \(secs(firstResponse.meanSeconds))")
        out.append("resolution: \(resolution.count) · median \(secs(resolution.medianSeconds)) · mean \(secs(resolution.meanSeconds))")
        out.append("SLA compliance: \(pct(slaCompliance.percent)) (\(slaCompliance.met) of \(slaCompliance.total))")
        out.append("")
        out.append("AGENT         ASSIGNED  WAITING  RESOLVED  REPLIES")
        for a in agents {
            out.append(a.agent.padding(toLength: 14, withPad: " ", startingAt: 0) + String(a.assigned).padding(toLength: 10, withPad: " ", startingAt: 0)
                + String(a.waiting).padding(toLength: 9, withPad: " ", startingAt: 0) + String(a.resolved).padding(toLength: 10, withPad: " ", startingAt: 0)
                + String(a.replies))
        }
        return out.joined(separator: "\n")
    }
}
