import QueueDeckDomain

/// The events of a journal: append with expected versions, read what is new. `DeskJournal` adds
/// what a desk needs around them; the file journal is the embedded default.
public protocol EventJournal: AnyObject {
    /// Appends the events if every ticket is still at the expected version; returns them once durable.
    @discardableResult
    func append(_ events: [Event], expecting: [TicketID: UInt32]) throws(JournalError) -> [StoredEvent]
    /// Events stored since the last call, in sequence order (including this process's own appends).
    func readNew() throws(JournalError) -> [StoredEvent]
    /// The current version of a ticket as last read.
    func version(of ticket: TicketID) -> UInt32
}
