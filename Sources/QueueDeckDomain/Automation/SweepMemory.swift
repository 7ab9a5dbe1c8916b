/// What a runner keeps between sweeps: for each ticket (by slot), the version it was looked at and
/// the moment before which nothing but an event can change what the time rules make of it.
public final class SweepMemory: @unchecked Sendable {
    private var seen: [(id: TicketID, version: UInt32, until: Instant)?] = []
    /// How many tickets the last sweep looked at (the figures).
    public internal(set) var looked = 0

    public init() {}

    func due(_ t: Ticket, at now: Instant) -> Bool {
        guard t.slot < seen.count, let s = seen[t.slot], s.id == t.id, s.version == t.version else { return true }
        return s.until <= now
    }

    func remember(_ t: Ticket, until: Instant) {
        if t.slot >= seen.count { seen.append(contentsOf: repeatElement(nil, count: t.slot - seen.count + 1)) }
        seen[t.slot] = (t.id, t.version, until)
    }
}
