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

    /// `ticketUsers`: for each ticket created in `period`, its customer's keys (`identities(of:)`);
    /// `addressOf`: the address of the customer a `tel:` key belongs to, if one has both. A person
    /// known by an address and a number is one user, whichever of the two they gave.
    public init(_ uses: [SelfServiceUse], ticketUsers: [[String]], in period: ClosedRange<Instant>,
                addressOf: (String) -> String?) {
        var parent: [String: String] = [:]
        func root(_ k: String) -> String {
            var r = k
            while let p = parent[r], p != r { r = p }
            return r
        }
        func join(_ a: String, _ b: String) {
            let (ra, rb) = (root(a), root(b))
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        func link(_ k: String) { if k.hasPrefix("tel:"), let address = addressOf(k) { join(k, address) } }
        var count = 0
        var helpedKeys: [String] = []
        for u in uses where period.contains(u.at) {
            count += 1
            helpedKeys.append(u.user)
            link(u.user)
        }
        for keys in ticketUsers {
            for k in keys { link(k) }
            for k in keys.dropFirst() { join(keys[0], k) }
        }
        let helped = Set(helpedKeys.map(root))
        let opened = Set(ticketUsers.compactMap { $0.first.map(root) })
        self.init(interactions: count, selfServiceUsers: helped.count, ticketUsers: opened.count, users: helped.union(opened).count)
    }

    /// The keys a ticket's customer is known by: their contact key, and their number too when they
    /// also have an address.
    public static func identities(of c: Customer) -> [String] {
        var keys = [c.contactKey]
        if let email = c.email, !email.isEmpty, let digits = c.phone.flatMap(Customer.phoneKey) { keys.append("tel:" + digits) }
        return keys
    }
}
