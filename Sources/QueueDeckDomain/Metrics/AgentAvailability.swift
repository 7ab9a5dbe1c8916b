/// What an agent is doing now, as the wall and `stats` show it.
///
/// - away / offline: the agent's last presence event said so (console, CLI, phone system pause).
/// - available: the last presence event said available, or there is none and the agent changed a
///   ticket within `activeWindow` (desks that never set presence still see who is working).
/// - busy: available, and handling a live conversation: an unresolved call or chat ticket
///   assigned to them that changed within `activeWindow`.
public enum Availability: String, CaseIterable, Sendable, Hashable {
    case available, busy, away, offline

    /// How recent activity must be to count as working or as a live conversation.
    public static let activeWindow: Millis = .minutes(15)

    static func of(presence: PresenceRecord?, active: Bool, live: Bool) -> Availability {
        switch presence?.presence {
        case .away: return .away
        case .offline: return .offline
        case .available: return live ? .busy : .available
        case nil: return active ? (live ? .busy : .available) : .offline
        }
    }
}

extension Ticket {
    /// Agents (not the customer or the system) who wrote or changed this ticket at or after `since`.
    func actors(since: Instant) -> Set<String> {
        var out: Set<String> = []
        guard updatedAt >= since else { return out }
        for e in entries.reversed() {
            guard e.at >= since else { break }
            if e.kind != .customer { out.insert(e.author) }
        }
        for h in history.reversed() {
            guard h.at >= since else { break }
            out.insert(h.actor)
        }
        out.remove("system")
        out.remove("customer")
        return out
    }
}
