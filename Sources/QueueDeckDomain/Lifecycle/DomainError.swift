/// A command refused by the desk's rules. Each case names the problem and the ticket or field.
public enum DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownTicket(String)
    case unknownAgent(String)
    case unknownDepartment(String)
    case notPermitted(user: String, permission: Permission)
    case invalidTransition(ticket: TicketID, status: TicketStatus, action: String, allowed: [TicketStatus])
    case invalidValue(field: String, value: String, reason: String)
    case nothingToDo(ticket: TicketID, reason: String)

    public var description: String {
        switch self {
        case .unknownTicket(let t): return "no ticket \(t) in the journal"
        case .unknownAgent(let a): return "'\(a)' is not an agent in the roster"
        case .unknownDepartment(let d): return "no department or agent named '\(d)'"
        case .notPermitted(let u, .reassignAny):
            return "\(u) may only reassign or claim their own or unassigned tickets (another agent's needs permission \(Permission.reassignAny.rawValue))"
        case .notPermitted(let u, .intake):
            return "\(u) may not store arrivals: mail, calls, chats, self-service (permission \(Permission.intake.rawValue)); "
                + "if \(u) is the user the mail server or an importer runs as, list it in the team file: - { user: \(u), name: Intake, role: intake }"
        case .notPermitted(let u, let p): return "\(u) may not do this: the role lacks permission \(p.rawValue)"
        case .invalidTransition(let t, let s, let a, let allowed):
            let list = allowed.map(\.rawValue).joined(separator: ", ")
            return "cannot \(a) ticket \(t): it is \(s.rawValue) (\(a) needs \(list))"
        case .invalidValue(let f, let v, let r): return "\(f) '\(v)': \(r)"
        case .nothingToDo(let t, let r): return t == .desk ? r : "ticket \(t): \(r)"
        }
    }
}
