import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// The console's state and behaviour, without a terminal: keys in, journal actions out, and
/// everything the view draws. Tests drive it directly.
public final class ConsoleController {
    public let desk: ConsoleDesk
    public let keyMap: KeyMap
    public private(set) var context: ViewContext
    public private(set) var list = QueueList()
    public private(set) var cursor = 0
    public private(set) var scrollTop = 0
    public private(set) var selected: TicketID?
    public private(set) var detailOpen = false
    public var detailScroll = 0
    public private(set) var marked: Set<TicketID> = []
    public private(set) var mode: Mode = .normal
    public private(set) var flash: (text: String, error: Bool, at: Instant)?
    public private(set) var waiting: [Channel: Int] = [:]
    public private(set) var lastRebuild = Instant(ms: 0)
    /// Why the journal cannot be followed right now (damage, replaced file), or nil while live.
    public private(set) var journalProblem: String?
    /// Rows the list shows; set by the view from the layout.
    public var pageSize = 20

    public init(desk: ConsoleDesk, keyMap: KeyMap = .agent) {
        self.desk = desk
        self.keyMap = keyMap
        context = ViewContext(now: desk.clock(), me: desk.actor.user, rules: desk.rules)
        rebuild()
        countWaiting()
    }

    public var state: DeskState { desk.state }
    public var now: Instant { context.now }
    public var rows: [TicketID] { list.ids }
    public var selectedTicket: Ticket? { selected.flatMap { state[$0] } }
    public var queue: Channel? { list.channel }
    public var order: QueueOrder { list.order }
    public var filterText: String { list.filter.source }

    // MARK: Time and the journal

    /// Moves the clock. Membership can change with time (postponed tickets wake, SLA states turn),
    /// so the list is rebuilt now and then; rows always show the state at `now`.
    public func tick(_ now: Instant) {
        context.now = now
        let every: Millis = state.count > 50_000 ? .seconds(30) : .seconds(5)
        if now - lastRebuild >= every {
            rebuild()
            countWaiting()
        }
    }

