import Foundation
import QueueDeckDomain

/// An optional that encodes as `null` rather than being left out: stable keys for scripts.
struct Nullable<T: Encodable>: Encodable {
    let value: T?
    init(_ value: T?) { self.value = value }
    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if let value { try c.encode(value) } else { try c.encodeNil() }
    }
}

/// `stats --json`: the figures of DeskMetrics and DeskTrend under stable names.
struct StatsJSON: Encodable {
    struct Figure: Encodable {
        var count: Int
        var medianSeconds: Nullable<Double>
        var meanSeconds: Nullable<Double>
        init(_ f: DurationFigure) {
            count = f.count
            medianSeconds = Nullable(f.medianSeconds)
            meanSeconds = Nullable(f.meanSeconds)
        }
    }
    struct ComplianceJSON: Encodable {
        var met: Int
        var total: Int
        var percent: Nullable<Double>
        init(_ c: Compliance) {
            met = c.met
            total = c.total
            percent = Nullable(c.percent)
        }
    }
    struct ChannelJSON: Encodable {
        var waiting: Int
        var waitingMinuteAgo: Int
        var trend: String
        var oldestWaitingSeconds: Nullable<Double>
        var unresolved: Int
        var atRisk: Int
        var breached: Int
        var abandonedToday: Int
        var slaCompliance: Nullable<Double>
        var sla: ComplianceJSON
    }
    struct Bucket: Encodable { var label: String; var count: Int }
    struct BacklogJSON: Encodable {
        var count: Int
        var minuteAgo: Int
        var createdToday: Int
        var resolvedToday: Int
        var ageBuckets: [Bucket]
        /// Backlog every 15 minutes over the last 8 hours, and every 4 hours over the last 7 days, oldest first.
        var last8h: [Int]
        var last7d: [Int]
    }
    struct AgentJSON: Encodable {
        var agent: String
        var availability: String
        var assigned: Int
        var waiting: Int
        var resolved: Int
        var replies: Int
    }
    struct AgentsJSON: Encodable {
        var available: Int
        var busy: Int
        var away: Int
        var offline: Int
        var list: [AgentJSON]
    }
    struct DeflectionJSON: Encodable {
        var definition: String
        var interactions: Int
        var selfServiceUsers: Int
        var ticketUsers: Int
        var users: Int
        var ratio: Nullable<Double>
    }
    struct ScopeJSON: Encodable {
        var department: Nullable<String>
        var channel: Nullable<String>
    }

    var at: String
    var timeTravel: Bool
    var periodStart: String
    var scope: ScopeJSON
    var channels: [String: ChannelJSON]
    var backlog: BacklogJSON
    var firstResponse: Figure
    var resolution: Figure
    var slaCompliance: ComplianceJSON
    var agents: AgentsJSON
    var deflection: DeflectionJSON

    init(_ m: DeskMetrics, trend: DeskTrend, timeTravel: Bool) {
        at = m.now.isoUTC
        self.timeTravel = timeTravel
        periodStart = m.periodStart.isoUTC
        scope = ScopeJSON(department: Nullable(m.scope.department), channel: Nullable(m.scope.channel?.rawValue))
        var ch: [String: ChannelJSON] = [:]
        for (c, f) in m.channels {
            let before = trend.waitingBefore[c] ?? 0
            ch[c.rawValue] = ChannelJSON(waiting: f.waiting, waitingMinuteAgo: before, trend: Self.word(TrendDirection(from: before, to: f.waiting)),
                                         oldestWaitingSeconds: Nullable(f.oldestWaitingSeconds), unresolved: f.unresolved,
                                         atRisk: f.atRisk, breached: f.breached, abandonedToday: f.abandoned,
                                         slaCompliance: Nullable(f.slaCompliance.percent), sla: ComplianceJSON(f.slaCompliance))
        }
        channels = ch
        backlog = BacklogJSON(count: m.backlog, minuteAgo: trend.backlogBefore, createdToday: m.createdInPeriod, resolvedToday: m.resolvedInPeriod,
                              ageBuckets: m.ageBuckets.map { Bucket(label: $0.label, count: $0.count) },
                              last8h: trend.backlogHours, last7d: trend.backlogDays)
        firstResponse = Figure(m.firstResponse)
        resolution = Figure(m.resolution)
        slaCompliance = ComplianceJSON(m.slaCompliance)
        agents = AgentsJSON(available: m.agentCount(.available), busy: m.agentCount(.busy), away: m.agentCount(.away), offline: m.agentCount(.offline),
                            list: m.agents.map { AgentJSON(agent: $0.agent, availability: $0.availability.rawValue, assigned: $0.assigned,
                                                           waiting: $0.waiting, resolved: $0.resolved, replies: $0.replies) })
        let d = m.deflection
        deflection = DeflectionJSON(definition: Deflection.definition, interactions: d.interactions, selfServiceUsers: d.selfServiceUsers,
                                    ticketUsers: d.ticketUsers, users: d.users, ratio: Nullable(d.ratio))
    }

