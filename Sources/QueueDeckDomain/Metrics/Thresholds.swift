/// How alarming a figure is. The wall pairs each level's colour with a glyph and a word.
public enum AlertLevel: Int, Comparable, Sendable, Hashable {
    case ok, warn, alert
    public static func < (a: AlertLevel, b: AlertLevel) -> Bool { a.rawValue < b.rawValue }
}

/// The wall's figures that have thresholds, named as in the team file's `wall.thresholds`.
public enum BoardMetric: String, CaseIterable, Sendable, Hashable {
    case waiting
    case oldestWaiting = "oldest_waiting"
    case slaCompliance = "sla_compliance"
    case atRisk = "at_risk"
    case breached
    case abandoned
    case backlog
    case available

    /// Whether a smaller value is worse (compliance, agents available).
    public var lowerIsWorse: Bool { self == .slaCompliance || self == .available }
    /// Oldest waiting is configured as a duration; the others are counts or percentages.
    public var isDuration: Bool { self == .oldestWaiting }
}

/// Amber from `amber`, red from `red`; for figures where lower is worse, at or below them.
public struct Threshold: Hashable, Sendable {
    public var amber: Double
    public var red: Double
    public init(amber: Double, red: Double) {
        self.amber = amber
        self.red = red
    }
}

public struct BoardThresholds: Hashable, Sendable {
    public var limits: [BoardMetric: Threshold]

    public init(_ limits: [BoardMetric: Threshold] = BoardThresholds.defaults) { self.limits = limits }

    /// Durations in seconds; compliance in percent.
    public static let defaults: [BoardMetric: Threshold] = [
        .waiting: Threshold(amber: 5, red: 15),
        .oldestWaiting: Threshold(amber: 600, red: 1800),
        .slaCompliance: Threshold(amber: 90, red: 80),
        .atRisk: Threshold(amber: 1, red: 5),
        .breached: Threshold(amber: 1, red: 3),
        .abandoned: Threshold(amber: 3, red: 10),
        .backlog: Threshold(amber: 200, red: 500),
        .available: Threshold(amber: 1, red: 0),
    ]

    /// The level of a value; nil (nothing measured) is ok.
    public func level(_ m: BoardMetric, _ value: Double?) -> AlertLevel {
        guard let v = value, let t = limits[m] else { return .ok }
        if m.lowerIsWorse { return v <= t.red ? .alert : v <= t.amber ? .warn : .ok }
        return v >= t.red ? .alert : v >= t.amber ? .warn : .ok
    }
}
