import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// The console's state and behaviour, without a terminal: keys in, journal actions out, and
/// everything the view draws. Tests drive it directly. Actions, composing, the pager and the input
/// modes live in the extensions beside this file.
public final class ConsoleController {
    public let desk: ConsoleDesk
    public let keyMap: KeyMap<ConsoleAction>
    public internal(set) var context: ViewContext
    public internal(set) var list = QueueList()
    public internal(set) var cursor = 0
    public internal(set) var scrollTop = 0
    public internal(set) var selected: TicketID?
    public internal(set) var detailOpen = false
    public internal(set) var pager = Pager()
    public internal(set) var marked: Set<TicketID> = []
    public internal(set) var mode: Mode = .normal
    public internal(set) var flash: (text: String, error: Bool, at: Instant)?
    /// The last hundred flash messages, whole: `M` shows them (a long one is cut on the flash line).
    public internal(set) var messages: [(text: String, error: Bool, at: Instant)] = []
    public internal(set) var waiting: [Channel: Int] = [:]
    public internal(set) var lastRebuild = Instant(ms: 0)
    /// Why the journal cannot be followed right now (damage, replaced file), or nil while live.
    public internal(set) var journalHealth = JournalHealth.live
    /// Tickets with customer activity this agent has not looked at since it arrived.
    public internal(set) var unread: Set<TicketID> = []
    /// Tickets with mail from another sender waiting for an agent (⚠ in the list).
    public var awaitingMail: Set<TicketID> { Set(state.awaiting.map(\.ticket)) }
    /// Tickets with a kept draft of this agent.
    public internal(set) var drafts: Set<TicketID> = []
    /// Set when something deserves the bell (the app rings it and clears it).
    public var bellPending = false
    /// Choices the command line's Tab found, shown above it.
    public internal(set) var completionChoices: [String] = []
    /// Targets refused by the check before a prompt, for the report after the action.
    var preRefused: [(TicketID, String)] = []
    /// Lines the help or messages overlay shows at once, and has in all; set by the view, so a
    /// page is a page and the end is the end.
    public internal(set) var helpPage = 10
    public internal(set) var overlayLines = 0
    /// Columns the chat composer wraps at; set by the view (the cursor moves by screen rows).
    public internal(set) var composerWidth = 80
    /// Rows the list shows; set by the view from the layout.
    public private(set) var pageSize = 20

    public init(desk: ConsoleDesk, keyMap: KeyMap<ConsoleAction> = .agent) {
        self.desk = desk
        self.keyMap = keyMap
        context = ViewContext(now: desk.clock(), me: desk.actor.user, rules: desk.rules)
        drafts = desk.drafts?.tickets(agent: desk.actor.user) ?? []
        rebuild()
        countWaiting()
        restoreUnread()
    }

    /// Unread markers survive a restart: those not opened last time, the tickets customers wrote
    /// on since the console stopped, and those a rule asked this agent to look at meanwhile (said
    /// on the flash line: a night's escalations are not lost with the closed console).
    func restoreUnread() {
        // Never opened here before: every request a rule made of this agent still counts.
        let saved = desk.drafts?.loadUnread(agent: me)
        let since = saved?.at ?? Instant(ms: .min)
        var asked: [(TicketID, String)] = []
        for id in list.ids {
            guard let t = state[id] else { continue }
            if let ask = t.history.reversed().prefix(while: { $0.at > since }).first(where: { if case .notified(let users) = $0.change { users.contains(me) } else { false } }) {
                asked.append((id, ask.actor))
                unread.insert(id)
                continue
            }
            guard let saved else { continue }
            if saved.tickets.contains(id) { unread.insert(id); continue }
            if let last = t.entries.last(where: { $0.kind == .customer }), last.at > saved.at { unread.insert(id) }
        }
        if let (id, rule) = asked.first {
            bellPending = true
            say(asked.count == 1 ? "\(rule) asked you to look at \(id) while the console was closed (marked •)"
                                 : "rules asked you to look at \(asked.count) tickets while the console was closed (marked •), \(id) first")
        }
        unreadSaved = unread
    }

