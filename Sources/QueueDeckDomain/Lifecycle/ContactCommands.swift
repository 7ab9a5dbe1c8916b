/// What an agent asks of a contact: named by one of its addresses or numbers.
public struct ContactChange: Sendable, Hashable {
    public var contact: String
    public var name: String?
    public var addGroups: [String]
    public var removeGroups: [String]
    /// Addresses as checked by the caller (one mailbox each, the address alone).
    public var addEmails: [String]
    public var addPhones: [String]

    public init(contact: String, name: String? = nil, addGroups: [String] = [], removeGroups: [String] = [],
                addEmails: [String] = [], addPhones: [String] = []) {
        self.contact = contact
        self.name = name
        self.addGroups = addGroups
        self.removeGroups = removeGroups
        self.addEmails = addEmails
        self.addPhones = addPhones
    }
}

extension ContactChange {
    /// Takes `+name` (add) or `-name` (remove), in order: the last word on a group wins (`-vip` then
    /// `+vip` leaves it on). False for anything else.
    public mutating func group(_ word: String) -> Bool {
        let name = word.dropFirst().lowercased()
        guard (word.hasPrefix("+") || word.hasPrefix("-")) && !name.isEmpty else { return false }
        addGroups.removeAll { $0 == name }
        removeGroups.removeAll { $0 == name }
        if word.hasPrefix("+") { addGroups.append(name) } else { removeGroups.append(name) }
        return true
    }
}

/// Contact edits and merges: a card on the desk (the directory's), and the customer card of each
/// of the contact's open tickets changed with it, so its groups apply to their SLA and order from
/// now on and their history says so. Closed and resolved tickets keep the card they were worked with.
enum ContactCommands {
    static func edit(_ change: ContactChange, state: DeskState, context ctx: CommandContext) throws(DomainError) -> Decision {
        try permitted(ctx)
        let directory = ContactDirectory(state)
        let entry = try find(change.contact, in: directory)
        var card = entry.card
        if let name = change.name?.trimmingWhitespace() {
            guard !name.isEmpty, name.utf8.count <= 200 else { throw .invalidValue(field: "name", value: name, reason: "must be 1 to 200 bytes") }
            card.name = name
        }
        let known = ctx.rules.contactGroups.map(\.name)
        for g in change.addGroups + change.removeGroups where !known.isEmpty && !known.contains(g) {
            throw .invalidValue(field: "group", value: g, reason: "is not a contact group of this desk (\(known.joined(separator: ", ")))")
        }
        for g in change.addGroups where !card.groups.contains(g) { card.groups.append(g) }
        card.groups.removeAll { change.removeGroups.contains($0) }
        for e in change.addEmails where !card.emails.contains(where: { $0.lowercased() == e.lowercased() }) {
            try free(e.lowercased(), of: entry, in: directory, shown: e)
            card.emails.append(e)
        }
        for p in change.addPhones {
            guard let k = Customer.phoneKey(p) else { throw .invalidValue(field: "phone", value: p, reason: "is not a phone number (5 to 18 digits)") }
            guard !card.phones.contains(where: { Customer.phoneKey($0) == k }) else { continue }
            try free("tel:" + k, of: entry, in: directory, shown: p)
            card.phones.append(p)
        }
        guard card != entry.card else {
            throw .nothingToDo(ticket: .desk, reason: "the contact \(entry.key) is already so")
        }
        return decision(ContactEdit(key: entry.key, card: card), tickets: entry.tickets, state: state, ctx: ctx)
    }

    static func merge(into: String, from: String, state: DeskState, context ctx: CommandContext) throws(DomainError) -> Decision {
        try permitted(ctx)
        let directory = ContactDirectory(state)
        let a = try find(into, in: directory), b = try find(from, in: directory)
        guard a.key != b.key else { throw .nothingToDo(ticket: .desk, reason: "\(into) and \(from) are one contact already") }
        var card = a.card
        // A name an agent fixed is kept over one the tickets only suggest ("Unknown caller").
        if b.edited && !a.edited { card.name = b.card.name }
        for e in b.card.emails where !card.emails.contains(where: { $0.lowercased() == e.lowercased() }) { card.emails.append(e) }
        for p in b.card.phones where !card.phones.contains(where: { Customer.phoneKey($0) == Customer.phoneKey(p) }) { card.phones.append(p) }
        for g in b.card.groups where !card.groups.contains(g) { card.groups.append(g) }
        return decision(ContactEdit(key: a.key, card: card, merged: [b.key]), tickets: a.tickets + b.tickets, state: state, ctx: ctx)
    }

    static func permitted(_ ctx: CommandContext) throws(DomainError) {
        guard ctx.actor.may(.contacts) else { throw .notPermitted(user: ctx.actor.user, permission: .contacts) }
    }

    static func find(_ text: String, in directory: ContactDirectory) throws(DomainError) -> ContactDirectory.Entry {
        guard let key = Customer.identityKey(of: text) else {
            throw .invalidValue(field: "contact", value: text, reason: "name a contact by an email address or a phone number")
        }
        guard let e = directory.entry(for: key) else { throw .invalidValue(field: "contact", value: text, reason: "no contact has this address or number") }
        return e
    }

    /// An address or number may belong to one contact only: another's is merged, not taken.
    static func free(_ key: String, of entry: ContactDirectory.Entry, in directory: ContactDirectory, shown: String) throws(DomainError) {
        if let other = directory.entry(for: key), other.key != entry.key {
            throw .invalidValue(field: "contact", value: shown, reason: "belongs to the contact \(other.card.name) (\(other.key)); merge the two instead (qdeck contact merge)")
        }
    }

    /// The desk's card, then each open ticket's customer card where it differs.
    static func decision(_ edit: ContactEdit, tickets: [TicketID], state: DeskState, ctx: CommandContext) -> Decision {
        var events = [Event(ticket: .desk, at: ctx.now, actor: ctx.actor.user, kind: .contactEdited(edit))]
        var expected: [TicketID: UInt32] = [:]
        for id in tickets {
            guard let t = state[id] else { continue }
            guard t.status(at: ctx.now, autoCloseAfter: ctx.rules.autoCloseAfter).isUnresolved else { continue }
            var c = t.customer
            c.name = edit.card.name
            c.groups = edit.card.groups
            if c.phone == nil { c.phone = edit.card.phones.first }
            guard c != t.customer else { continue }
            events.append(Event(ticket: id, at: ctx.now, actor: ctx.actor.user, kind: .customerUpdated(c)))
            expected[id] = t.version
        }
        return Decision(events: events, expectedVersions: expected)
    }
}
