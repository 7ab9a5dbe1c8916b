/// One Asterisk queue_log line, split into fields (QueueDeckIntake reads the file).
/// `epoch|callid|queue|agent|EVENT|data1|data2|...`
public struct CallEvent: Hashable, Sendable {
    public var at: Instant
    public var callID: String
    public var queue: String
    public var agent: String
    public var event: String
    public var data: [String]
    /// Unique per line: the line itself (Asterisk writes a line once).
    public var key: String

    public init(at: Instant, callID: String, queue: String, agent: String, event: String, data: [String], key: String) {
        self.at = at
        self.callID = callID
        self.queue = queue
        self.agent = agent
        self.event = event
        self.data = data
        self.key = key
    }

    func field(_ i: Int) -> String { i < data.count ? data[i] : "" }
    func seconds(_ i: Int) -> Int? { Int(field(i)) }
}

extension Intake {
    /// The queue_log events this desk understands; anything else is ignored by name.
    public static let callEvents: Set<String> = [
        "ENTERQUEUE", "CONNECT", "COMPLETECALLER", "COMPLETEAGENT", "ABANDON", "EXITWITHTIMEOUT", "EXITWITHKEY", "EXITEMPTY",
        "RINGNOANSWER", "RINGCANCELED", "TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER",
        "PAUSE", "UNPAUSE", "PAUSEALL", "UNPAUSEALL", "ADDMEMBER", "REMOVEMEMBER", "AGENTLOGIN", "AGENTLOGOFF",
    ]

    /// Parses a caller ID: `"Anne Person" <+371 2000 0000>`, `Anne <1001>`, or a bare number.
    public static func callerID(_ raw: String) -> (name: String?, number: String?) {
        let t = raw.trimmingWhitespace()
        if let lt = t.lastIndex(of: "<"), let gt = t.lastIndex(of: ">"), lt < gt {
            var name = String(t[..<lt]).trimmingWhitespace()
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
            let number = String(t[t.index(after: lt)..<gt]).trimmingWhitespace()
            return (name.isEmpty ? nil : name, number.isEmpty ? nil : number)
        }
        if t.isEmpty || t.lowercased() == "unknown" || t.lowercased() == "anonymous" { return (nil, nil) }
        if t.allSatisfy({ $0.isNumber || "+-() *#".contains($0) }) { return (nil, t) }
        return (t, nil)
    }

    /// ENTERQUEUE's caller ID name field: nil when absent, blank or a placeholder. At most 200
    /// characters (it is a name, and it comes from the caller's network).
    static func callerName(_ raw: String) -> String? {
        let t = raw.trimmingWhitespace()
        guard !t.isEmpty, !["unknown", "anonymous", "<unknown>"].contains(t.lowercased()) else { return nil }
        return String(t.prefix(200))
    }