    private var unreadSaved: Set<TicketID> = []

    /// Writes the unread markers for the next start (when they changed, or `force` at exit).
    public func persistUnread(force: Bool = false) {
        guard force || unread != unreadSaved, let store = desk.drafts else { return }
        try? store.saveUnread(agent: me, at: desk.clock(), tickets: unread)
        unreadSaved = unread
    }

    public var state: DeskState { desk.state }
    public var now: Instant { context.now }
    public var me: String { desk.actor.user }
    public var rows: [TicketID] { list.ids }
    public var selectedTicket: Ticket? { selected.flatMap { state[$0] } }
    /// The ticket the detail pane shows: the one being replied to in the composer, else the selected
    /// one while open. It never changes under the agent because the list moved.
    public var detailTicket: Ticket? {
        if case .composer(let c) = mode { return state[c.ticket] }
        return detailOpen ? selectedTicket : nil
    }
    public var queue: Channel? { list.channel }
    /// The queues the console cycles through: all, then each channel (from `Channel.allCases`).
    static let queues: [Channel?] = [nil] + Channel.allCases.map { $0 }
    public var order: QueueOrder { list.order }
    public var filterText: String { list.filter.source }

    /// The view tells how many rows the list shows; the selected row stays on screen.
    public func setPageSize(_ n: Int) {
        guard n != pageSize else { return }
        pageSize = max(1, n)
        clampScroll()
    }

    // MARK: Time and the journal

    /// Moves the clock. Membership can change with time (postponed tickets wake, SLA states turn),
    /// so the list is rebuilt now and then; rows always show the state at `now`.
    public func tick(_ now: Instant) {
        context.now = now
        let every: Millis = state.count > 50_000 ? .seconds(30) : .seconds(5)
        if now - lastRebuild >= every {
            rebuild()
            countWaiting()
            persistUnread()
        }
    }

    /// Folds in other agents' (and our own) appends, keeping the selection and scroll position.
    @discardableResult
    public func absorb() -> [StoredEvent] {
        for problem in desk.notices.take() { say(problem, error: true) }
        let events: [StoredEvent]
        let before: [TicketID: Ticket]
        do { (events, before) = try desk.absorb() } catch {
            if journalHealth.isLive { say("journal: \(error)", error: true) }
            journalHealth = JournalHealth(error)
            return []
        }
        if case .reconnecting = journalHealth { say("the journal is back; caught up") }
        journalHealth = .live
        guard !events.isEmpty else { return [] }
        let screenRow = cursor - scrollTop
        let changed = Set(events.map(\.event.ticket))
        // Tickets the agent cares about that someone else's action may take out of the view.
        let wasSelected = selected
        let watched = changed.filter { id in
            list.contains(id, in: state) && (id == selected || marked.contains(id) || before[id]?.assignee == me)
        }
        list.update(changed, state, context)
        // Waiting counts move by what the touched tickets contributed before and after.
        for id in changed {
            if let old = before[id], context.status(old).isWaitingForDesk { waiting[old.channel, default: 0] -= 1 }
            if let new = state[id], context.status(new).isWaitingForDesk { waiting[new.channel, default: 0] += 1 }
        }
        noticeNewWork(events, before: before)
        reselect(keepingScreenRow: screenRow)
        // Someone else's action took a ticket out of this view: say so rather than let it vanish.
        let wasOpen = detailOpen ? wasSelected : nil
        let gone = watched.sorted().compactMap { id -> String? in
            guard !list.contains(id, in: state), let e = events.last(where: { $0.event.ticket == id && $0.event.actor != me }) else { return nil }
            // The open ticket left: close the pane rather than show the next one in its place.
            let closed = id == wasOpen && detailOpen
            if closed { detailOpen = false }
            return "\(id) left this view: \(e.event.actor) \(ConsoleController.describe(e.event.kind)) it" + (closed ? " (its pane closed)" : "")
        }
        if !gone.isEmpty {
            say(gone.joined(separator: "; "))
        } else if let open = detailTicket?.id,
                  let e = events.last(where: { $0.event.ticket == open && $0.event.actor != me }) {
            say(ConsoleController.news(e.event, customer: state[open]?.customer.name ?? "the customer"))
        }
        // The composer's ticket changed hands or state: say it where the agent is typing.
        if case .composer(var c) = mode,
           let e = events.last(where: { $0.event.ticket == c.ticket && $0.event.actor != me }) {
            switch e.event.kind {
            case .customerMessage, .agentReply, .note, .created, .intake, .delivery, .presence, .selfService, .attached, .ccChanged,
                 .contactEdited, .customerUpdated, .automation, .unknown: break
            case .reassigned, .postponed, .resolved, .reopened, .priorityChanged, .tagged, .claimed, .abandoned:
                c.notice = "\(c.ticket): \(e.event.actor) \(ConsoleController.describe(e.event.kind)) it meanwhile; Enter still sends"
                mode = .composer(c)
            }
        }
        if detailOpen, let sel = selected { unread.remove(sel) }
        return events
    }