    /// Folds in other agents' (and our own) appends, keeping the selection and scroll position.
    @discardableResult
    public func absorb() -> [StoredEvent] {
        let events: [StoredEvent]
        let before: [TicketID: Ticket]
        do { (events, before) = try desk.absorb() } catch {
            if journalProblem == nil { say("journal: \(error)", error: true) }
            journalProblem = "\(error)"
            return []
        }
        journalProblem = nil
        guard !events.isEmpty else { return [] }
        let screenRow = cursor - scrollTop
        let changed = Set(events.map(\.event.ticket))
        list.update(changed, state, context)
        // Waiting counts move by what the touched tickets contributed before and after.
        for id in changed {
            if let old = before[id], context.status(old).isWaitingForDesk { waiting[old.channel, default: 0] -= 1 }
            if let new = state[id], context.status(new).isWaitingForDesk { waiting[new.channel, default: 0] += 1 }
        }
        reselect(keepingScreenRow: screenRow)
        if detailOpen, let sel = selected,
           let e = events.last(where: { $0.event.ticket == sel && $0.event.actor != desk.actor.user }) {
            say("\(e.event.actor) \(ConsoleController.describe(e.event.kind)) \(sel) just now")
        }
        return events
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

    /// The header's queue counts: the same definition of waiting as `stats` and the wall.
    func countWaiting() {
        waiting = DeskTrend.counts(state, at: context.now, autoCloseAfter: desk.rules.autoCloseAfter, scope: .all).waiting
    }

    /// Finds the selected ticket again after the list changed; keeps it on the same screen row.
    func reselect(keepingScreenRow row: Int) {
        if let sel = selected, let i = list.ids.firstIndex(of: sel) {
            cursor = i
        } else {
            cursor = min(cursor, max(0, list.ids.count - 1))
            selected = list.ids.isEmpty ? nil : list.ids[cursor]
        }
        scrollTop = max(0, min(cursor - max(0, min(row, pageSize - 1)), max(0, list.ids.count - pageSize)))
        clampScroll()
    }

    func clampScroll() {
        if cursor < scrollTop { scrollTop = cursor }
        if cursor >= scrollTop + pageSize { scrollTop = cursor - pageSize + 1 }
        scrollTop = max(0, scrollTop)
    }

    func moveTo(_ i: Int) {
        guard !list.ids.isEmpty else { cursor = 0; selected = nil; return }
        cursor = max(0, min(list.ids.count - 1, i))
        selected = list.ids[cursor]
        detailScroll = 0
        clampScroll()
    }

    public func say(_ text: String, error: Bool = false) { flash = (text, error, context.now) }

    // MARK: Keys

    public func handle(_ key: Key) -> Outcome {
        if key == .resize { return .redraw }
        switch mode {
        case .normal: break
        case .help:
            mode = .normal
            return .none
        case .filter(let text): return filterKey(key, text)
        case .command(let text): return commandKey(key, text)
        case .prompt(let p): return promptKey(key, p)
        case .picker(let p): return pickerKey(key, p)
        case .composer(let c): return composerKey(key, c)
        }
        if key == .escape {
            if !list.filter.isEmpty { setFilter("") } else if !marked.isEmpty { marked = [] } else if detailOpen { detailOpen = false }
            return .none
        }
        guard let b = keyMap.binding(for: key) else { return .none }
        if b.action == .queue, case .char(let c) = key, let n = c.wholeNumberValue {
            setQueue([nil, .email, .call, .chat][max(0, min(3, n - 1))])
            return .none
        }
        return run(b.action, argument: nil)
    }

    /// Runs an action from a key (argument nil) or the command line (argument given).
    public func run(_ action: Action, argument: String?) -> Outcome {
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
            let all: [Channel?] = [nil, .email, .call, .chat]
            setQueue(all[((all.firstIndex(of: list.channel) ?? 0) + 1) % 4])
        case .queue:
            guard let a = arg?.lowercased(), let q = ["all": Channel?.none, "email": .email, "call": .call, "chat": .chat][a] else {
                say("queue: all, email, call or chat", error: true); return .none
            }
            setQueue(q)
        case .open:
            if selected != nil { detailOpen = true; detailScroll = 0 }
        case .filter:
            if hasArg { setFilter(arg!) } else { mode = .filter(list.filter.source) }
        case .sort:
            if hasArg {
                guard let o = QueueOrder(rawValue: arg!.lowercased()) else {
                    say("sort: \(QueueOrder.allCases.map(\.rawValue).joined(separator: ", "))", error: true); return .none
                }
                setOrder(o)
            } else { setOrder(list.order.next) }
        case .help: mode = .help
        case .command: mode = .command("")
        case .redraw: return .redraw
        case .layout, .pause: break  // wall keys; never in the console's map (guarded above)
        case .back:
            if detailOpen { detailOpen = false } else { return .quit }
        case .mark:
            guard let s = selected else { return .none }
            if marked.contains(s) { marked.remove(s) } else { marked.insert(s) }
            moveTo(cursor + 1)
        case .reply, .note:
            guard let t = selectedTicket else { return .none }
            if hasArg {
                act([t.id]) { action == .reply ? .reply($0, body: arg!) : .note($0, body: arg!) }
            } else if action == .reply && t.channel == .chat {
                mode = .composer(Composer(ticket: t.id, version: t.version))
            } else {
                return .edit(EditRequest(kind: action == .reply ? .reply : .note, ticket: t.id, version: t.version, initialText: ""))
            }
        case .canned:
            guard let t = selectedTicket else { return .none }
            if hasArg {
                guard let c = desk.rules.canned(named: arg!) else {
                    say("no canned response '\(arg!)'; there are \(desk.cannedResponses.map(\.name).joined(separator: ", "))", error: true)
                    return .none
                }
                if t.channel == .chat { mode = .composer(Composer(ticket: t.id, version: t.version, text: c.text)) }
                else { return .edit(EditRequest(kind: .reply, ticket: t.id, version: t.version, initialText: c.text)) }
            } else {
                mode = .picker(Picker(purpose: .canned(into: nil), title: "Canned response", items: cannedItems, targets: [t.id]))
            }
        case .assign:
            let targets = actionTargets
            guard !targets.isEmpty else { return .none }
            if hasArg {
                let parts = arg!.split(separator: " ", maxSplits: 1).map(String.init)
                act(targets) { .reassign($0, to: parts[0], reason: parts.count > 1 ? parts[1] : "") }
            } else {
                var items = desk.rules.agents.filter { $0.may(.reply) }.map { Picker.Item(value: $0.user, label: "\($0.name) (\($0.user))") }
                items += desk.rules.departments.map { Picker.Item(value: $0.name, label: "department \($0.name)") }
                items.append(Picker.Item(value: "none", label: "nobody (unassign)"))
                mode = .picker(Picker(purpose: .assign, title: "Reassign \(targets.count == 1 ? targets[0].description : "\(targets.count) tickets") to", items: items, targets: targets))
            }
        case .claim:
            act(actionTargets) { .claim($0) }
        case .next:
            pullNext()
        case .postpone:
            let targets = actionTargets
            guard !targets.isEmpty else { return .none }
            if hasArg { postpone(targets, until: arg!) } else {
                mode = .prompt(Prompt(purpose: .postpone, label: "Postpone until (2h, tomorrow 9:00, mon, 2026-12-01): ", targets: targets))
            }
        case .resolve: act(actionTargets) { .resolve($0) }
        case .reopen: act(actionTargets) { .reopen($0) }
        case .priority:
            let targets = actionTargets
            guard !targets.isEmpty else { return .none }
            if hasArg {
                guard let p = Priority(name: arg!) else { say("priority: low, normal, high or urgent", error: true); return .none }
                act(targets) { .setPriority($0, p) }
            } else {
                mode = .picker(Picker(purpose: .priority, title: "Priority", items: Priority.allCases.reversed().map { .init(value: $0.name, label: $0.name) }, targets: targets))
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
            let targets = actionTargets
            guard !targets.isEmpty else { return .none }
            if hasArg { tag(targets, arg!) } else {
                mode = .prompt(Prompt(purpose: .tags, label: "Tags (+add -remove): ", targets: targets))
            }
        }
        return .none
    }

    var cannedItems: [Picker.Item] { desk.cannedResponses.map { .init(value: $0.name, label: "\($0.name): \($0.text)") } }

    /// Marked tickets, else the selected one.
    var actionTargets: [TicketID] {
        if !marked.isEmpty { return list.ids.filter { marked.contains($0) } + marked.filter { !list.ids.contains($0) } }
        return selected.map { [$0] } ?? []
    }

    /// Runs a command on each target at the version the agent is looking at; reports the outcome.
    func act(_ targets: [TicketID], _ make: (TicketID) -> Command) {
        var done = 0
        var problems: [String] = []
        for id in targets {
            let seen = state[id]?.version
            do {
                _ = try desk.perform(make(id), sawVersion: seen)
                done += 1
            } catch let e as JournalError {
                if case .stale = e { problems.append("\(e) — nothing was lost") } else { problems.append("\(e)") }
            } catch {
                problems.append("\(error)")
            }
        }
        marked = []
        absorb()
        if let p = problems.first {
            say(problems.count > 1 ? "\(p) (and \(problems.count - 1) more)" : p, error: true)
        } else if done > 0, let id = targets.first, let t = state[id] {
            say(targets.count == 1 ? "\(id): \(context.status(t).rawValue)" : "\(done) tickets updated")
        }
    }

    func postpone(_ targets: [TicketID], until text: String) {
        do {
            let when = try WhenParser.parse(text, now: context.now, calendar: desk.rules.calendar)
            act(targets) { .postpone($0, until: when) }
        } catch { say("\(error)", error: true) }
    }

    func tag(_ targets: [TicketID], _ text: String) {
        var add: [String] = [], remove: [String] = []
        for w in text.split(separator: " ") {
            if w.hasPrefix("-") { remove.append(String(w.dropFirst())) } else { add.append(String(w.hasPrefix("+") ? w.dropFirst() : w)) }
        }
        act(targets) { .tag($0, add: add, remove: remove) }
    }

    /// Claims the first unassigned ticket waiting for the desk, in the current order.
    func pullNext() {
        guard let id = list.ids.first(where: { id in
            guard let t = state[id] else { return false }
            return t.assignee == nil && context.status(t).isWaitingForDesk
        }) else { say("nothing unassigned is waiting in this queue"); return }
        act([id]) { .claim($0) }
        if let i = list.ids.firstIndex(of: id) { moveTo(i) }
        detailOpen = true
    }

    /// Called by the app after the editor closed.
    public func finishEdit(_ r: EditRequest, text: String) {
        let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty else { say("cancelled: the \(r.kind == .reply ? "reply" : "note") was empty"); return }
        do {
            _ = try desk.perform(r.kind == .reply ? .reply(r.ticket, body: body) : .note(r.ticket, body: body), sawVersion: r.version)
            absorb()
            say("\(r.ticket): \(r.kind == .reply ? "reply sent" : "note added")")
        } catch {
            absorb()
            say("\(error) — your text is kept in the editor file", error: true)
        }
    }

    // MARK: Queue, filter, order

    func setQueue(_ c: Channel?) {
        list.channel = c
        rebuild()
        moveTo(0)
    }

    func setOrder(_ o: QueueOrder) {
        let screenRow = cursor - scrollTop
        list.reorder(o)
        reselect(keepingScreenRow: screenRow)
        say("sorted by \(o.label)")
    }

    /// Lists seen while typing a filter, by query, so Backspace restores instead of rescanning.
    /// Valid only while nothing new arrived from the journal.
    private var typed: [String: [SortFields]] = [:]
    private var typedAtSeq: UInt64 = 0

    /// Applies the filter as typed; a longer query narrows the current list instead of rescanning.
    func setFilter(_ text: String) {
        do {
            let f = try TicketFilter.parse(text)
            if typedAtSeq != state.lastSeq || typed.count > 64 { typed = [:]; typedAtSeq = state.lastSeq }
            let key = { (source: String) in "\(self.list.order.rawValue)|\(self.list.channel?.rawValue ?? "all")|\(source)" }
            typed[key(list.filter.source)] = list.savedRows
            if let rows = typed[key(f.source)], !list.filter.isEmpty {
                list.restore(filter: f, rows: rows)
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
            say("\(error)", error: true)
        }
    }

    // MARK: Input modes

    func filterKey(_ key: Key, _ text: String) -> Outcome {
        switch key {
        case .escape: mode = .normal; setFilter("")
        case .enter: mode = .normal
        case .backspace:
            let t = String(text.dropLast())
            mode = .filter(t)
            setFilter(t)
        case .char(let c):
            let t = text + String(c)
            mode = .filter(t)
            setFilter(t)
        case .down, .up: return handleInNormal(key)
        default: break
        }
        return .none
    }

    func handleInNormal(_ key: Key) -> Outcome {
        let saved = mode
        mode = .normal
        let r = handle(key)
        mode = saved
        return r
    }

    public static func completions(_ text: String, keyMap: KeyMap, desk: ConsoleDesk) -> [String] {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if parts.count <= 1 {
            return keyMap.bindings.map(\.action.rawValue).filter { $0.hasPrefix(text.lowercased()) }
        }
        let word = parts.last!.lowercased()
        let head = parts.dropLast().joined(separator: " ") + " "
        let options: [String]
        switch keyMap.binding(named: parts[0])?.action {
        case .assign?: options = desk.rules.agents.filter { $0.may(.reply) }.map(\.user) + desk.rules.departments.map(\.name) + ["none"]
        case .sort?: options = QueueOrder.allCases.map(\.rawValue)
        case .queue?: options = ["all", "email", "call", "chat"]
        case .priority?: options = Priority.allCases.map(\.name)
        case .canned?: options = desk.cannedResponses.map(\.name)
        case .presence?: options = Presence.allCases.map(\.rawValue)
        case .filter?: options = TicketFilter.fields.map { $0 + ":" }
        default: options = []
        }
        return options.filter { $0.lowercased().hasPrefix(word) }.map { head + $0 }
    }

    func commandKey(_ key: Key, _ text: String) -> Outcome {
        switch key {
        case .escape: mode = .normal
        case .backspace: if text.isEmpty { mode = .normal } else { mode = .command(String(text.dropLast())) }
        case .tab:
            let options = ConsoleController.completions(text, keyMap: keyMap, desk: desk)
            if options.count == 1 { mode = .command(options[0] + " ") }
            else if let p = commonPrefix(options), p.count > text.count { mode = .command(p) }
            else if !options.isEmpty { say(options.map { $0.split(separator: " ").last.map(String.init) ?? $0 }.joined(separator: "  ")) }
        case .char(let c): mode = .command(text + String(c))
        case .enter:
            mode = .normal
            let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
            guard let name = parts.first else { return .none }
            guard let b = keyMap.binding(named: name) else { say("unknown command '\(name)'; ? lists them", error: true); return .none }
            return run(b.action, argument: parts.count > 1 ? parts[1] : (b.arguments == nil ? nil : ""))
        default: break
        }
        return .none
    }

    func commonPrefix(_ list: [String]) -> String? {
        guard var p = list.first else { return nil }
        for s in list.dropFirst() { while !s.hasPrefix(p) { p.removeLast() } }
        return p
    }

    func promptKey(_ key: Key, _ prompt: Prompt) -> Outcome {
        var p = prompt
        switch key {
        case .escape: mode = .normal; say("cancelled")
        case .backspace: p.text = String(p.text.dropLast()); mode = .prompt(p)
        case .char(let c): p.text.append(c); mode = .prompt(p)
        case .enter:
            mode = .normal
            switch p.purpose {
            case .postpone: postpone(p.targets, until: p.text)
            case .tags: tag(p.targets, p.text)
            case .reason(let to): act(p.targets) { .reassign($0, to: to, reason: p.text) }
            }
        default: break
        }
        return .none
    }

    func pickerKey(_ key: Key, _ picker: Picker) -> Outcome {
        var p = picker
        switch key {
        case .escape: mode = .normal; say("cancelled")
        case .down: p.selection = min(p.selection + 1, max(0, p.visible.count - 1)); mode = .picker(p)
        case .up: p.selection = max(0, p.selection - 1); mode = .picker(p)
        case .backspace: p.query = String(p.query.dropLast()); p.selection = 0; mode = .picker(p)
        case .char(let c): p.query.append(c); p.selection = 0; mode = .picker(p)
        case .enter:
            guard p.selection < p.visible.count else { return .none }
            let choice = p.visible[p.selection].value
            mode = .normal
            switch p.purpose {
            case .assign:
                mode = .prompt(Prompt(purpose: .reason(to: choice), label: "Reason (optional, Enter to skip): ", targets: p.targets))
            case .priority:
                if let pr = Priority(name: choice) { act(p.targets) { .setPriority($0, pr) } }
            case .canned(let into):
                let text = desk.cannedResponses.first { $0.name == choice }?.text ?? ""
                if var c = into {
                    c.text += text
                    mode = .composer(c)
                } else if let t = p.targets.first.flatMap({ state[$0] }) {
                    if t.channel == .chat { mode = .composer(Composer(ticket: t.id, version: t.version, text: text)) }
                    else { return .edit(EditRequest(kind: .reply, ticket: t.id, version: t.version, initialText: text)) }
                }
            }
        default: break
        }
        return .none
    }

    func composerKey(_ key: Key, _ composer: Composer) -> Outcome {
        var c = composer
        switch key {
        case .escape: mode = .normal; say("reply discarded")
        case .altEnter: c.text.append("\n"); mode = .composer(c)
        case .backspace: c.text = String(c.text.dropLast()); mode = .composer(c)
        case .ctrl("t"): mode = .picker(Picker(purpose: .canned(into: c), title: "Insert canned response", items: cannedItems, targets: [c.ticket]))
        case .char(let ch): c.text.append(ch); mode = .composer(c)
        case .enter:
            let body = c.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !body.isEmpty else { return .none }
            mode = .normal
            do {
                _ = try desk.perform(.reply(c.ticket, body: body), sawVersion: c.version)
                absorb()
                say("\(c.ticket): reply sent")
            } catch {
                absorb()
                mode = .composer(c)  // keep the text; the agent can look again and resend
                say("\(error)", error: true)
            }
        default: break
        }
        return .none
    }
}
