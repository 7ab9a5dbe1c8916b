/// One line of a chat system's transcript stream (README: "Chat transcripts").
public struct ChatLine: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A visitor opened a chat and waits for an agent.
        case start
        /// The visitor wrote.
        case visitor
        /// An agent wrote.
        case agent
        /// The session ended (either side closed it).
        case end
        /// The visitor left before any agent answered.
        case left
    }
    public var kind: Kind
    public var session: String
    public var at: Instant
    public var visitor: Customer?
    public var subject: String?
    public var queue: String?
    public var agent: String?
    public var text: String
    /// Unique per line: session, kind, time and a digest of the text.
    public var key: String

    public init(kind: Kind, session: String, at: Instant, visitor: Customer? = nil, subject: String? = nil, queue: String? = nil,
                agent: String? = nil, text: String = "", key: String) {
        self.kind = kind
        self.session = session
        self.at = at
        self.visitor = visitor
        self.subject = subject
        self.queue = queue
        self.agent = agent
        self.text = text
        self.key = key
    }
}

extension Intake {
    /// A started session is a waiting chat; visitor and agent lines are the conversation; an ended
    /// session that an agent answered is resolved, one nobody answered stays new as a missed chat.
    public static func chat(_ c: ChatLine, state: DeskState, rules: DeskRules, newID: () -> TicketID) -> IntakeOutcome {
        if let seen = state.intakeKeys[c.key] { return .nothing(.duplicate(seen)) }
        let alias = "chat:" + c.session
        let record = IntakeRecord(key: c.key, kind: .chat, aliases: c.kind == .start ? [alias] : [])
        guard let id = state.aliases[alias], let t = state[id] else {
            guard c.kind == .start || c.kind == .visitor else {
                return .nothing(.ignored("\(c.kind.rawValue) for chat session \(c.session), which never started here"))
            }
            let visitor = known(c.visitor ?? Customer(name: "chat visitor"), in: state)
            let id = freshID(state, newID)
            let subject = c.subject.map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 } ?? "Chat with \(visitor.name)"
            let o = TicketOpening(channel: .chat, customer: visitor, subject: subject, body: c.kind == .visitor ? c.text : "",
                                  department: rules.department(forQueue: c.queue), queue: c.queue)
            var r = record
            r.aliases = [alias]
            return IntakeOutcome(result: .created(id), decision: Decision(
                events: [event(id, c.at, "customer", .created(o)), event(id, c.at, "system", .intake(r))], expectedVersions: [id: 0]))
        }
        let status = t.status(at: c.at, autoCloseAfter: rules.autoCloseAfter)
        var events: [Event] = []
        var r = record
        switch c.kind {
        case .start:
            r.summary = "💬 chat session \(c.session) started again"
        case .visitor:
            guard !c.text.trimmingWhitespace().isEmpty else { return .nothing(.ignored("empty visitor line")) }
            events.append(event(id, c.at, "customer", .customerMessage(body: c.text)))
        case .agent:
            guard !c.text.trimmingWhitespace().isEmpty else { return .nothing(.ignored("empty agent line")) }
            let who = c.agent.map { rules.agent(external: $0)?.user ?? $0 } ?? "agent"
            if t.assignee == nil { events.append(event(id, c.at, who, .reassigned(agent: who, department: nil, reason: "took the chat"))) }
            if status == .closed { r.summary = "💬 \(who) wrote after the ticket closed: \(c.text)" }
            else { events.append(event(id, c.at, who, .agentReply(body: c.text))) }
        case .end:
            if t.everAnswered {
                r.summary = "💬 chat ended"
                if [.new, .open, .answered, .postponed].contains(status) { events.append(event(id, c.at, "system", .resolved)) }
            } else if [.new, .open].contains(status) {
                events.append(event(id, c.at, "customer", .abandoned(reason: "chat ended before an agent answered")))
                if !t.tags.contains("missed-chat") { events.append(event(id, c.at, "system", .tagged(added: ["missed-chat"], removed: []))) }
            }
        case .left:
            if [.new, .open].contains(status) {
                events.append(event(id, c.at, "customer", .abandoned(reason: "visitor left while waiting")))
                if !t.tags.contains("missed-chat") { events.append(event(id, c.at, "system", .tagged(added: ["missed-chat"], removed: []))) }
            } else {
                r.summary = "💬 visitor left"
            }
        }
        events.append(event(id, c.at, "system", .intake(r)))
        return IntakeOutcome(result: .threaded(id), decision: Decision(events: events, expectedVersions: [id: t.version]))
    }
}
