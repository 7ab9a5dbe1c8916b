/// Every console action is a named command. This one table gives the keys, the help overlay and the
/// command line (`:name args`); a read-only key map (the wall) simply leaves the mutating ones out.
public enum Action: String, CaseIterable, Sendable {
    case down, up, top, bottom, pageDown = "page-down", pageUp = "page-up", halfDown = "half-down", halfUp = "half-up"
    case nextQueue = "next-queue", queue
    case open, filter, sort, help, command, back, mark, redraw
    case reply, note, assign, claim, next, postpone, resolve, reopen, priority, tag, canned
    case presence
    case layout, pause
}

/// Which screen a binding belongs to.
public enum Surface: Sendable {
    case console, wall, both
}

public struct Binding: Sendable {
    public var action: Action
    public var keys: [Key]
    public var summary: String
    /// What the command line takes after the name, shown in help (`AGENT|DEPT [reason]`).
    public var arguments: String?
    /// Changes tickets: absent from a read-only key map.
    public var mutating: Bool
    public var surface: Surface = .console
}

public struct KeyMap: Sendable {
    public let bindings: [Binding]

    /// The agent console's keys.
    public static let agent = KeyMap(bindings: table.filter { $0.surface != .wall })
    /// The wall's keys: the same table, its own entries, nothing that changes tickets.
    public static let wall = KeyMap(bindings: table.filter { $0.surface != .console }).readOnly

    /// Every key of every screen, in help order.
    static let table: [Binding] = [
        Binding(action: .down, keys: [.char("j"), .down], summary: "move down", mutating: false),
        Binding(action: .up, keys: [.char("k"), .up], summary: "move up", mutating: false),
        Binding(action: .top, keys: [.char("g"), .home], summary: "first ticket", mutating: false),
        Binding(action: .bottom, keys: [.char("G"), .end], summary: "last ticket", mutating: false),
        Binding(action: .pageDown, keys: [.pageDown], summary: "page down", mutating: false),
        Binding(action: .pageUp, keys: [.pageUp], summary: "page up", mutating: false),
        Binding(action: .halfDown, keys: [.ctrl("d")], summary: "half a page down", mutating: false),
        Binding(action: .halfUp, keys: [.ctrl("u")], summary: "half a page up", mutating: false),
        Binding(action: .nextQueue, keys: [.tab], summary: "next queue: all, email, call, chat", mutating: false),
        Binding(action: .queue, keys: [.char("1"), .char("2"), .char("3"), .char("4")], summary: "queue: 1 all, 2 email, 3 call, 4 chat",
                arguments: "all|email|call|chat", mutating: false),
        Binding(action: .open, keys: [.enter], summary: "open the ticket in the detail pane", mutating: false),
        Binding(action: .filter, keys: [.char("/")], summary: "live filter (words and field:value); Esc clears", arguments: "TERMS", mutating: false),
        Binding(action: .sort, keys: [.char("s")], summary: "cycle the order: fifo, sla, priority, value, easiest, waiting",
                arguments: "fifo|sla|priority|value|easiest|waiting", mutating: false),
        Binding(action: .mark, keys: [.char(" ")], summary: "mark; the next action applies to all marked", mutating: false),
        Binding(action: .reply, keys: [.char("r")], summary: "reply (editor; chat: inline composer)", arguments: "[TEXT]", mutating: true),
        Binding(action: .note, keys: [.char("n")], summary: "internal note (editor)", arguments: "[TEXT]", mutating: true),
        Binding(action: .assign, keys: [.char("a")], summary: "reassign to an agent or department", arguments: "AGENT|DEPT [REASON]", mutating: true),
        Binding(action: .claim, keys: [.char("c")], summary: "assign to me", mutating: true),
        Binding(action: .next, keys: [.char("N")], summary: "pull the next waiting ticket and assign it to me", mutating: true),
        Binding(action: .postpone, keys: [.char("p")], summary: "postpone until (2h, tomorrow 9:00, mon, a date)", arguments: "WHEN", mutating: true),
        Binding(action: .resolve, keys: [.char("x")], summary: "resolve", mutating: true),
        Binding(action: .reopen, keys: [.char("X")], summary: "reopen", mutating: true),
        Binding(action: .priority, keys: [.char("P")], summary: "set priority", arguments: "low|normal|high|urgent", mutating: true),
        Binding(action: .tag, keys: [.char("t")], summary: "add and remove tags (+tag -tag)", arguments: "+TAG -TAG", mutating: true),
        Binding(action: .canned, keys: [], summary: "reply with a canned response", arguments: "NAME", mutating: true),
        Binding(action: .presence, keys: [], summary: "set your availability (the wall shows it)", arguments: "available|away|offline", mutating: true),
        Binding(action: .layout, keys: [.char("l"), .tab], summary: "next board layout: overview, channels, agents, backlog", mutating: false, surface: .wall),
        Binding(action: .pause, keys: [.char("p"), .char(" ")], summary: "pause / resume (live updates or replay)", mutating: false, surface: .wall),
        Binding(action: .help, keys: [.char("?")], summary: "this help", mutating: false, surface: .both),
        Binding(action: .command, keys: [.char(":")], summary: "command line (Tab completes)", mutating: false),
        Binding(action: .redraw, keys: [.ctrl("l")], summary: "redraw the screen", mutating: false, surface: .both),
        Binding(action: .back, keys: [.char("q")], summary: "back; quit from the queue", arguments: nil, mutating: false, surface: .console),
        Binding(action: .back, keys: [.char("q")], summary: "quit", arguments: nil, mutating: false, surface: .wall),
    ]

    /// The same table without anything that changes tickets.
    public var readOnly: KeyMap { KeyMap(bindings: bindings.filter { !$0.mutating }) }

    public func binding(for key: Key) -> Binding? { bindings.first { $0.keys.contains(key) } }
    public func binding(named name: String) -> Binding? {
        let n = name.lowercased()
        let aliases = ["reassign": "assign", "quit": "back", "q": "back", "tags": "tag", "prio": "priority"]
        return bindings.first { $0.action.rawValue == (aliases[n] ?? n) }
    }
    public func contains(_ a: Action) -> Bool { bindings.contains { $0.action == a } }

    /// The keys of an action as help shows them.
    public func keys(of a: Action) -> String {
        bindings.first { $0.action == a }?.keys.map(\.description).joined(separator: " ") ?? ""
    }
}
