/// A rule of the desk (README: Automation): when it runs, which tickets it acts on, and what it
/// does to them. Rules live in the team file and run in the order written.
public struct Rule: Sendable, Equatable {
    /// What makes a rule look at a ticket: something that happened to it, or time passing.
    public enum Trigger: String, CaseIterable, Sendable {
        case created, customerMessage = "customer-message", agentReply = "agent-reply", statusChange = "status-change", time
    }

    public var name: String
    public var on: Trigger
    /// The filter language, as in `qdeck list` and the console's `/`.
    public var condition: TicketFilter
    /// In the order they are applied (`RuleAction.Kind`'s order, whatever order the file gives).
    public var actions: [RuleAction]
    /// When the rule acts, later rules do not run for this event (or this ticket in this sweep).
    public var stop: Bool

    public init(name: String, on: Trigger, condition: TicketFilter = .empty, actions: [RuleAction], stop: Bool = false) {
        self.name = name
        self.on = on
        self.condition = condition
        self.actions = actions.sorted { $0.kind.order < $1.kind.order }
        self.stop = stop
    }

    /// Who the rule's events are by: `rules (name)`, shown as such in every history.
    public var actor: String { Automation.actor(name) }
}

/// One thing a rule does to a ticket. Each becomes the events the same command would make for an
/// agent, so a rule can do nothing an agent could not (a resolved ticket is not resolved again).
public enum RuleAction: Sendable, Equatable {
    case department(String)
    case assignee(AssigneeChoice)
    case priority(Priority)
    case tags(add: [String], remove: [String])
    case note(String)
    /// A canned response by name; placeholders filled for the ticket.
    case reply(canned: String)
    case postpone(Millis)
    case resolve
    case notify([NotifyTarget])

    /// The actions' names in the team file, in the order a rule applies them.
    public enum Kind: String, CaseIterable, Sendable {
        case department, assignee, priority, tags, note, reply, postpone, resolve, notify
        var order: Int { Kind.allCases.firstIndex(of: self)! }
    }

    public var kind: Kind {
        switch self {
        case .department: .department
        case .assignee: .assignee
        case .priority: .priority
        case .tags: .tags
        case .note: .note
        case .reply: .reply
        case .postpone: .postpone
        case .resolve: .resolve
        case .notify: .notify
        }
    }
}

public enum AssigneeChoice: Sendable, Equatable {
    case agent(String)
    /// Unassigned: back to the department's queue.
    case nobody
    /// An available agent of the ticket's department under their capacity (`Distribution`).
    case distribute
}

/// Whom a rule's `notify` asks to look: the ticket's assignee, its department's agents, the
/// supervisors (everyone who may reassign any ticket).
public enum NotifyTarget: String, CaseIterable, Sendable {
    case assignee, department, supervisors
}

/// How a department's new work is shared out (README: Automation).
public struct Distribution: Sendable, Equatable {
    public enum Mode: String, CaseIterable, Sendable {
        /// To the available agent who got a ticket least recently.
        case roundRobin = "round-robin"
        /// To the available agent with the fewest tickets of that channel in hand.
        case leastLoaded = "least-loaded"
    }
    public var mode: Mode
    /// The most tickets of a channel an agent holds at once (new or open, assigned to them); a
    /// channel not named has no limit.
    public var capacity: [Channel: Int]

    public init(mode: Mode = .leastLoaded, capacity: [Channel: Int] = [:]) {
        self.mode = mode
        self.capacity = capacity
    }
}

/// The team file's rules, the automatic-reply period, and distribution by department.
public struct AutomationSettings: Sendable {
    public var rules: [Rule] = []
    /// A customer gets at most one automatic reply in this period (loops with their own robots).
    public var autoReplyPeriod: Millis = .hours(24)
    /// By department name as the roster spells it.
    public var distribution: [String: Distribution] = [:]

    public init(rules: [Rule] = [], autoReplyPeriod: Millis = .hours(24), distribution: [String: Distribution] = [:]) {
        self.rules = rules
        self.autoReplyPeriod = autoReplyPeriod
        self.distribution = distribution
    }

    public var timeRules: [Rule] { rules.filter { $0.on == .time } }
    public var isEmpty: Bool { rules.isEmpty && distribution.isEmpty }

    public func distribution(for department: String?) -> Distribution? {
        guard let department else { return nil }
        return distribution.first { $0.key.lowercased() == department.lowercased() }?.value
    }
}
