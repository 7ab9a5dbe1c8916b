/// An 11-character ticket ID shown as `XXX-XXXXX-XXX`.
/// The alphabet leaves out characters that are confused when read aloud or on paper
/// (0/O, 1/I/L, U/V, 5/S, 2/Z, 8/B). Stored as a base-23 number: hashing and decoding an ID from
/// the journal allocate nothing, which keeps replay fast; numeric order equals text order.
public struct TicketID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let alphabet: [UInt8] = Array("34679ACDEFGHJKMNPQRTWXY".utf8)
    public static let length = 11
    static let digit: [Int8] = {
        var t = [Int8](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() {
            t[Int(c)] = Int8(i)
            if c >= 65 { t[Int(c) + 32] = Int8(i) }  // lower case too
        }
        return t
    }()

    public let value: UInt64

    private init(value: UInt64) { self.value = value }

    /// Accepts `ABC-DEFGH-JKL` or `ABCDEFGHJKL`, any case.
    public init?(_ text: String) {
        let grouped = text.split(separator: "-", omittingEmptySubsequences: false)
        if grouped.count > 1 && grouped.map(\.utf8.count) != [3, 5, 3] { return nil }
        var v: UInt64 = 0
        var n = 0
        for b in text.utf8 where b != UInt8(ascii: "-") {
            let d = TicketID.digit[Int(b)]
            guard d >= 0, n < TicketID.length else { return nil }
            v = v * 23 + UInt64(d)
            n += 1
        }
        guard n == TicketID.length else { return nil }
        value = v
    }

    /// Builds an ID from the journal's 11 raw upper-case bytes; nil if they are not a valid ID.
    /// Concrete (not generic) so the journal's replay loop calls it without generic dispatch.
    public init?(rawBytes: UnsafeRawBufferPointer) {
        guard rawBytes.count == TicketID.length else { return nil }
        var v: UInt64 = 0
        for b in rawBytes {
            let d = TicketID.digit[Int(b)]
            guard d >= 0, b < 97 else { return nil }
            v = v * 23 + UInt64(d)
        }
        value = v
    }

    /// The desk itself: the ticket field of events about no ticket (agent presence). Never random.
    public static let desk = TicketID(value: 0)

    public static func random<G: RandomNumberGenerator>(using rng: inout G) -> TicketID {
        var v: UInt64 = 0
        while v == 0 {
            for _ in 0..<length { v = v * 23 + UInt64.random(in: 0..<23, using: &rng) }
        }
        return TicketID(value: v)
    }

    /// The 11 characters without dashes, upper case.
    public var rawBytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 11)
        var v = value
        for i in stride(from: 10, through: 0, by: -1) {
            out[i] = TicketID.alphabet[Int(v % 23)]
            v /= 23
        }
        return out
    }

    public var raw: String { String(decoding: rawBytes, as: UTF8.self) }

    /// `XXX-XXXXX-XXX`
    public var description: String {
        let u = rawBytes
        return String(decoding: u[0..<3] + [45] + u[3..<8] + [45] + u[8..<11], as: UTF8.self)
    }

    public static func < (a: TicketID, b: TicketID) -> Bool { a.value < b.value }
}
