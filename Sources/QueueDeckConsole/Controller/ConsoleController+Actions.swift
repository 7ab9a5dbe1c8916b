import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// Actions on tickets: each honours the marks, checks permissions before asking for details, and
/// reports what happened to each ticket.
extension ConsoleController {
    var commandContext: CommandContext {
        CommandContext(actor: desk.actor, now: desk.clock(), rules: desk.rules, newTicketID: { .desk })
    }

    /// The targets the agent may act on, said before any prompt: nil (and the reason on the flash
    /// line) when none; the refused ones are remembered for the final report.
    func permitted(_ kind: ActionKind, _ verb: String) -> [TicketID]? {
        let targets = actionTargets
        preRefused = []
        guard !targets.isEmpty else { return nil }
        var allowed: [TicketID] = []
        for id in targets {
            if let r = Commands.refusal(kind, id, state: state, context: commandContext) { preRefused.append((id, "\(r)")) } else { allowed.append(id) }
        }
        if allowed.isEmpty {
            let first = preRefused[0]
            say(targets.count == 1 ? "\(first.0): \(first.1)" : "none of the \(targets.count) tickets can be changed: \(first.0): \(first.1)", error: true)
            preRefused = []
            return nil
        }
        if !preRefused.isEmpty {
            say("\(allowed.count) of \(targets.count) can be changed; \(preRefused.map { "\($0.0) refused: \($0.1)" }.joined(separator: "; "))", error: true)
        }
        return allowed
    }

    /// Runs a command on each target at the version the agent is looking at; reports per ticket.
    /// Refused tickets stay marked, so the agent can look at them and try again.
    func act(_ targets: [TicketID], verb: String, seen seenVersions: [TicketID: UInt32] = [:], _ make: (TicketID) -> Command) {
        var done: [TicketID] = []
        var refused = preRefused
        preRefused = []
        for id in targets {
            let seen = seenVersions[id] ?? state[id]?.version
            do {
                do {
                    _ = try desk.perform(make(id), sawVersion: seen)
                } catch JournalError.stale(_, _, _, let by, _) where by == me {
                    // Only this agent's own events came between (the mail of a reply being handed
                    // over in the background): nothing to look at again.
                    absorb()
                    _ = try desk.perform(make(id), sawVersion: state[id]?.version)
                }
                done.append(id)
            } catch {
                refused.append((id, "\(error)"))
            }
        }
        marked = marked.intersection(refused.map(\.0))
        absorb()
        report(verb: verb, done: done, refused: refused)
    }

    /// "claimed HQW-…, billing, SLA 2h10"; "3 of 4 reassigned; HQW-… refused: …".
    func report(verb: String, done: [TicketID], refused: [(TicketID, String)]) {
        let total = done.count + refused.count
        if refused.isEmpty {
            // "claimed HQW-…, new, billing, yours, SLA ● 2h10"; "reassigned to jonas: HQW-…, …".
            let separator = verb.contains(" ") ? ": " : " "
            if done.count == 1 { say("\(verb)\(separator)\(outcome(done[0]))") } else if !done.isEmpty { say("\(done.count) tickets \(verb)") }
            return
        }
        if total == 1 {
            say("\(refused[0].1)", error: true)
            return
        }
        let reasons = refused.map { "\($0.0) refused: \($0.1)" }.joined(separator: "; ")
        say("\(done.count) of \(total) \(verb); \(reasons)", error: true)
    }

    /// A ticket as a status message names it: ID, department, assignee, SLA.
    func outcome(_ id: TicketID) -> String {
        guard let t = state[id] else { return id.description }
        var parts = [id.description]
        parts.append(context.status(t).rawValue)
        if let d = t.department { parts.append(d) }
        parts.append(t.assignee.map { $0 == me ? "yours" : "assigned to \($0)" } ?? "unassigned")
        let sla = ConsoleView.sla(context.sla(t), now: now).0
        if sla != "-" { parts.append("SLA \(sla)") }
        return parts.joined(separator: ", ")
    }

    func postpone(_ targets: [TicketID], until text: String, seen: [TicketID: UInt32] = [:]) {
        do {
            let when = try WhenParser.parse(text, now: context.now, calendar: desk.rules.calendar)
            let local = when.iso(offsetSeconds: desk.rules.calendar.utcOffset(at: when))
            act(targets, verb: "postponed until \(local.prefix(16).replacingOccurrences(of: "T", with: " "))", seen: seen) { .postpone($0, until: when) }
        } catch { say("\(error)", error: true) }
    }

    func tag(_ targets: [TicketID], _ text: String, seen: [TicketID: UInt32] = [:]) {
        var add: [String] = [], remove: [String] = []
        for w in text.split(separator: " ") {
            if w.hasPrefix("-") { remove.append(String(w.dropFirst())) } else { add.append(String(w.hasPrefix("+") ? w.dropFirst() : w)) }
        }
        act(targets, verb: "tagged " + (add.map { "+" + $0 } + remove.map { "-" + $0 }).joined(separator: " "), seen: seen) { .tag($0, add: add, remove: remove) }
    }

    /// Claims the first unassigned ticket waiting for the desk in the agent's departments, in the
    /// current order; a ticket someone else took first is passed over and the next one taken.
    func pullNext() {
        let mine = desk.actor.departments
        var tried: Set<TicketID> = []
        for _ in 0..<10 {
            guard let id = list.ids.first(where: { id in
                guard !tried.contains(id), let t = state[id], t.assignee == nil, context.status(t).isWaitingForDesk else { return false }
                return mine.isEmpty || t.department.map { mine.contains($0) } ?? true
            }) else {
                say(mine.isEmpty ? "nothing unassigned is waiting in this queue"
                    : "nothing unassigned is waiting in this queue for \(mine.joined(separator: ", "))")
                return
            }
            tried.insert(id)
            do {
                _ = try desk.perform(.claim(id), sawVersion: state[id]?.version)
                absorb()
                openDetail(id)
                say("claimed \(outcome(id))")
                return
            } catch {
                absorb()  // lost the race (or it changed): take the next one
            }
        }
        say("every waiting ticket was taken by someone else first; press N again", error: true)
    }
}
