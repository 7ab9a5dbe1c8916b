/// The deflection ratio (README, Metrics): self-service interactions in a period divided by the
/// users who reached the desk in it, by self-service or by opening a ticket, each counted once (a
/// customer who read an article and then mailed is one user). Desk-wide: self-service belongs to no
/// department or channel. Above 1 when users read several articles each.
public struct Deflection: Sendable, Equatable {
    public static let definition = "self-service interactions / users (self-service users and customers who opened tickets, each once)"

    /// Articles read and bot answers accepted in the period.
    public var interactions: Int
    /// Distinct users among them.
    public var selfServiceUsers: Int
    /// Distinct customers who opened tickets in the period.
    public var ticketUsers: Int
    /// Distinct users in either.
    public var users: Int

    /// Nil with no users at all: no ratio, rather than a zero that reads as "no deflection".
    public var ratio: Double? { users == 0 ? nil : Double(interactions) / Double(users) }

    public init(interactions: Int, selfServiceUsers: Int, ticketUsers: Int, users: Int) {
        self.interactions = interactions
        self.selfServiceUsers = selfServiceUsers
        self.ticketUsers = ticketUsers
        self.users = users
    }

    /// `ticketUsers`: the contact keys of the customers whose tickets were created in `period`.
    public init(_ uses: [SelfServiceUse], ticketUsers: Set<String>, in period: ClosedRange<Instant>) {
        var helped: Set<String> = []
        var count = 0
        for u in uses where period.contains(u.at) {
            count += 1
            helped.insert(u.user)
        }
        self.init(interactions: count, selfServiceUsers: helped.count, ticketUsers: ticketUsers.count,
                  users: helped.union(ticketUsers).count)
    }
}
