/// The status lifecycle (README.md, "The ticket lifecycle"), applied to one ticket. Commands decide whether an action is
/// allowed; this applies what was decided, and is also what replay runs.
enum Lifecycle {
    /// The actor of a customer message from someone other than the ticket's customer.
    static let senderPrefix = "from:"

    /// Applies a non-creating event. Returns false if the event kind is not one this build applies.
    static func apply(_ e: Event, to t: inout Ticket, autoCloseAfter: Millis) -> Bool {
        settle(&t, at: e.at, autoCloseAfter: autoCloseAfter)
        switch e.kind {
        case .created, .unknown, .presence, .selfService, .contactEdited:
            return false  // not about a ticket
        case .intake(let r):
            // A record never changes the status: an auto-reply must not reopen, a call record
            // comes with the events that do.
            if !r.summary.isEmpty || !r.body.isEmpty {
                let text = r.body.isEmpty ? r.summary : (r.summary.isEmpty ? r.body : r.summary + "\n" + r.body)
                t.entries.append(ConversationEntry(kind: .record, author: e.actor, at: e.at, body: text))
            }
        case .delivery(_, .handing):
            break  // the outcome that follows says it all
        case .delivery(let id, let step):
            t.history.append(HistoryEntry(at: e.at, actor: e.actor, change: .delivery(messageID: id, step: step)))
        case .abandoned(let reason):
            t.abandonments.append(e.at)
            t.history.append(HistoryEntry(at: e.at, actor: e.actor, change: .abandoned(reason: reason)))
        case .customerMessage(let body):
            // An accepted stranger's message keeps its real sender (actor `from:Name <address>`).
            // Compared as bytes: this runs for every customer message of a million-event replay.
            let fromSender = e.actor.utf8.starts(with: Self.senderPrefix.utf8)
            let author = fromSender ? String(e.actor.dropFirst(Self.senderPrefix.count)) : t.customer.name
            t.entries.append(ConversationEntry(kind: .customer, author: author, at: e.at, body: body))
            t.countMessage()
            t.customerChars += body.utf8.count
            t.lastCustomerMessageAt = e.at
            if t.waitingSince == nil { t.waitingSince = e.at }
            switch t.storedStatus {
            case .answered, .postponed, .resolved, .closed:
                t.postponedUntil = nil
                t.resolvedAt = nil
                setStatus(&t, .open, at: e.at, actor: fromSender ? author : e.actor, why: .customerWrote)
            case .new, .open:
                break
            }
        case .agentReply(let body):
            t.entries.append(ConversationEntry(kind: .reply, author: e.actor, at: e.at, body: body))
            t.countMessage()
            // A rule's reply (an acknowledgement) is not an answer: the customer still waits for a
            // person, the status and the SLA's response clock stay as they were.
            if Automation.isRules(e.actor) { break }
            if let since = t.waitingSince {
                t.responses.append(ResponseWindow(from: since, to: e.at, first: !t.everAnswered))
                t.waitingSince = nil
            }
            if t.firstResponseAt == nil { t.firstResponseAt = e.at }
            t.everAnswered = true
            if t.storedStatus == .new || t.storedStatus == .open || t.storedStatus == .postponed {
                t.postponedUntil = nil
                setStatus(&t, .answered, at: e.at, actor: e.actor, why: .agentReplied)
            }
        case .note(let body):
            t.entries.append(ConversationEntry(kind: .note, author: e.actor, at: e.at, body: body))
        case .ccChanged(let cc):
            t.cc = cc
        case .customerUpdated(let c):
            t.history.append(HistoryEntry(at: e.at, actor: e.actor, change: .customer(from: t.customer, to: c)))
            t.customer = c
        case .attached(let files):
            let entry = max(0, t.entries.count - 1)
            t.attachments += files.map { TicketAttachment(file: $0, from: e.actor, at: e.at, entry: entry) }
        case .reassigned(let agent, let department, let reason):
            t.history.append(HistoryEntry(at: e.at, actor: e.actor, change: .reassigned(
                fromAgent: t.assignee, toAgent: agent, fromDepartment: t.department, toDepartment: department, reason: reason)))
            t.assignee = agent
            if let d = department { t.department = d }
        case .claimed:
            t.history.append(HistoryEntry(at: e.at, actor: e.actor, change: .claimed(from: t.assignee)))
            t.assignee = e.actor
        case .postponed(let until):
            t.postponedUntil = until
            if t.storedStatus == .postponed {
                // A new time for a postponed ticket: no status change, but history must say when it wakes.
                t.history.append(HistoryEntry(at: e.at, actor: e.actor, change: .status(from: .postponed, to: .postponed, why: .postponed(until: until))))
            } else {
                setStatus(&t, .postponed, at: e.at, actor: e.actor, why: .postponed(until: until))
            }
        case .resolved:
            t.resolvedAt = e.at
            t.postponedUntil = nil
            setStatus(&t, .resolved, at: e.at, actor: e.actor, why: .resolved)
        case .reopened:
            t.resolvedAt = nil
            t.waitingSince = t.waitingSince ?? e.at
            setStatus(&t, .open, at: e.at, actor: e.actor, why: .reopened)
        case .priorityChanged(let p):
            t.history.append(HistoryEntry(at: e.at, actor: e.actor, change: .priority(from: t.priority, to: p)))
            t.priority = p
        case .automation(let rule, let mark):
            switch mark {
            case .matched: if !t.rulesMatched.contains(rule) { t.rulesMatched.append(rule) }
            case .rearmed: t.rulesMatched.removeAll { $0 == rule }
            case .notified(let users): t.history.append(HistoryEntry(at: e.at, actor: e.actor, change: .notified(users)))
            }
        case .tagged(let added, let removed):
            var tags = Set(t.tags)
            tags.formUnion(added)
            tags.subtract(removed)
            t.tags = tags.sorted()
            t.history.append(HistoryEntry(at: e.at, actor: e.actor, change: .tags(added: added, removed: removed)))
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
                setStatus(&t, t.wakeStatus, at: until, actor: "system", why: .wokeUp)
            }
        case .resolved:
            if let r = t.resolvedAt, r + autoCloseAfter <= now {
                setStatus(&t, .closed, at: r + autoCloseAfter, actor: "system", why: .quietPeriodOver)
            }
        case .new, .answered, .open, .closed:
            break
        }
    }

    /// Changes the stored status, records it in the history, and starts or stops the SLA clock.
    static func setStatus(_ t: inout Ticket, _ s: TicketStatus, at: Instant, actor: String, why: HistoryEntry.StatusReason) {
        let old = t.storedStatus
        guard old != s else { return }
        t.storedStatus = s
        t.history.append(HistoryEntry(at: at, actor: actor, change: .status(from: old, to: s, why: why)))
        let runs = s.isWaitingForDesk
        let running = t.runLog.last.map { $0.end == nil } ?? false
        if runs && !running {
            t.runLog.append(RunInterval(start: at, end: nil))
        } else if !runs && running {
            t.runLog[t.runLog.count - 1].end = at
        }
    }
}
