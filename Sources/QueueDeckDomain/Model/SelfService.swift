/// One self-service interaction a help centre or a bot reported (`qdeck ingest self-service`).
public struct SelfServiceRecord: Hashable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        /// A knowledge-base article read.
        case article
        /// A bot's answer the customer accepted.
        case bot
    }

    /// Stored once by this key: the feed's own id, else the line itself.
    public var key: String
    /// Who: an email address, a phone number, or the help centre's visitor id.
    public var user: String
    public var kind: Kind
    /// The article's title or the question the bot answered.
    public var subject: String

    public init(key: String, user: String, kind: Kind, subject: String) {
        self.key = key
        self.user = user
        self.kind = kind
        self.subject = subject
    }

    /// The person, keyed as tickets key their customers (`Customer.contactKey`): one who read an
    /// article and then mailed is one user.
    public var userKey: String { Self.userKey(user) }

    public static func userKey(_ user: String) -> String {
        let u = user.trimmingWhitespace()
        if u.contains("@") { return u.lowercased() }
        if let digits = Customer.phoneKey(u), u.allSatisfy({ $0.isNumber || "+-(). ".contains($0) }) { return "tel:" + digits }
        return "visitor:" + u.lowercased()
    }
}

/// A self-service interaction as the desk keeps it for its figures.
public struct SelfServiceUse: Hashable, Sendable {
    public var at: Instant
    /// `SelfServiceRecord.userKey`.
    public var user: String

    public init(at: Instant, user: String) {
        self.at = at
        self.user = user
    }
}
