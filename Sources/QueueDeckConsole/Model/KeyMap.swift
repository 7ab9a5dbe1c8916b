/// What a key can do on a screen: named for the command line and the `keys:` file, listed whole so
/// each screen's switch over its actions is exhaustive. Each screen has one table of its actions
/// (`KeyMap.agent`, `KeyMap.wall`), which gives the keys, the help overlay and the command line.
public protocol ScreenAction: RawRepresentable<String>, Hashable, CaseIterable, Sendable {
    /// Other names the command line takes for an action (`:quit` for back).
    static var aliases: [String: Self] { get }
}

/// The agent console's actions.
public enum ConsoleAction: String, ScreenAction {
    case down, up, top, bottom, pageDown = "page-down", pageUp = "page-up", halfDown = "half-down", halfUp = "half-up"
    case nextQueue = "next-queue", queue
    case open, filter, sort, help, messages, command, back, mark, unmark, redraw
    case reply, note, assign, claim, next, postpone, resolve, reopen, priority, tag, canned
    case presence, accept, attachment, save, contact
    // The detail pane's pager.
    case scrollDown = "scroll-down", scrollUp = "scroll-up", lineDown = "line-down", lineUp = "line-up"
    case previousMessage = "previous-message", nextMessage = "next-message"
    case conversationStart = "conversation-start", conversationEnd = "conversation-end"
    // The chat composer's text field.
    case send, newLine = "new-line", insertCanned = "insert-canned", leave
    case cursorLeft = "cursor-left", cursorRight = "cursor-right", cursorUp = "cursor-up", cursorDown = "cursor-down"
    case lineStart = "line-start", lineEnd = "line-end"
    case deleteBack = "delete-back", deleteForward = "delete-forward", deleteWord = "delete-word", deleteLine = "delete-line"
}

extension ConsoleAction {
    public static let aliases: [String: ConsoleAction] = ["reassign": .assign, "quit": .back, "q": .back, "tags": .tag, "prio": .priority]
}

/// The wall's actions: none of them changes a ticket.
public enum WallAction: String, ScreenAction {
    case layout, pause, help, redraw, back

    public static let aliases: [String: WallAction] = ["quit": .back, "q": .back]
}

/// Where a key works: the queue (and everywhere outside a text field), the detail pane while a
/// ticket is open (its keys win there), the chat composer's text field.
public enum Scope: String, Sendable, CaseIterable {
    case queue, detail, composer

    public var title: String {
        switch self {
        case .queue: "Queue"
        case .detail: "Detail pane (a ticket is open)"
        case .composer: "Chat composer (typing a reply)"
        }
    }
}

public struct Binding<Action: ScreenAction>: Sendable {
    public var action: Action
    public var keys: [Key]
    public var summary: String
    /// What the command line takes after the name, shown in help (`AGENT|DEPT [reason]`).
    public var arguments: String?
    /// Changes tickets: absent from a read-only key map.
    public var mutating: Bool
    public var scope: Scope = .queue

    /// Runs from the command line too (`:name`); a text field's keys do not.
    public var onCommandLine: Bool { scope != .composer }
}

/// A screen's keys: one table gives the key map, the help overlay and the command line.
public struct KeyMap<Action: ScreenAction>: Sendable {
    public let bindings: [Binding<Action>]

    public init(bindings: [Binding<Action>]) { self.bindings = bindings }

    /// The same table without anything that changes tickets.
    public var readOnly: KeyMap { KeyMap(bindings: bindings.filter { !$0.mutating }) }

    /// The binding of a key in a scope; the detail pane's keys win over the queue's while it is open.
    public func binding(for key: Key, in scope: Scope = .queue) -> Binding<Action>? {
        if scope == .detail, let b = bindings.first(where: { $0.scope == .detail && $0.keys.contains(key) }) { return b }
        let wanted: Scope = scope == .composer ? .composer : .queue
        return bindings.first { $0.scope == wanted && $0.keys.contains(key) }
    }

    public func binding(named name: String) -> Binding<Action>? {
        let n = name.lowercased()
        let action = Action.aliases[n] ?? Action(rawValue: n)
        return bindings.first { $0.onCommandLine && $0.action == action }
    }
    public func contains(_ a: Action) -> Bool { bindings.contains { $0.action == a } }

    /// The keys of an action as help shows them.
    public func keys(of a: Action) -> String {
        bindings.first { $0.action == a }?.keys.map(\.description).joined(separator: " ") ?? ""
    }

