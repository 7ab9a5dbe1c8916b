/// Everything configurable about a desk that the domain needs: the roster, departments, roles,
/// contact groups, SLA policy, business calendar and the auto-close period.
public struct DeskRules: Sendable {
    public var agents: [Agent]
    public var departments: [Department]
    public var roles: [Role]
    public var contactGroups: [ContactGroup]
    public var sla: SLAPolicy
    public var calendar: BusinessCalendar
    /// Resolved tickets close after this quiet period.
    public var autoCloseAfter: Millis
    /// The role of an OS user who is not in the roster; nil refuses such users.
    public var unknownUserRole: Role?
    /// Replies agents insert by name.
    public var cannedResponses: [CannedResponse] = []
    /// Green / amber / red limits of the wall's figures.
    public var thresholds = BoardThresholds()
    /// Email in and out, phone and chat queues.
    public var intake = IntakeSettings()
    /// Rules, time rules and distribution (README: Automation).
    public var automation = AutomationSettings()

    public init(agents: [Agent] = [], departments: [Department] = [], roles: [Role] = Role.builtIn,
                contactGroups: [ContactGroup] = [], sla: SLAPolicy = SLAPolicy(),
                calendar: BusinessCalendar = .alwaysOpen, autoCloseAfter: Millis = .days(4),
                unknownUserRole: Role? = .agent) {
        self.agents = agents
        self.departments = departments
        self.roles = roles
        self.contactGroups = contactGroups
        self.sla = sla
        self.calendar = calendar
        self.autoCloseAfter = autoCloseAfter
        self.unknownUserRole = unknownUserRole
    }

    /// The roster agent an outside system's agent name stands for (an Asterisk interface such as
    /// `PJSIP/1001`, a chat login), matched by the agent's `phone` names or their user.
    public func agent(external name: String) -> Agent? {
        let n = name.lowercased()
        return agents.first { $0.phone.contains { $0.lowercased() == n } } ?? agents.first { $0.user.lowercased() == n }
    }

    /// The department an intake queue feeds: `intake.queues` first, else a department of that name.
    public func department(forQueue q: String?) -> String? {
        guard let q, !q.isEmpty else { return nil }
        if let mapped = intake.queues[q.lowercased()] { return mapped }
        return department(named: q)?.name
    }

    public func canned(named n: String) -> CannedResponse? { cannedResponses.first { $0.name.lowercased() == n.lowercased() } }

    public func agent(user: String) -> Agent? { agents.first { $0.user == user } }
    public func department(named n: String) -> Department? { departments.first { $0.name.lowercased() == n.lowercased() } }
    public func role(named n: String) -> Role? { roles.first { $0.name == n } }

    /// The acting agent for an OS user (or QDECK_AGENT): the roster entry, else the unknown-user role.
    public func actingAgent(user: String) throws(DomainError) -> Agent {
        if let a = agent(user: user) { return a }
        guard let role = unknownUserRole else { throw .unknownAgent(user) }
        return Agent(user: user, name: user, role: role)
    }

    /// The customer-value rank: the best value among the customer's contact groups.
    public func customerValue(_ c: Customer) -> Int {
        var best = 0
        for g in c.groups {
            if let v = contactGroups.first(where: { $0.name == g })?.value, v > best { best = v }
        }
        return best
    }
}

public struct CannedResponse: Hashable, Sendable {
    public var name: String
    public var text: String
    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

/// How a desk talks to the outside: its address, whether replies go out, and which intake queue
/// feeds which department.
public struct IntakeSettings: Sendable, Hashable {
    /// The desk's From address for replies (`Support <support@example.com>`).
    public var address = "Support <support@localhost>"
    /// Hand email replies to the mail system. Off for demo desks.
    public var sendReplies = true
    /// Attachments over this many bytes are listed but not kept (`intake.max_attachment_mb`).
    public var maxAttachmentBytes: Int64 = 25_000_000
    /// Intake queue names (mail `--queue`, Asterisk queues, chat queues), lower case, to departments.
    public var queues: [String: String] = [:]

    public init() {}

    /// The mailbox in the desk's address, as written (`support@example.com` of
    /// `Support <support@example.com>`): the one reading the other properties share.
    private var mailbox: String {
        guard let open = address.lastIndex(of: "<"), let close = address.lastIndex(of: ">"), open < close else { return address.trimmingWhitespace() }
        return String(address[address.index(after: open)..<close]).trimmingWhitespace()
    }

    /// The name before the desk's address (`Support`): who signs what rules write.
    public var displayName: String {
        guard let open = address.lastIndex(of: "<") else { return "Support" }
        let name = String(address[..<open].filter { $0 != "\"" }).trimmingWhitespace()
        return name.isEmpty ? "Support" : name
    }

    /// The desk's own mailbox, lower case: never answered automatically.
    public var ownAddress: String { mailbox.lowercased() }

    /// The part after `@` of the desk's address: the right-hand side of our Message-IDs.
    public var domain: String {
        guard let at = mailbox.lastIndex(of: "@") else { return "qdeck.localhost" }
        let d = mailbox[mailbox.index(after: at)...].prefix { $0 != " " }
        return d.isEmpty ? "qdeck.localhost" : String(d)
    }
}
