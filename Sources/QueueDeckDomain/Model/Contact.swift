/// A customer as the desk knows them across tickets: one card for every address and number they
/// use. Tickets carry a copy of the customer as they were when the ticket began; the directory
/// (`ContactDirectory`) joins them by identity, and an agent's edits (`ContactCard`) say what the
/// desk knows better: a fixed name, a group such as VIP, another address, two cards that are one.
public struct ContactCard: Hashable, Sendable {
    public var name: String
    /// Addresses as written (compared lower case).
    public var emails: [String]
    /// Numbers as written (compared by `Customer.phoneKey`).
    public var phones: [String]
    public var groups: [String]

    public init(name: String, emails: [String] = [], phones: [String] = [], groups: [String] = []) {
        self.name = name
        self.emails = emails
        self.phones = phones
        self.groups = groups
    }

    /// Every identity key of the card: addresses lower case, numbers as `tel:` + digits.
    public var keys: [String] { emails.map { $0.lowercased() } + phones.compactMap { Customer.phoneKey($0).map { "tel:" + $0 } } }
}

/// An agent's change to a contact: the card as it is to be from now on, under its primary key,
/// and the keys of other cards merged into it.
public struct ContactEdit: Hashable, Sendable {
    public var key: String
    public var card: ContactCard
    public var merged: [String]

    public init(key: String, card: ContactCard, merged: [String] = []) {
        self.key = key
        self.card = card
        self.merged = merged
    }
}

extension Customer {
    /// The identity keys this customer can be found by: the address, the number.
    public var identityKeys: [String] {
        var out: [String] = []
        if let e = email, !e.isEmpty { out.append(e.lowercased()) }
        if let p = phone, let k = Customer.phoneKey(p) { out.append("tel:" + k) }
        return out
    }

    /// The identity key of what someone typed to name a contact: an address, else a number.
    public static func identityKey(of text: String) -> String? {
        let t = text.trimmingWhitespace()
        if t.contains("@") { return t.lowercased() }
        return phoneKey(t).map { "tel:" + $0 }
    }
}