    /// Unread markers and the bell: a new chat or call in the agent's departments, a customer
    /// writing on one of the agent's tickets.
    func noticeNewWork(_ events: [StoredEvent], before: [TicketID: Ticket]) {
        let mine = desk.actor.departments
        // What became of this agent's email replies: said where the agent looks, not only in history.
        for e in events {
            guard case .delivery(let messageID, let step) = e.event.kind, let m = state.outgoing[messageID], m.author == me else { continue }
            switch step {
            case .sent: say("mail for \(m.ticket) to \(m.to) handed to the mail system", quiet: true)
            case .failed(let why):
                say("mail for \(m.ticket) to \(m.to) NOT sent: \(why); it waits in the outbox (qdeck outbox --retry)", error: true)
            case .queued, .handing: break
            }
        }
        for e in events where e.event.actor != me {
            guard let t = state[e.event.ticket] else { continue }
            switch e.event.kind {
            case .created:
                unread.insert(t.id)
                let inMyDepartments = mine.isEmpty || t.department.map { mine.contains($0) } ?? true
                if t.channel != .email && inMyDepartments { bellPending = true }
            case .customerMessage:
                unread.insert(t.id)
                if t.assignee == me { bellPending = true }
            case .intake(let r) where r.kind == .stranger:
                unread.insert(t.id)
                say("⚠ mail from \(r.sender) into \(t.id), not its customer: it waits for an agent (A)", quiet: true)
            case .automation(let rule, .notified(let users)) where users.contains(me):
                unread.insert(t.id)
                bellPending = true
                say("rule '\(rule)' asks you to look at \(t.id): \(t.subject)")
            case .automation, .agentReply, .note, .reassigned, .postponed, .resolved, .reopened, .priorityChanged, .tagged,
                 .claimed, .abandoned, .presence, .intake, .delivery, .selfService, .attached, .ccChanged, .contactEdited,
                 .customerUpdated, .unknown:
                break
            }
        }
    }

    /// What happened to the open ticket, in words: who did it (the customer's name for their own
    /// messages, whoever recorded them), then what.
    static func news(_ e: Event, customer: String) -> String {
        switch e.kind {
        case .customerMessage where e.actor.hasPrefix("from:"):
            return "\(e.actor.dropFirst(5)) (Cc) wrote on \(e.ticket) just now"
        case .customerMessage:
            return "\(customer) wrote on \(e.ticket) just now" + (["customer", "intake"].contains(e.actor) ? "" : " (recorded by \(e.actor))")
        case .abandoned: return "\(customer) left while waiting on \(e.ticket)"
        case .intake: return "intake recorded something on \(e.ticket)"
        case .delivery: return "mail hand-over on \(e.ticket)"
        case .attached: return "files attached on \(e.ticket)"
        case .created, .agentReply, .note, .reassigned, .postponed, .resolved, .reopened, .priorityChanged, .tagged, .claimed,
             .presence, .selfService, .ccChanged, .contactEdited, .customerUpdated, .automation, .unknown:
            return "\(e.actor) \(describe(e.kind)) \(e.ticket) just now"
        }
    }

