import QueueDeckJournal

/// How the console's and the wall's journal is doing, as their headers say it: live, waiting for a
/// database that went away (actions are refused meanwhile, drafts kept, and the next read catches
/// up), or unreadable (damage; someone must act).
public enum JournalHealth: Equatable {
    case live
    case reconnecting(String)
    case unreadable(String)

    /// What a failed read means for the screen.
    public init(_ error: any Error) {
        if let e = error as? JournalError, case .unreachable = e {
            self = .reconnecting("\(e)")
        } else {
            self = .unreadable("\(error)")
        }
    }

    public var isLive: Bool { self == .live }

    /// The problem in words, nil while live.
    public var problem: String? {
        switch self {
        case .live: nil
        case .reconnecting(let why), .unreadable(let why): why
        }
    }

    /// The header's word for it.
    public var label: String {
        switch self {
        case .live: "● live"
        case .reconnecting: "◌ reconnecting"
        case .unreadable: "✖ journal unreadable"
        }
    }
}
