/// The status lifecycle of DESIGN §1, applied to one ticket. Commands decide whether an action is
/// allowed; this applies what was decided, and is also what replay runs.
enum Lifecycle {
    /// Applies a non-creating event. Returns false if the event kind is not one this build applies.
    static func apply(_ e: Event, to t: inout Ticket, autoCloseAfter: Millis) -> Bool {
        settle(&t, at: e.at, autoCloseAfter: autoCloseAfter)
        switch e.kind {
        case .created, .unknown:
            return false
        case .customerMessage(let body):
            t.entries.append(ConversationEntry(kind: .customer, author: t.customer.name, at: e.at, body: body))
            t.customerChars += body.count
            t.lastCustomerMessageAt = e.at
            if t.waitingSince == nil { t.waitingSince = e.at }
            switch t.storedStatus {
            case .answered, .postponed, .resolved, .closed:
                t.postponedUntil = nil
                t.resolvedAt = nil
                setStatus(&t, .open, at: e.at, actor: e.actor, why: "customer wrote")
            case .new, .open:
                break
            }
        case .agentReply(let body):
            t.entries.append(ConversationEntry(kind: .reply, author: e.actor, at: e.at, body: body))
            if let since = t.waitingSince {
                t.responses.append(ResponseWindow(from: since, to: e.at, first: !t.everAnswered))
                t.waitingSince = nil
            }
            if t.firstResponseAt == nil { t.firstResponseAt = e.at }
            t.everAnswered = true
            if t.storedStatus == .new || t.storedStatus == .open || t.storedStatus == .postponed {
                t.postponedUntil = nil
                setStatus(&t, .answered, at: e.at, actor: e.actor, why: "agent replied")
            }
        case .note(let body):
            t.entries.append(ConversationEntry(kind: .note, author: e.actor, at: e.at, body: body))
        case .reassigned(let agent, let department, let reason):
            var parts: [String] = []
            if agent != t.assignee { parts.append("assignee \(t.assignee ?? "none") → \(agent ?? "none")") }
            if let d = department, d != t.department { parts.append("department \(t.department ?? "none") → \(d)") }
            t.assignee = agent
            if let d = department { t.department = d }
            let why = reason.isEmpty ? "" : " (\(reason))"
            t.history.append(HistoryEntry(at: e.at, actor: e.actor, change: "reassigned: " + parts.joined(separator: ", ") + why))
        case .claimed:
            t.history.append(HistoryEntry(at: e.at, actor: e.actor, change: "claimed (assignee \(t.assignee ?? "none") → \(e.actor))"))
            t.assignee = e.actor
        case .postponed(let until):
            t.postponedUntil = until
            setStatus(&t, .postponed, at: e.at, actor: e.actor, why: "until \(until.isoUTC)")
        case .resolved:
            t.resolvedAt = e.at
            t.postponedUntil = nil
            setStatus(&t, .resolved, at: e.at, actor: e.actor, why: nil)
        case .reopened:
            t.resolvedAt = nil
            t.waitingSince = t.waitingSince ?? e.at
            setStatus(&t, .open, at: e.at, actor: e.actor, why: "reopened")
        case .priorityChanged(let p):
            t.history.append(HistoryEntry(at: e.at, actor: e.actor, change: "priority \(t.priority.name) → \(p.name)"))
            t.priority = p
        case .tagged(let added, let removed):
            var tags = Set(t.tags)
            tags.formUnion(added)
            tags.subtract(removed)
            t.tags = tags.sorted()
            let change = (added.map { "+" + $0 } + removed.map { "-" + $0 }).joined(separator: " ")
            t.history.append(HistoryEntry(at: e.at, actor: e.actor, change: "tags " + change))
        }
        return true
    }

    /// Makes derived changes explicit before applying an event at `now`: a postponed ticket whose
    /// time has come wakes up (at its time, so the SLA clock runs from then), and a resolved ticket
    /// past the quiet period is closed.
    static func settle(_ t: inout Ticket, at now: Instant, autoCloseAfter: Millis) {
        switch t.storedStatus {
        case .postponed:
            if let until = t.postponedUntil, until <= now {
                t.postponedUntil = nil
                setStatus(&t, t.wakeStatus, at: until, actor: "system", why: "woke up")
            }
        case .resolved:
            if let r = t.resolvedAt, r + autoCloseAfter <= now {
                setStatus(&t, .closed, at: r + autoCloseAfter, actor: "system", why: "quiet period over")
            }
        default:
            break
        }
    }

    /// Changes the stored status, records it in the history, and starts or stops the SLA clock.
    static func setStatus(_ t: inout Ticket, _ s: TicketStatus, at: Instant, actor: String, why: String?) {
        let old = t.storedStatus
        guard old != s else { return }
        t.storedStatus = s
        var change = "status \(old.rawValue) → \(s.rawValue)"
        if let why { change += " (\(why))" }
        t.history.append(HistoryEntry(at: at, actor: actor, change: change))
        let runs = s.isWaitingForDesk
        let running = t.runLog.last.map { $0.end == nil } ?? false
        if runs && !running {
            t.runLog.append(RunInterval(start: at, end: nil))
        } else if !runs && running {
            t.runLog[t.runLog.count - 1].end = at
        }
    }
}