    static func describe(_ k: EventKind) -> String {
        switch k {
        case .created: "created"
        case .customerMessage: "— the customer wrote on"
        case .agentReply: "replied to"
        case .note: "added a note to"
        case .reassigned: "reassigned"
        case .postponed: "postponed"
        case .resolved: "resolved"
        case .reopened: "reopened"
        case .priorityChanged: "changed the priority of"
        case .tagged: "changed the tags of"
        case .claimed: "claimed"
        case .abandoned: "— the customer left while waiting on"
        case .presence: "changed availability on"
        case .intake: "— intake recorded on"
        case .delivery: "— mail hand-over on"
        case .selfService: "— a customer helped themselves on"
        case .attached: "attached files to"
        case .ccChanged: "changed who is copied (Cc) on"
        case .contactEdited: "edited a contact on"
        case .customerUpdated: "updated the customer card of"
        case .automation(_, .notified): "asked for attention on"
        case .automation: "marked"
        case .unknown: "changed"
        }
    }

    /// Rescans every ticket for the list (waiting counts do not depend on the queue or filter).
    func rebuild() {
        let screenRow = cursor - scrollTop
        list.rebuild(state, context)
        lastRebuild = context.now
        reselect(keepingScreenRow: screenRow)
    }

    /// Fills the SLA-plan and search-text caches a slice at a time while the agent is idle, so the
    /// first filter keystroke on a big queue does not fold 100,000 tickets at once. True when done.
    private var warmQueue: [TicketID]? = nil
    @discardableResult
    public func warmUp(budget: Int = 4_000) -> Bool {
        if warmQueue == nil { warmQueue = state.all.map(\.id) }
        var n = 0
        while n < budget, let id = warmQueue!.popLast() {
            if let t = state[id] { context.warm(t) }
            n += 1
        }
        return warmQueue!.isEmpty
    }

    /// Tickets waiting for the desk: the same definition of waiting as `stats` and the wall.
    func countWaiting() {
        waiting = DeskTrend.counts(state, at: context.now, autoCloseAfter: desk.rules.autoCloseAfter, scope: .all).waiting
    }

    /// Finds the selected ticket again after the list changed; keeps it on the same screen row.
    func reselect(keepingScreenRow row: Int) {
        if let sel = selected, let i = list.index(of: sel, in: state) {
            cursor = i
        } else {
            cursor = min(cursor, max(0, list.ids.count - 1))
            let new = list.ids.isEmpty ? nil : list.ids[cursor]
            if new != selected { pager = Pager() }
            selected = new
        }
        scrollTop = max(0, min(cursor - max(0, min(row, pageSize - 1)), max(0, list.ids.count - pageSize)))
        clampScroll()
    }

    func clampScroll() {
        if cursor < scrollTop { scrollTop = cursor }
        if cursor >= scrollTop + pageSize { scrollTop = cursor - pageSize + 1 }
        scrollTop = max(0, min(scrollTop, max(0, list.ids.count - 1)))
    }

    func moveTo(_ i: Int) {
        guard !list.ids.isEmpty else { cursor = 0; selected = nil; return }
        cursor = max(0, min(list.ids.count - 1, i))
        if selected != list.ids[cursor] { pager = Pager() }
        selected = list.ids[cursor]
        if detailOpen, let s = selected { unread.remove(s) }
        clampScroll()
    }

