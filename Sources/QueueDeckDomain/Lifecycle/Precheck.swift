/// The kinds of action an agent starts on a ticket before saying the details (the text, the
/// target, the time): what the console checks before asking for them.
public enum ActionKind: Sendable, CaseIterable {
    case reply, note, reassign, claim, postpone, resolve, reopen, priority, tag, accept, dismiss
}

extension Commands {
    /// Why the acting agent may not start this kind of action on the ticket now — a missing
    /// permission or a status that does not allow it — or nil. Asked before the agent types a
    /// reason or a text, so that a refusal is said first, not after. The final word stays with
    /// `decide`, at the moment of the append.
    public static func refusal(_ kind: ActionKind, _ id: TicketID, state: DeskState, context ctx: CommandContext) -> DomainError? {
        guard let t = state[id] else { return .unknownTicket(id.description) }
        let probe: Command
        switch kind {
        case .reply: probe = .reply(id, body: "-")
        case .note: probe = .note(id, body: "-")
        case .reassign: probe = .reassign(id, to: "none", reason: "")
        case .claim: probe = .claim(id)
        case .postpone: probe = .postpone(id, until: ctx.now + .hours(1))
        case .resolve: probe = .resolve(id)
        case .reopen: probe = .reopen(id)
        case .priority: probe = .setPriority(id, t.priority == .normal ? .high : .normal)
        case .tag: probe = .tag(id, add: ["-"], remove: [])
        case .accept: probe = .acceptMail(id)
        case .dismiss: probe = .dismissMail(id)
        }
        do {
            _ = try decide(probe, state: state, context: ctx)
            return nil
        } catch {
            switch error {
            case .notPermitted, .invalidTransition, .unknownTicket: return error
            case .unknownAgent, .unknownDepartment, .invalidValue, .nothingToDo: return nil
            }
        }
    }
}