    /// The same table with some actions on other keys (the user's `keys:` file). An action named
    /// gets exactly the keys given; any other action of the same scope loses those keys.
    public func remapped(_ overrides: [(action: Action, keys: [Key])]) -> KeyMap {
        var out = bindings
        for o in overrides {
            let scopes = Set(out.filter { $0.action == o.action }.map(\.scope))
            for i in out.indices {
                if out[i].action == o.action { out[i].keys = o.keys }
                else if scopes.contains(out[i].scope) {
                    out[i].keys.removeAll { o.keys.contains($0) }
                }
            }
        }
        return KeyMap(bindings: out)
    }
}

extension KeyMap where Action == ConsoleAction {
    /// The agent console's keys, in help order.
    public static let agent = KeyMap(bindings: [
        Binding(action: .down, keys: [.char("j"), .down], summary: "move down", mutating: false),
        Binding(action: .up, keys: [.char("k"), .up], summary: "move up", mutating: false),
        Binding(action: .top, keys: [.char("g"), .home], summary: "first ticket", mutating: false),
        Binding(action: .bottom, keys: [.char("G"), .end], summary: "last ticket", mutating: false),
        Binding(action: .pageDown, keys: [.pageDown], summary: "page down (the list)", mutating: false),
        Binding(action: .pageUp, keys: [.pageUp], summary: "page up (the list)", mutating: false),
        Binding(action: .halfDown, keys: [.ctrl("d")], summary: "half a page down", mutating: false),
        Binding(action: .halfUp, keys: [.ctrl("u")], summary: "half a page up", mutating: false),
        Binding(action: .nextQueue, keys: [.tab], summary: "next queue: all, email, call, chat", mutating: false),
        Binding(action: .queue, keys: [.char("1"), .char("2"), .char("3"), .char("4")], summary: "queue: 1 all, 2 email, 3 call, 4 chat",
                arguments: "all|email|call|chat", mutating: false),
        Binding(action: .open, keys: [.enter], summary: "open the ticket: the conversation at its newest message", mutating: false),
        Binding(action: .filter, keys: [.char("/")], summary: "live filter (words and field:value); Esc clears", arguments: "TERMS", mutating: false),
        Binding(action: .sort, keys: [.char("s")], summary: "cycle the order: fifo, sla, priority, value, easiest, waiting",
                arguments: "fifo|sla|priority|value|easiest|waiting", mutating: false),
        Binding(action: .mark, keys: [.char(" ")], summary: "mark; the next action applies to every marked ticket", mutating: false),
        Binding(action: .unmark, keys: [], summary: "clear every mark, in view or not (Esc does too, after the filter)", mutating: false),
        Binding(action: .reply, keys: [.char("r")], summary: "reply (editor; chat: inline composer); a kept draft reopens", arguments: "[TEXT]", mutating: true),
        Binding(action: .note, keys: [.char("n")], summary: "internal note (editor)", arguments: "[TEXT]", mutating: true),
        Binding(action: .assign, keys: [.char("a")], summary: "reassign to an agent or department", arguments: "AGENT|DEPT [REASON]", mutating: true),
        Binding(action: .claim, keys: [.char("c")], summary: "assign to me", mutating: true),
        Binding(action: .next, keys: [.char("N")], summary: "take the next waiting ticket of my departments", mutating: true),
        Binding(action: .postpone, keys: [.char("p")], summary: "postpone until (2h, tomorrow 9:00, mon, a date)", arguments: "WHEN", mutating: true),
        Binding(action: .resolve, keys: [.char("x")], summary: "resolve", mutating: true),
        Binding(action: .reopen, keys: [.char("X")], summary: "reopen", mutating: true),
        Binding(action: .accept, keys: [.char("A")], summary: "mail another sender wrote into the ticket (⚠): accept it as the customer's, or dismiss it (asks)", mutating: true),
        Binding(action: .attachment, keys: [.char("o")], summary: "open an attachment ($QDECK_OPEN, else xdg-open; asks which)", arguments: "[N]", mutating: false),
        Binding(action: .contact, keys: [], summary: "change the customer's contact card: group +vip -trial, name NAME, phone NUMBER, email ADDRESS (all their open tickets follow)",
                arguments: "group|name|phone|email VALUE", mutating: true),
        Binding(action: .save, keys: [], summary: "save attachment N (to PATH, a folder, or here under its own name)", arguments: "N [PATH]", mutating: false),
        Binding(action: .priority, keys: [.char("P")], summary: "set priority", arguments: "low|normal|high|urgent", mutating: true),
        Binding(action: .tag, keys: [.char("t")], summary: "add and remove tags (+tag -tag)", arguments: "+TAG -TAG", mutating: true),
        Binding(action: .canned, keys: [], summary: "reply with a canned response ({first_name} etc. filled)", arguments: "NAME", mutating: true),
        Binding(action: .presence, keys: [], summary: "set your availability (the wall shows it)", arguments: "available|away|offline", mutating: true),
        Binding(action: .help, keys: [.char("?")], summary: "this help", mutating: false),
        Binding(action: .messages, keys: [.char("M")], summary: "the last messages in full (the flash line cuts long ones)", mutating: false),
        Binding(action: .command, keys: [.char(":")], summary: "command line (Tab completes)", mutating: false),
        Binding(action: .redraw, keys: [.ctrl("l")], summary: "redraw the screen", mutating: false),
        Binding(action: .back, keys: [.char("q")], summary: "back: close the ticket; quit from the queue", mutating: false),

        Binding(action: .scrollDown, keys: [.pageDown, .ctrl("f")], summary: "scroll the conversation a page down", mutating: false, scope: .detail),
        Binding(action: .scrollUp, keys: [.pageUp, .ctrl("b")], summary: "scroll the conversation a page up", mutating: false, scope: .detail),
        Binding(action: .lineDown, keys: [.char("J")], summary: "scroll one line down", mutating: false, scope: .detail),
        Binding(action: .lineUp, keys: [.char("K")], summary: "scroll one line up", mutating: false, scope: .detail),
        Binding(action: .previousMessage, keys: [.char("[")], summary: "previous message", mutating: false, scope: .detail),
        Binding(action: .nextMessage, keys: [.char("]")], summary: "next message", mutating: false, scope: .detail),
        Binding(action: .conversationStart, keys: [.char("<")], summary: "start of the ticket (customer card, first message)", mutating: false, scope: .detail),
        Binding(action: .conversationEnd, keys: [.char(">")], summary: "newest message (and follow new ones)", mutating: false, scope: .detail),

        Binding(action: .send, keys: [.enter], summary: "send the reply", mutating: true, scope: .composer),
        Binding(action: .newLine, keys: [.altEnter], summary: "new line (a paste keeps its lines)", mutating: false, scope: .composer),
        Binding(action: .insertCanned, keys: [.ctrl("t")], summary: "insert a canned response at the cursor", mutating: false, scope: .composer),
        Binding(action: .leave, keys: [.escape], summary: "leave: discard or keep as draft (asks first)", mutating: false, scope: .composer),
        Binding(action: .cursorLeft, keys: [.left], summary: "cursor left", mutating: false, scope: .composer),
        Binding(action: .cursorRight, keys: [.right], summary: "cursor right", mutating: false, scope: .composer),
        Binding(action: .cursorUp, keys: [.up], summary: "cursor up a line", mutating: false, scope: .composer),
        Binding(action: .cursorDown, keys: [.down], summary: "cursor down a line", mutating: false, scope: .composer),
        Binding(action: .lineStart, keys: [.home, .ctrl("a")], summary: "start of the line", mutating: false, scope: .composer),
        Binding(action: .lineEnd, keys: [.end, .ctrl("e")], summary: "end of the line", mutating: false, scope: .composer),
        Binding(action: .deleteBack, keys: [.backspace], summary: "delete the character before the cursor", mutating: false, scope: .composer),
        Binding(action: .deleteForward, keys: [.delete], summary: "delete the character under the cursor", mutating: false, scope: .composer),
        Binding(action: .deleteWord, keys: [.ctrl("w")], summary: "delete the word before the cursor", mutating: false, scope: .composer),
        Binding(action: .deleteLine, keys: [.ctrl("u")], summary: "delete to the start of the line", mutating: false, scope: .composer),
    ])
}

extension KeyMap where Action == WallAction {
    /// The wall's keys: read-only, so nothing there changes a ticket.
    public static let wall = KeyMap(bindings: [
        Binding(action: .layout, keys: [.char("l"), .tab], summary: "next board layout: overview, channels, agents, backlog", mutating: false),
        Binding(action: .pause, keys: [.char("p"), .char(" ")], summary: "pause / resume (live updates or replay)", mutating: false),
        Binding(action: .help, keys: [.char("?")], summary: "this help", mutating: false),
        Binding(action: .redraw, keys: [.ctrl("l")], summary: "redraw the screen", mutating: false),
        Binding(action: .back, keys: [.char("q")], summary: "quit", mutating: false),
    ])
}
