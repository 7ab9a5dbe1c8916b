import QueueDeckDomain

/// A one-line question at the bottom (postpone until, tags, reason).
public struct Prompt: Sendable {
    public enum Purpose: Sendable { case postpone, tags, reason(to: String) }
    public var purpose: Purpose
    public var label: String
    public var text: String = ""
    public var targets: [TicketID]
    /// The versions the agent was looking at when asked: a change meanwhile refuses the action.
    public var seen: [TicketID: UInt32] = [:]
}

/// A list to choose from with type-ahead (reassign, priority, canned responses).
public struct Picker: Sendable {
    public enum Purpose: Sendable { case assign, priority, canned(into: Composer?), attachment(TicketID) }
    public struct Item: Sendable { public var value: String; public var label: String }
    public var purpose: Purpose
    public var title: String
    public var items: [Item]
    public var query = ""
    public var selection = 0
    public var targets: [TicketID]
    /// The versions the agent was looking at when asked: a change meanwhile refuses the action.
    public var seen: [TicketID: UInt32] = [:]

    public var visible: [Item] {
        guard !query.isEmpty else { return items }
        let q = TicketFilter.fold(query)
        return items.filter { TicketFilter.fold($0.label).contains(q) || TicketFilter.fold($0.value).contains(q) }
    }
}

/// The inline chat composer: a text field on one ticket; `seen` is how much of the conversation
/// the agent had seen when they started (or last looked), to tell them when the customer wrote.
public struct Composer: Sendable {
    public var ticket: TicketID
    public var field: TextField
    public var seen: Int
    /// Said in the composer's own frame, where the agent is looking (a refusal, the customer wrote).
    public var notice: String?

    public init(ticket: TicketID, text: String = "", seen: Int) {
        self.ticket = ticket
        field = TextField(text)
        self.seen = seen
    }
}

/// A reply or note written but not sent because something needs the agent's decision.
public struct PendingText: Sendable, Equatable {
    public var kind: EditRequest.Kind
    public var tickets: [TicketID]
    public var body: String
}

/// A question answered with one key.
public struct Choice: Sendable {
    public enum Answer: Sendable {
        case sendAnyway(PendingText), editAgain(PendingText), keepDraft(PendingText)
        case send(PendingText, seen: [TicketID: Int]), discardDraft(PendingText)
        case discardComposer(Composer), keepComposer(Composer), backToComposer(Composer)
        case acceptMail([TicketID], from: String?), dismissMail([TicketID]), keepWaiting
    }
    public var question: String
    public var options: [(key: Character, label: String, answer: Answer)]
    /// What Esc does.
    public var onEscape: Answer
}

/// What the text input at the bottom is doing.
public enum Mode: Sendable {
    case normal
    case filter(String)
    case command(String)
    case prompt(Prompt)
    case picker(Picker)
    case composer(Composer)
    case choice(Choice)
    case help(scroll: Int)
    case messages(scroll: Int)
}

/// Work the app loop must do outside the controller.
public enum Outcome: Sendable, Equatable {
    case none
    case quit
    case redraw
    case edit(EditRequest)
    case open(OpenRequest)
}

/// An attachment to show with the agent's viewer (curses suspended, as for the editor).
public struct OpenRequest: Sendable, Equatable {
    public var ticket: TicketID
    public var number: Int
    public var file: AttachmentRef
}

/// A reply or note to write in the editor: the file to start from and what the agent had seen.
public struct EditRequest: Sendable, Equatable {
    public enum Kind: String, Sendable { case reply, note }
    public var kind: Kind
    public var tickets: [TicketID]
    /// The whole file the editor opens: text, then the comment block.
    public var file: String
    /// The conversation marks of the tickets when the agent started (customer messages and other
    /// agents' replies seen).
    public var seen: [TicketID: Int]
    /// The text came from a kept draft.
    public var fromDraft: Bool
    /// The file started with text to send (a draft, a canned response): saving it unchanged sends
    /// it. A fresh reply saved with nothing written (only the quote) is cancelled instead.
    public var startsWithText: Bool

    public var ticket: TicketID { tickets[0] }
}
