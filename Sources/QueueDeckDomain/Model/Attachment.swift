/// A file that came with a customer's message or went with an agent's reply. Always listed; its
/// bytes are in the journal's blob store under `digest` (SHA-256, hex), or not kept at all when it
/// was over the desk's size cap (`digest` nil: the customer is asked for it another way).
public struct AttachmentRef: Hashable, Sendable {
    public var name: String
    /// `type/subtype` as the message declared it.
    public var type: String
    public var size: Int64
    public var digest: String?

    public init(name: String, type: String, size: Int64, digest: String?) {
        self.name = name
        self.type = type
        self.size = size
        self.digest = digest
    }

    public var isKept: Bool { digest != nil }

    /// The name as a file name of its own, safe to create in a folder: its last path component,
    /// without control characters or a leading dot, at most 200 bytes; `attachment` when nothing is left.
    public var fileName: String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var clean = String(String.UnicodeScalarView(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value) && !(0x202A...0x202E).contains($0.value) && !(0x2066...0x2069).contains($0.value) }))
        while clean.hasPrefix(".") || clean.hasPrefix(" ") { clean.removeFirst() }
        while clean.utf8.count > 200 { clean.removeFirst() }
        return clean.isEmpty ? "attachment" : clean
    }

    /// "invoice.pdf (application/pdf, 34 kB)", and why it is not kept when it is not.
    public var summary: String {
        "\(name) (\(type), \(Self.sizeText(size)))" + (isKept ? "" : " — over the size limit, not kept")
    }

    public static func sizeText(_ n: Int64) -> String {
        if n < 1000 { return "\(n) B" }
        if n < 1_000_000 { return "\((n + 500) / 1000) kB" }
        let tenths = (n + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10) MB"
    }
}

/// An attachment on a ticket, numbered from 1 in the order they came.
public struct TicketAttachment: Hashable, Sendable {
    public var file: AttachmentRef
    /// Who sent it: `customer` (the customer's mail), an agent's user name (a reply), or another
    /// sender's mailbox (mail from someone who is not the ticket's customer).
    public var from: String
    public var at: Instant
    /// The conversation entry it came with (an index into `Ticket.entries`).
    public var entry: Int

    package init(file: AttachmentRef, from: String, at: Instant, entry: Int) {
        self.file = file
        self.from = from
        self.at = at
        self.entry = entry
    }
}
