/// An 11-character ticket ID shown as `XXX-XXXXX-XXX`.
/// The alphabet leaves out characters that are confused when read aloud or on paper
/// (0/O, 1/I/L, U/V, 5/S, 2/Z, 8/B).
public struct TicketID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let alphabet: [UInt8] = Array("34679ACDEFGHJKMNPQRTWXY".utf8)
    public static let length = 11

    /// The 11 characters without dashes, ASCII upper case.
    public let raw: String

    private init(unchecked raw: String) { self.raw = raw }

    /// Accepts `ABC-DEFGH-JKL` or `ABCDEFGHJKL`, any case.
    public init?(_ text: String) {
        var chars: [UInt8] = []
        chars.reserveCapacity(11)
        for b in text.utf8 where b != UInt8(ascii: "-") {
            let up = (b >= 97 && b <= 122) ? b - 32 : b
            guard TicketID.alphabet.contains(up) else { return nil }
            chars.append(up)
        }
        guard chars.count == TicketID.length else { return nil }
        let grouped = text.split(separator: "-", omittingEmptySubsequences: false)
        if grouped.count > 1 && grouped.map(\.count) != [3, 5, 3] { return nil }
        self.raw = String(decoding: chars, as: UTF8.self)
    }

    /// Builds an ID from the journal's 11 raw bytes; nil if they are not a valid ID.
    public init?(rawBytes: some Collection<UInt8>) {
        guard rawBytes.count == TicketID.length, rawBytes.allSatisfy({ TicketID.alphabet.contains($0) }) else { return nil }
        self.raw = String(decoding: rawBytes, as: UTF8.self)
    }

    public static func random<G: RandomNumberGenerator>(using rng: inout G) -> TicketID {
        var bytes = [UInt8]()
        bytes.reserveCapacity(11)
        for _ in 0..<length { bytes.append(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]) }
        return TicketID(unchecked: String(decoding: bytes, as: UTF8.self))
    }

    /// `XXX-XXXXX-XXX`
    public var description: String {
        let u = Array(raw.utf8)
        return String(decoding: u[0..<3], as: UTF8.self) + "-" + String(decoding: u[3..<8], as: UTF8.self)
            + "-" + String(decoding: u[8..<11], as: UTF8.self)
    }

    public static func < (a: TicketID, b: TicketID) -> Bool { a.raw < b.raw }
}
