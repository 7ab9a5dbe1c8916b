import QueueDeckDomain

/// What an import of many messages (a Maildir, an mbox) did, counted from each outcome.
public struct ImportTally: Sendable, Equatable {
    public var imported = 0, threaded = 0, duplicates = 0, flagged = 0, automatic = 0, awaiting = 0, ignored = 0
    /// Files that could not be read at all (not messages).
    public var failed = 0

    public init() {}

    public mutating func count(_ o: IntakeOutcome) {
        switch o.result {
        case .created, .linked: imported += 1
        case .threaded: threaded += 1
        case .attached, .held: automatic += 1
        case .awaiting: awaiting += 1
        case .duplicate: duplicates += 1
        case .ignored, .recorded: ignored += 1  // mail never yields a record without a ticket
        }
        if o.flagged { flagged += 1 }
    }

    public var summary: String {
        "imported \(imported) new tickets, threaded \(threaded) into existing ones, \(duplicates) duplicates skipped, "
            + "\(flagged) flagged unreadable, \(automatic) automatic (attached or held)"
            + (awaiting > 0 ? ", \(awaiting) from other senders awaiting an agent (qdeck accept)" : "")
            + (failed > 0 ? ", \(failed) unreadable files skipped" : "")
    }
}
