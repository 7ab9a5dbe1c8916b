/// Targets in business time. A nil target is not tracked.
public struct SLATargets: Hashable, Sendable {
    public var firstResponse: Millis?
    public var nextResponse: Millis?
    public var resolution: Millis?
    public init(firstResponse: Millis? = nil, nextResponse: Millis? = nil, resolution: Millis? = nil) {
        self.firstResponse = firstResponse
        self.nextResponse = nextResponse
        self.resolution = resolution
    }
}

/// A policy rule: applies when every condition it names matches. The first matching rule wins.
public struct SLARule: Hashable, Sendable {
    public var name: String
    public var priority: Priority?
    public var department: String?
    public var group: String?
    public var channel: Channel?
    public var targets: SLATargets
    public init(name: String, priority: Priority? = nil, department: String? = nil, group: String? = nil,
                channel: Channel? = nil, targets: SLATargets) {
        self.name = name
        self.priority = priority
        self.department = department
        self.group = group
        self.channel = channel
        self.targets = targets
    }

    func matches(_ t: Ticket) -> Bool {
        if let p = priority, p != t.priority { return false }
        if let d = department, d != t.department { return false }
        if let g = group, !t.customer.groups.contains(g) { return false }
        if let c = channel, c != t.channel { return false }
        return true
    }
}

public struct SLAPolicy: Hashable, Sendable {
    public var rules: [SLARule]
    public var fallback: SLATargets
    /// "At risk" when less than this fraction of the target is left.
    public var atRiskFraction: Double

    public init(rules: [SLARule] = [], fallback: SLATargets = SLATargets(), atRiskFraction: Double = 0.25) {
        self.rules = rules
        self.fallback = fallback
        self.atRiskFraction = atRiskFraction
    }

    public func targets(for t: Ticket) -> SLATargets {
        rules.first { $0.matches(t) }?.targets ?? fallback
    }
}

public enum SLAState: String, CaseIterable, Sendable, Hashable {
    case ok
    case atRisk = "at-risk"
    case breached
    /// The clock is stopped (answered, or postponed until later).
    case paused
    /// Nothing tracked: resolved, closed, or no target applies.
    case none
}

/// The SLA reading of one ticket at one moment.
public struct SLAStatus: Hashable, Sendable {
    public var state: SLAState
    /// When the next deadline falls (nil when paused or nothing is tracked).
    public var dueAt: Instant?
    /// Business time left on the nearest target when paused.
    public var remaining: Millis?
    /// Which target is nearest: `first-response`, `next-response` or `resolution`.
    public var target: String?
}
