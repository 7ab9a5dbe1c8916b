/// The contact directory, folded on demand from the tickets and the agents' edits: identities that
/// share a ticket (an address and a number on one card), that an agent merged, or that an edit
/// lists, are one contact.
public struct ContactDirectory: Sendable {
    public struct Entry: Hashable, Sendable {
        /// The key the contact is named by in edits (its first identity).
        public var key: String
        public var card: ContactCard
        /// Their tickets, oldest first.
        public var tickets: [TicketID]
        /// Whether an agent has edited the card (else it is what the tickets say).
        public var edited: Bool
    }

    public private(set) var entries: [Entry]
    private var byKey: [String: Int]

    public init(_ state: DeskState) {
        // Union-find over identity keys.
        var parent: [String: String] = [:]
        func find(_ k: String) -> String {
            var r = k
            while let p = parent[r], p != r { r = p }
            var c = k
            while let p = parent[c], p != r { parent[c] = r; c = p }
            return r
        }
        func union(_ a: String, _ b: String) {
            if parent[a] == nil { parent[a] = a }
            if parent[b] == nil { parent[b] = b }
            let ra = find(a), rb = find(b)
            if ra != rb { parent[rb] = ra }
        }
        let tickets = state.all
        for t in tickets {
            let keys = t.customer.identityKeys
            guard let first = keys.first else { continue }
            if parent[first] == nil { parent[first] = first }
            for k in keys.dropFirst() { union(first, k) }
        }
        for (alias, primary) in state.contactAliases { union(primary, alias) }
        for (key, card) in state.contactCards { for k in [key] + card.keys { union(key, k) } }

        var groups: [String: Int] = [:]
        var built: [Entry] = []
        for t in tickets {
            guard let first = t.customer.identityKeys.first else { continue }
            let root = find(first)
            if let i = groups[root] {
                built[i].tickets.append(t.id)
                Self.absorb(t.customer, into: &built[i].card)
            } else {
                groups[root] = built.count
                built.append(Entry(key: first, card: ContactCard(name: t.customer.name, emails: [], phones: [], groups: []), tickets: [t.id], edited: false))
                Self.absorb(t.customer, into: &built[built.count - 1].card)
            }
        }
        // Edits win: the card an agent set, under the key it was set by.
        for (key, card) in state.contactCards.sorted(by: { $0.key < $1.key }) {
            let root = find(key)
            if let i = groups[root] {
                built[i].card = Self.merged(card, over: built[i].card)
                built[i].key = key
                built[i].edited = true
            } else {
                groups[root] = built.count
                built.append(Entry(key: key, card: card, tickets: [], edited: true))
            }
        }
        entries = built
        byKey = [:]
        for (k, _) in parent { if let i = groups[find(k)] { byKey[k] = i } }
    }

    /// The contact an address or number belongs to.
    public func entry(for key: String) -> Entry? { byKey[key].map { entries[$0] } }

    /// A ticket's customer as the ticket says it, joined to what other tickets say (addresses, numbers).
    static func absorb(_ c: Customer, into card: inout ContactCard) {
        if let e = c.email, !e.isEmpty, !card.emails.contains(where: { $0.lowercased() == e.lowercased() }) { card.emails.append(e) }
        if let p = c.phone, !p.isEmpty, let k = Customer.phoneKey(p), !card.phones.contains(where: { Customer.phoneKey($0) == k }) { card.phones.append(p) }
        for g in c.groups where !card.groups.contains(g) { card.groups.append(g) }
        // The newest ticket's name, unless it is only an address or a number.
        if !c.name.isEmpty, c.name != c.email, c.name != c.phone { card.name = c.name }
    }

    /// An edited card keeps the identities the tickets add.
    static func merged(_ edited: ContactCard, over seen: ContactCard) -> ContactCard {
        var out = edited
        for e in seen.emails where !out.emails.contains(where: { $0.lowercased() == e.lowercased() }) { out.emails.append(e) }
        for p in seen.phones where !out.phones.contains(where: { Customer.phoneKey($0) == Customer.phoneKey(p) }) { out.phones.append(p) }
        return out
    }
}
