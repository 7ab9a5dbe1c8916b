/// Milliseconds: the one unit for durations in the domain.
public typealias Millis = Int64

public extension Millis {
    static func seconds(_ n: Int64) -> Millis { n * 1_000 }
    static func minutes(_ n: Int64) -> Millis { n * 60_000 }
    static func hours(_ n: Int64) -> Millis { n * 3_600_000 }
    static func days(_ n: Int64) -> Millis { n * 86_400_000 }
}

/// A point in time, milliseconds since the Unix epoch. The domain never reads a clock:
/// every caller passes `now` in.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var ms: Int64
    public init(ms: Int64) { self.ms = ms }
    public init(seconds: Double) { self.ms = Int64((seconds * 1000).rounded()) }
    public var seconds: Double { Double(ms) / 1000 }
    public static func < (a: Instant, b: Instant) -> Bool { a.ms < b.ms }
    public static func + (a: Instant, d: Millis) -> Instant { Instant(ms: a.ms + d) }
    public static func - (a: Instant, d: Millis) -> Instant { Instant(ms: a.ms - d) }
    public static func - (a: Instant, b: Instant) -> Millis { a.ms - b.ms }
    public static let distantFuture = Instant(ms: Int64.max / 4)
    public var description: String { "@\(ms)" }
}

public enum Channel: String, CaseIterable, Sendable, Codable, Hashable {
    case email, call, chat

    /// 0, 1, 2: an index for per-channel arrays.
    public var ordinal: Int {
        switch self {
        case .email: 0
        case .call: 1
        case .chat: 2
        }
    }
}

public enum Priority: Int, CaseIterable, Sendable, Comparable, Hashable {
    case low = 0, normal, high, urgent
    public var name: String {
        switch self {
        case .low: "low"
        case .normal: "normal"
        case .high: "high"
        case .urgent: "urgent"
        }
    }
    public init?(name: String) {
        guard let p = Priority.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = p
    }
    public static func < (a: Priority, b: Priority) -> Bool { a.rawValue < b.rawValue }
}

/// The default lifecycle (README.md, "The ticket lifecycle").
public enum TicketStatus: String, CaseIterable, Sendable, Hashable {
    case new, answered, open, postponed, resolved, closed

    /// Unresolved statuses make up the working queue and the backlog.
    public var isUnresolved: Bool { self == .new || self == .open || self == .answered || self == .postponed }
    /// The ball is in the desk's court: the customer waits for us.
    public var isWaitingForDesk: Bool { self == .new || self == .open }
}
