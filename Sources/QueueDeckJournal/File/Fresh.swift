import QueueDeckDomain

/// New identities from the system's random source, made in one place: ticket IDs, and journal
/// file UUIDs (version 4, as docs/JOURNAL.md says).
public enum Fresh {
    public static func ticketID() -> TicketID {
        var g = SystemRandomNumberGenerator()
        return TicketID.random(using: &g)
    }

    public static func fileUUID() -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        var uuid = (0..<16).map { _ in UInt8.random(in: 0...255, using: &g) }
        uuid[6] = (uuid[6] & 0x0F) | 0x40
        uuid[8] = (uuid[8] & 0x3F) | 0x80
        return uuid
    }
}