    /// Says something on the flash line (and keeps it for `M`); `quiet` only keeps it (news from the
    /// background that needs no attention, such as a mail handed over as expected).
    /// Selects the ticket (when the list shows it) and opens it at its newest message, read.
    func openDetail(_ id: TicketID) {
        if let i = list.index(of: id, in: state) { moveTo(i) }
        guard selected == id else { return }
        detailOpen = true
        pager = Pager()
        unread.remove(id)
    }

    public func say(_ text: String, error: Bool = false, quiet: Bool = false) {
        if !quiet { flash = (text, error, context.now) }
        messages.append((text, error, context.now))
        if messages.count > 100 { messages.removeFirst(messages.count - 100) }
    }

    /// Ctrl-C: cancels what is being typed, as in a shell (a reply being written is kept as a
    /// draft). False in the queue, where it quits.
    public func interrupt() -> Bool {
        switch mode {
        case .normal: return false
        case .choice(let c):
            // A second Ctrl-C on "leave this reply?" leaves, keeping the text.
            if case .backToComposer(let comp) = c.onEscape { _ = answer(.keepComposer(comp)) } else { _ = handle(.escape) }
        case .help, .messages, .filter, .command, .prompt, .picker, .composer:
            _ = handle(.escape)
        }
        return true
    }

    // MARK: Keys

    public func handle(_ key: Key) -> Outcome {
        if key == .resize { return .redraw }
        switch mode {
        case .normal: break
        case .help(let scroll): return overlayKey(key, scroll) { .help(scroll: $0) }
        case .messages(let scroll): return overlayKey(key, scroll) { .messages(scroll: $0) }
        case .filter(let text): return filterKey(key, text)
        case .command(let text): return commandKey(key, text)
        case .prompt(let p): return promptKey(key, p)
        case .picker(let p): return pickerKey(key, p)
        case .composer(let c): return composerKey(key, c)
        case .choice(let c): return choiceKey(key, c)
        }
        let key1 = { (a: ConsoleAction) in self.keyMap.keys(of: a).split(separator: " ").first.map(String.init) ?? ":\(a.rawValue)" }
        if case .paste = key {
            say("a paste is text: open a reply (\(key1(.reply))), the filter (\(key1(.filter))) or the command line (\(key1(.command))) first", error: true)
            return .none
        }
        if key == .escape {
            if !list.filter.isEmpty { setFilter("") } else if !marked.isEmpty { marked = [] } else if detailOpen { detailOpen = false }
            return .none
        }
        guard let b = keyMap.binding(for: key, in: detailTicket != nil ? .detail : .queue) else {
            if case .char(let c) = key, !c.isWhitespace { say("\(c) does nothing here; \(key1(.help)) lists the keys") }
            return .none
        }
        if b.action == .queue, case .char(let c) = key, let n = c.wholeNumberValue {
            setQueue([nil, .email, .call, .chat][max(0, min(3, n - 1))])
            return .none
        }
        return run(b.action, argument: nil)
    }

