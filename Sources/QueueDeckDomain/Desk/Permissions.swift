/// What a role may do. Custom roles combine these.
public enum Permission: String, CaseIterable, Sendable, Hashable {
    case create = "ticket.create"
    case reply = "ticket.reply"
    case note = "ticket.note"
    case claim = "ticket.claim"
    /// Reassign tickets that are unassigned or one's own.
    case reassignOwn = "ticket.reassign.own"
    /// Reassign any ticket, including other agents'.
    case reassignAny = "ticket.reassign.any"
    case postpone = "ticket.postpone"
    case resolve = "ticket.resolve"
    case reopen = "ticket.reopen"
    case priority = "ticket.priority"
    case tag = "ticket.tag"
    /// Record a customer's message by hand (phone notes, tests, intake).
    case inbound = "ticket.inbound"
    case repairLog = "log.repair"
    /// Set another agent's availability (supervisors; the phone system's intake).
    case presenceOthers = "presence.others"
    /// Store what arrives from outside (mail, calls, chats): customers' messages, and the agents'
    /// answers and pauses the phone and chat systems report. The mail server's user has it.
    case intake = "desk.intake"
    /// Edit and merge contacts: fix a name, add an address or number, set a group such as VIP.
    case contacts = "contact.edit"
}

public struct Role: Hashable, Sendable {
    public var name: String
    public var permissions: Set<Permission>
    public init(name: String, permissions: Set<Permission>) {
        self.name = name
        self.permissions = permissions
    }

    public static let agent = Role(name: "agent", permissions: [
        .create, .reply, .note, .claim, .reassignOwn, .postpone, .resolve, .reopen, .priority, .tag, .inbound, .contacts,
    ])
    public static let supervisor = Role(name: "supervisor", permissions: agent.permissions.union([.reassignAny, .presenceOthers]))
    public static let administrator = Role(name: "administrator", permissions: Set(Permission.allCases))
    /// Read-only: wall screens and reporting accounts.
    public static let viewer = Role(name: "viewer", permissions: [])
    /// The mail server's (and phone or chat system's) user: stores arrivals, nothing else.
    public static let intake = Role(name: "intake", permissions: [.intake])
    /// The roles every desk has; a team file may add its own but not redefine these.
    public static let builtIn: [Role] = [.agent, .supervisor, .administrator, .viewer, .intake]
}

public struct Agent: Hashable, Sendable {
    /// The OS user (or QDECK_AGENT) that acts as this agent; also the name stored in events.
    public var user: String
    public var name: String
    public var role: Role
    public var departments: [String]
    /// What the phone system calls this agent (Asterisk interfaces such as `PJSIP/1001`).
    public var phone: [String]
    public init(user: String, name: String, role: Role, departments: [String] = [], phone: [String] = []) {
        self.user = user
        self.name = name
        self.role = role
        self.departments = departments
        self.phone = phone
    }
    public func may(_ p: Permission) -> Bool { role.permissions.contains(p) }
}

public struct Department: Hashable, Sendable {
    public var name: String
    /// Support tier: 1 answers the common questions; 2 takes escalations.
    public var tier: Int
    public init(name: String, tier: Int = 1) {
        self.name = name
        self.tier = tier
    }
}

/// A contact group such as VIP; `value` ranks customers for the customer-value ordering.
public struct ContactGroup: Hashable, Sendable {
    public var name: String
    public var value: Int
    public init(name: String, value: Int) {
        self.name = name
        self.value = value
    }
}
