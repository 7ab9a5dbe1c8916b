/// An agent's availability as they (or the phone system) last set it.
public enum Presence: String, CaseIterable, Sendable, Hashable {
    case available, away, offline
}

/// The last presence event of one agent.
public struct PresenceRecord: Hashable, Sendable {
    public var presence: Presence
    public var since: Instant
    public init(presence: Presence, since: Instant) {
        self.presence = presence
        self.since = since
    }
}