    /// Runs an action from a key (argument nil) or the command line (argument given).
    public func run(_ action: ConsoleAction, argument: String?) -> Outcome {
        guard keyMap.contains(action) else {
            say("\(action.rawValue) is not available here", error: true)
            return .none
        }
        let arg = argument?.trimmingCharacters(in: .whitespaces)
        let hasArg = !(arg ?? "").isEmpty
        switch action {
        case .down: moveTo(cursor + 1)
        case .up: moveTo(cursor - 1)
        case .top: moveTo(0)
        case .bottom: moveTo(list.ids.count - 1)
        case .pageDown: moveTo(cursor + pageSize); scrollTop = min(max(0, list.ids.count - pageSize), max(scrollTop, cursor - pageSize + 1))
        case .pageUp: moveTo(cursor - pageSize)
        case .halfDown: moveTo(cursor + max(1, pageSize / 2))
        case .halfUp: moveTo(cursor - max(1, pageSize / 2))
        case .nextQueue:
            let all = Self.queues
            setQueue(all[((all.firstIndex(of: list.channel) ?? 0) + 1) % all.count])
        case .queue:
            let names = Self.queues.map { $0?.rawValue ?? "all" }
            guard let a = arg?.lowercased(), let i = names.firstIndex(of: a) else {
                say("queue: " + names.joined(separator: ", "), error: true); return .none
            }
            setQueue(Self.queues[i])
        case .open:
            if let s = selected { openDetail(s) }
        case .filter:
            if hasArg { setFilter(arg!) } else { mode = .filter(list.filter.source.isEmpty ? "" : list.filter.source + " ") }
        case .sort:
            if hasArg {
                guard let o = QueueOrder(rawValue: arg!.lowercased()) else {
                    say("sort: \(QueueOrder.allCases.map(\.rawValue).joined(separator: ", "))", error: true); return .none
                }
                setOrder(o)
            } else { setOrder(list.order.next) }
        case .help: mode = .help(scroll: 0)
        case .messages: mode = .messages(scroll: max(0, messages.count * 3))  // opens at the newest
        case .command: mode = .command(""); completionChoices = []
        case .redraw: return .redraw
        case .back:
            if detailOpen { detailOpen = false } else { return .quit }
        case .unmark:
            say(marked.isEmpty ? "nothing is marked" : "\(marked.count) mark\(marked.count == 1 ? "" : "s") cleared")
            marked = []
        case .mark:
            guard let s = selected else { return .none }
            if marked.contains(s) { marked.remove(s) } else { marked.insert(s) }
            moveTo(cursor + 1)
        case .reply, .note:
            return startWriting(action == .reply ? .reply : .note, text: hasArg ? arg! : nil)
        case .canned:
            if hasArg {
                guard let c = desk.rules.canned(named: arg!) else {
                    say("no canned response '\(arg!)'; there are \(desk.cannedResponses.map(\.name).joined(separator: ", "))", error: true)
                    return .none
                }
                return startWriting(.reply, text: nil, canned: c.text)
            }
            guard !actionTargets.isEmpty else { return .none }
            mode = .picker(Picker(purpose: .canned(into: nil), title: "Canned response", items: cannedItems, targets: actionTargets))
        case .assign:
            guard let targets = permitted(.reassign, "reassign") else { return .none }
            if hasArg {
                let parts = arg!.split(separator: " ", maxSplits: 1).map(String.init)
                act(targets, verb: "reassigned") { .reassign($0, to: parts[0], reason: parts.count > 1 ? parts[1] : "") }
            } else {
                var items = desk.rules.agents.filter { $0.may(.reply) }.map { Picker.Item(value: $0.user, label: "\($0.name) (\($0.user))") }
                items += desk.rules.departments.map { Picker.Item(value: $0.name, label: "department \($0.name)") }
                items.append(Picker.Item(value: "none", label: "nobody (unassign)"))
                mode = .picker(Picker(purpose: .assign, title: "Reassign \(targetLabel(targets)) to", items: items, targets: targets, seen: versions(targets)))
            }
        case .claim:
            guard let targets = permitted(.claim, "claim") else { return .none }
            act(targets, verb: "claimed") { .claim($0) }
        case .next:
            pullNext()
        case .postpone:
            guard let targets = permitted(.postpone, "postpone") else { return .none }
            if hasArg { postpone(targets, until: arg!) } else {
                mode = .prompt(Prompt(purpose: .postpone, label: "Postpone \(targetLabel(targets)) until (2h, tomorrow 9:00, mon, 2026-12-01): ", targets: targets,
                                      seen: versions(targets)))
            }
        case .resolve:
            guard let targets = permitted(.resolve, "resolve") else { return .none }
            act(targets, verb: "resolved") { .resolve($0) }
        case .reopen:
            guard let targets = permitted(.reopen, "reopen") else { return .none }
            act(targets, verb: "reopened") { .reopen($0) }
        case .accept:
            guard let targets = permitted(.accept, "accept mail on") else { return .none }
            let waiting = targets.flatMap { state.awaiting(on: $0) }
            guard !waiting.isEmpty else { say("no mail from another sender waits on \(targetLabel(targets))", error: true); return .none }
            // Said before it is done: whose mail, into whose ticket (an agent once accepted mail unseen).
            let owner = targets.count == 1 ? state[targets[0]].map { "\($0.customer.name)'s" } ?? "the customer's" : "each customer's"
            // Each sender named in its own option: the flash line is cut on a narrow screen, the
            // options are what the agent reads. Several senders: accept one of them, or dismiss all.
            var bySender: [(address: String, shown: String)] = []
            for w in waiting {
                let address = Customer.address(inMailbox: w.record.sender)
                if !bySender.contains(where: { $0.address.lowercased() == address.lowercased() }) { bySender.append((address, w.record.sender)) }
            }
            var options: [(key: Character, label: String, answer: Choice.Answer)] = []
            if bySender.count == 1 {
                options.append(("a", "\(bySender[0].shown) is \(owner) (accept)", .acceptMail(targets, from: nil)))
            } else {
                for (i, s) in bySender.prefix(9).enumerated() {
                    options.append((Character(String(i + 1)), "\(s.shown) is \(owner)", .acceptMail(targets, from: s.address)))
                }
            }
            options.append(("d", "not \(owner) (dismiss\(bySender.count > 1 ? " all" : ""))", .dismissMail(targets)))
            options.append(("k", "keep waiting", .keepWaiting))
            mode = .choice(Choice(question: "\(waiting.count) mail\(waiting.count == 1 ? "" : "s") from another sender", options: options,
                                  onEscape: .keepWaiting))
        case .priority:
            guard let targets = permitted(.priority, "change the priority of") else { return .none }
            if hasArg {
                guard let p = Priority(name: arg!) else { say("priority: low, normal, high or urgent", error: true); return .none }
                act(targets, verb: "set to \(p.name)") { .setPriority($0, p) }
            } else {
                mode = .picker(Picker(purpose: .priority, title: "Priority of \(targetLabel(targets))",
                                      items: Priority.allCases.reversed().map { .init(value: $0.name, label: $0.name) }, targets: targets, seen: versions(targets)))
            }
        case .presence:
            guard hasArg, let p = Presence(rawValue: arg!.lowercased()) else {
                say("presence: available, away or offline", error: true)
                return .none
            }
            do {
                _ = try desk.perform(.setPresence(agent: nil, p), sawVersion: nil)
                absorb()
                say("you are \(p.rawValue)")
            } catch {
                say("\(error)", error: true)
            }
        case .tag:
            guard let targets = permitted(.tag, "tag") else { return .none }
            if hasArg { tag(targets, arg!) } else {
                mode = .prompt(Prompt(purpose: .tags, label: "Tags of \(targetLabel(targets)) (+add -remove): ", targets: targets, seen: versions(targets)))
            }
        case .attachment:
            guard let t = detailTicket ?? selectedTicket else { return .none }
            if hasArg { return openAttachment(t.id, Int(arg!.trimmingCharacters(in: .whitespaces)) ?? 0) }
            if t.attachments.count == 1 { return openAttachment(t.id, 1) }
            guard !t.attachments.isEmpty else { say("\(t.id) has no attachments", error: true); return .none }
            let items = t.attachments.enumerated().map { Picker.Item(value: String($0.offset + 1), label: "\($0.offset + 1) \($0.element.file.summary)") }
            mode = .picker(Picker(purpose: .attachment(t.id), title: "Open an attachment of \(t.id)", items: items, targets: [t.id]))
        case .save:
            guard let t = detailTicket ?? selectedTicket else { return .none }
            saveAttachment(t, arg ?? "")
        case .contact:
            guard let t = detailTicket ?? selectedTicket else { return .none }
            editContact(t, arg ?? "")
        case .scrollDown: page(.pageDown)
        case .scrollUp: page(.pageUp)
        case .lineDown: page(.lineDown)
        case .lineUp: page(.lineUp)
        case .previousMessage: page(.previousMessage)
        case .nextMessage: page(.nextMessage)
        case .conversationStart: page(.start)
        case .conversationEnd: page(.end)
        case .send, .newLine, .insertCanned, .leave, .cursorLeft, .cursorRight, .cursorUp, .cursorDown, .lineStart, .lineEnd,
             .deleteBack, .deleteForward, .deleteWord, .deleteLine:
            break  // the composer's keys: handled in its mode
        }
        return .none
    }