    static func word(_ d: TrendDirection) -> String {
        switch d {
        case .up: "up"
        case .down: "down"
        case .flat: "flat"
        }
    }

    var text: String {
        func secs(_ s: Double?) -> String { s.map { TextFormat.ago(Millis($0 * 1000)) } ?? "-" }
        func pct(_ p: Double?) -> String { p.map { String(format: "%.1f%%", $0) } ?? "-" }
        func row(_ cells: [(String, Int)]) -> String { cells.map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined() }
        var out = ["\(timeTravel ? "as it stood at" : "at") \(at) · period from \(periodStart)" + (scope.department.value.map { " · department \($0)" } ?? ""), "",
                   row([("CHANNEL", 9), ("WAITING", 9), ("TREND", 7), ("OLDEST", 9), ("UNRESOLVED", 12), ("AT RISK", 9), ("BREACHED", 10),
                        ("ABANDONED", 11), ("SLA MET", 8)])]
        for c in Channel.allCases {
            guard let f = channels[c.rawValue] else { continue }
            out.append(row([(c.rawValue, 9), (String(f.waiting), 9), (f.trend, 7), (secs(f.oldestWaitingSeconds.value), 9), (String(f.unresolved), 12),
                            (String(f.atRisk), 9), (String(f.breached), 10), (String(f.abandonedToday), 11), (pct(f.slaCompliance.value), 8)]))
        }
        out.append("")
        out.append("backlog \(backlog.count) (a minute ago \(backlog.minuteAgo)) · created \(backlog.createdToday) · resolved \(backlog.resolvedToday)")
        out.append("  age: " + backlog.ageBuckets.map { "\($0.label) \($0.count)" }.joined(separator: " · "))
        out.append("first response: \(firstResponse.count) · median \(secs(firstResponse.medianSeconds.value)) · mean \(secs(firstResponse.meanSeconds.value))")
        out.append("resolution: \(resolution.count) · median \(secs(resolution.medianSeconds.value)) · mean \(secs(resolution.meanSeconds.value))")
        out.append("SLA compliance: \(pct(slaCompliance.percent.value)) (\(slaCompliance.met) of \(slaCompliance.total))")
        let wide = scope.department.value != nil || scope.channel.value != nil ? ", desk-wide" : ""
        out.append("deflection\(wide): " + (deflection.ratio.value.map { String(format: "%.2f", $0) } ?? "-")
                   + " (\(countPhrase(deflection.interactions, "self-service interaction")) by \(countPhrase(deflection.selfServiceUsers, "user")); "
                   + "\(countPhrase(deflection.users, "user")) in all, \(deflection.ticketUsers) of them opened tickets) = \(Deflection.definition)")
        out.append("")
        out.append("agents: \(agents.available) available · \(agents.busy) busy · \(agents.away) away · \(agents.offline) offline")
        out.append(row([("AGENT", 14), ("STATE", 11), ("ASSIGNED", 10), ("WAITING", 9), ("RESOLVED", 10), ("REPLIES", 8)]))
        for a in agents.list {
            out.append(row([(a.agent, 14), (a.availability, 11), (String(a.assigned), 10), (String(a.waiting), 9), (String(a.resolved), 10), (String(a.replies), 8)]))
        }
        return out.joined(separator: "\n")
    }
}