    static func clock(_ seconds: Int?) -> String {
        guard let s = seconds, s >= 0 else { return "?" }
        return s >= 3600 ? "\(s / 3600):\(pad(s / 60 % 60)):\(pad(s % 60))" : "\(s / 60):\(pad(s % 60))"
    }

    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Applies one queue_log line: ENTERQUEUE makes a waiting call ticket, CONNECT assigns and
    /// answers it, COMPLETE* resolve it with hold and talk time, ABANDON / EXITWITH* leave it new
    /// as a missed call, pauses and membership set agent presence.
    public static func call(_ c: CallEvent, state: DeskState, rules: DeskRules, newID: () -> TicketID) -> IntakeOutcome {
        if let seen = state.intakeKeys[c.key] { return .nothing(.duplicate(seen)) }
        let agentUser = c.agent.isEmpty || c.agent == "NONE" ? nil : (rules.agent(external: c.agent)?.user ?? c.agent)
        let alias = "call:" + c.callID

        switch c.event {
        case "PAUSE", "UNPAUSE", "PAUSEALL", "UNPAUSEALL", "ADDMEMBER", "REMOVEMEMBER", "AGENTLOGIN", "AGENTLOGOFF":
            guard let who = agentUser else { return .nothing(.ignored("\(c.event) without an agent")) }
            let p: Presence = switch c.event {
            case "PAUSE", "PAUSEALL": .away
            case "REMOVEMEMBER", "AGENTLOGOFF": .offline
            default: .available
            }
            if let now = state.presence[who], now.presence == p || now.since > c.at {
                return .nothing(.ignored("\(who) is already \(now.presence.rawValue)"))
            }
            return IntakeOutcome(result: .ignored("presence"), decision: Decision(
                events: [event(.desk, c.at, who, .presence(agent: who, p))], expectedVersions: [:]))
        default:
            break
        }
        guard callEvents.contains(c.event) else { return .nothing(.ignored(c.event)) }

        if c.event == "ENTERQUEUE" && state.aliases[alias] == nil {
            // url|number|position[|name]: the name with `log-caller-id-name = yes` in queues.conf.
            let (idName, number) = callerID(c.field(1))
            let name = callerName(c.field(3)) ?? idName
            let caller = Customer(name: name ?? number ?? "unknown caller", phone: number)
            let customer = caller.phone == nil ? caller : known(caller, in: state)
            let id = freshID(state, newID)
            let who = customer.name == number || customer.name.isEmpty ? nil : customer.name
            let o = TicketOpening(channel: .call, customer: customer,
                                  subject: "Call from " + (who.map { name in number.map { "\(name) (\($0))" } ?? name } ?? number ?? "an unknown number"),
                                  department: rules.department(forQueue: c.queue), queue: c.queue)
            let position = c.field(2).isEmpty ? "" : " at position \(c.field(2))"
            // The card is the contact's; what the caller's line said is kept beside it, so an agent
            // sees that someone else may be calling from that number.
            let said = name.map { $0 != customer.name ? " · caller ID: \($0)" : "" } ?? ""
            let r = IntakeRecord(key: c.key, kind: .call, summary: "☎ waiting in queue \(c.queue)\(position)\(said)", aliases: [alias])
            return IntakeOutcome(result: .created(id), decision: Decision(
                events: [event(id, c.at, "customer", .created(o)), event(id, c.at, "system", .intake(r))], expectedVersions: [id: 0]))
        }
        guard let id = state.aliases[alias], let t = state[id] else {
            return .nothing(.ignored("\(c.event) for call \(c.callID), which never entered a queue here"))
        }
        let status = t.status(at: c.at, autoCloseAfter: rules.autoCloseAfter)
        let agentName = agentUser ?? "the agent"
        var events: [Event] = []
        var summary = ""
        switch c.event {
        case "ENTERQUEUE":
            summary = "☎ entered queue \(c.queue) again"
        case "CONNECT":
            let who = agentUser ?? "agent"
            if t.assignee != who { events.append(event(id, c.at, who, .reassigned(agent: who, department: nil, reason: "answered the call"))) }
            if [.new, .open].contains(status) {
                events.append(event(id, c.at, who, .agentReply(body: "Answered the call after \(clock(c.seconds(0))) waiting.")))
            } else {
                summary = "☎ \(who) answered after \(clock(c.seconds(0))) waiting"
            }
        case "COMPLETECALLER", "COMPLETEAGENT":
            let by = c.event == "COMPLETECALLER" ? "the caller" : agentName
            summary = "☎ call ended by \(by): talk \(clock(c.seconds(1))), hold \(clock(c.seconds(0)))"
            if [.new, .open, .answered, .postponed].contains(status) { events.append(event(id, c.at, agentUser ?? "system", .resolved)) }
        case "ABANDON", "EXITWITHTIMEOUT", "EXITWITHKEY", "EXITEMPTY":
            let (wait, pos): (Int?, String) = c.event == "EXITWITHKEY" ? (c.seconds(3), c.field(1)) : (c.seconds(2), c.field(0))
            let why = switch c.event {
            case "ABANDON": "caller hung up"
            case "EXITWITHTIMEOUT": "queue timed out"
            case "EXITWITHKEY": "caller left with key \(c.field(0))"
            default: "no agents in the queue"
            }
            let reason = "\(why) after \(clock(wait)) waiting" + (pos.isEmpty ? "" : " at position \(pos)") + "; call back"
            if [.new, .open].contains(status) {
                events.append(event(id, c.at, "customer", .abandoned(reason: reason)))
                if !t.tags.contains("missed-call") { events.append(event(id, c.at, "system", .tagged(added: ["missed-call"], removed: []))) }
            } else {
                summary = "☎ \(reason)"
            }
        case "RINGNOANSWER", "RINGCANCELED":
            let ms = Int(c.field(0)) ?? 0
            summary = "☎ rang \(agentName) for \(clock(ms / 1000)), no answer"
        default:  // TRANSFER, BLINDTRANSFER, ATTENDEDTRANSFER
            let to = c.event == "ATTENDEDTRANSFER" ? c.field(1) : [c.field(0), c.field(1)].filter { !$0.isEmpty }.joined(separator: "@")
            summary = "☎ \(agentName) transferred the call to \(to.isEmpty ? "another line" : to): talk \(clock(c.seconds(3))), hold \(clock(c.seconds(2)))"
            if [.new, .open, .answered, .postponed].contains(status) { events.append(event(id, c.at, agentUser ?? "system", .resolved)) }
        }
        events.append(event(id, c.at, "system", .intake(IntakeRecord(key: c.key, kind: .call, summary: summary))))
        return IntakeOutcome(result: .threaded(id), decision: Decision(events: events, expectedVersions: [id: t.version]))
    }
}