    func page(_ m: Pager.Move) {
        guard detailTicket != nil else { say("open a ticket first (Enter)", error: true); return }
        pager.move(m)
    }

    /// The view measures the detail pane's lines as it lays them out.
    public func measureDetail(height: Int, total: Int, messageStarts: [Int], anchor: Int) {
        pager.measure(height: height, total: total, messageStarts: messageStarts, anchor: anchor)
    }

    var cannedItems: [Picker.Item] { desk.cannedResponses.map { .init(value: $0.name, label: "\($0.name): \($0.text)") } }

    /// Marked tickets, else the selected one.
    var actionTargets: [TicketID] {
        if !marked.isEmpty { return list.ids.filter { marked.contains($0) } + marked.filter { !list.contains($0, in: state) }.sorted() }
        return selected.map { [$0] } ?? []
    }

    func targetLabel(_ targets: [TicketID]) -> String {
        if targets.count == 1 { return targets[0].description }
        let hidden = targets.filter { !list.contains($0, in: state) }.count
        return "\(targets.count) tickets" + (hidden > 0 ? " (\(hidden) not in this view)" : "")
    }

    func versions(_ ids: [TicketID]) -> [TicketID: UInt32] {
        Dictionary(uniqueKeysWithValues: ids.compactMap { id in state[id].map { (id, $0.version) } })
    }

