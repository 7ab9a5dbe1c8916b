import QueueDeckDomain

/// The journal as the rest of QueueDeck sees it. The file journal is the embedded default; a
/// database-backed journal (PostgreSQL with LISTEN/NOTIFY) would implement the same three calls.
public protocol EventJournal: AnyObject {
    /// Appends the events if every ticket is still at the expected version; returns them once durable.
    func append(_ events: [Event], expecting: [TicketID: UInt32]) throws(JournalError) -> [StoredEvent]
    /// Events stored since the last call, in sequence order (including this process's own appends).
    func readNew() throws(JournalError) -> [StoredEvent]
    /// The current version of a ticket as last read.
    func version(of ticket: TicketID) -> UInt32
}
