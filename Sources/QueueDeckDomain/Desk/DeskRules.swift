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

    public init(agents: [Agent] = [], departments: [Department] = [], roles: [Role] = [.agent, .supervisor, .administrator, .viewer],
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