    // MARK: Queue, filter, order

    func setQueue(_ c: Channel?) {
        list.channel = c
        rebuild()
        moveTo(0)
    }

    /// A new order shows the top of that order.
    func setOrder(_ o: QueueOrder) {
        list.reorder(o)
        scrollTop = 0
        moveTo(0)
        say("sorted by \(o.label)")
    }

    /// Lists seen while typing a filter, by query, so Backspace restores instead of rescanning.
    /// Valid only while nothing new arrived from the journal.
    private var typed: [String: QueueList.Saved] = [:]
    private var typedAtSeq: UInt64 = 0

    /// Applies the filter as typed; a longer query narrows the current list instead of rescanning.
    func setFilter(_ text: String) {
        do {
            let f = try TicketFilter.parse(text)
            if typedAtSeq != state.lastSeq || typed.count > 64 { typed = [:]; typedAtSeq = state.lastSeq }
            let key = { (source: String) in "\(self.list.order.rawValue)|\(self.list.channel?.rawValue ?? "all")|\(source)" }
            typed[key(list.filter.source)] = list.saved
            if let saved = typed[key(f.source)], !list.filter.isEmpty {
                list.restore(filter: f, saved)
                reselect(keepingScreenRow: cursor - scrollTop)
            } else if !list.filter.isEmpty && f.narrows(list.filter) {
                list.narrow(to: f, state, context)
                reselect(keepingScreenRow: cursor - scrollTop)
            } else {
                list.filter = f
                rebuild()
            }
            if flash?.error == true { flash = nil }
        } catch {
            // Shown while typing; not kept for M (every keystroke of a half-typed term would be).
            flash = ("\(error)", true, context.now)
        }
    }
}
