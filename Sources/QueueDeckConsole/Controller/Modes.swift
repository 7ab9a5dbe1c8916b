import QueueDeckDomain

/// A one-line question at the bottom (postpone until, tags, reason).
public struct Prompt: Sendable {
    public enum Purpose: Sendable { case postpone, tags, reason(to: String) }
    public var purpose: Purpose
    public var label: String
    public var text: String = ""
    public var targets: [TicketID]
}

/// A list to choose from with type-ahead (reassign, priority, canned responses).
public struct Picker: Sendable {
    public enum Purpose: Sendable { case assign, priority, canned(into: Composer?) }
    public struct Item: Sendable { public var value: String; public var label: String }
    public var purpose: Purpose
    public var title: String
    public var items: [Item]
    public var query = ""
    public var selection = 0
    public var targets: [TicketID]

    public var visible: [Item] {
        guard !query.isEmpty else { return items }
        let q = TicketFilter.fold(query)
        return items.filter { TicketFilter.fold($0.label).contains(q) || TicketFilter.fold($0.value).contains(q) }
    }
}

/// The inline chat composer: Enter sends, Alt-Enter starts a new line.
public struct Composer: Sendable {
    public var ticket: TicketID
    public var version: UInt32
    public var text = ""
}

/// What the text input at the bottom is doing.
public enum Mode: Sendable {
    case normal
    case filter(String)
    case command(String)
    case prompt(Prompt)
    case picker(Picker)
    case composer(Composer)
    case help
}

/// Work the app loop must do outside the controller.
public enum Outcome: Sendable, Equatable {
    case none
    case quit
    case redraw
    case edit(EditRequest)
}

public struct EditRequest: Sendable, Equatable {
    public enum Kind: Sendable { case reply, note }
    public var kind: Kind
    public var ticket: TicketID
    public var version: UInt32
    public var initialText: String
}
