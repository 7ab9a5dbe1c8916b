import QueueDeckDomain

/// The on-disk format (little-endian). See docs/JOURNAL.md.
///
/// File header, 64 bytes: "QDECKJNL", u16 format version, u16 header size, 16-byte file UUID,
/// i64 creation time (ms), u8 flags (bit 0: a demo desk, which never sends mail), the flags again
/// (so that a repair can tell a damaged mark from a real one), zero padding, u32 CRC-32C of bytes 0..<60.
///
/// Record: u32 marker, u32 payload length, u64 sequence, 11 bytes ticket ID, u8 event type,
/// u32 ticket version after the event, i64 timestamp (ms), payload, u32 CRC-32C of all before it.
public enum Layout {
    public static let fileMagic: [UInt8] = Array("QDECKJNL".utf8)
    public static let formatVersion: UInt16 = 1
    public static let headerSize = 64
    /// Bytes "QDR" then format 1.
    public static let recordMarker: UInt32 = 0x0152_4451
    public static let recordHeaderSize = 40
    public static let trailerSize = 4
    public static let maxPayload = 16 << 20

    public static func recordSize(payload: Int) -> Int { recordHeaderSize + payload + trailerSize }

    /// Header flag: a demo desk (invented customers; nothing it holds is ever mailed).
    public static let demoFlag: UInt8 = 1

    /// A new file header for `uuid`.
    package static func header(uuid: [UInt8], created: Instant, flags: UInt8 = 0) -> [UInt8] {
        var w = ByteWriter()
        w.bytes.append(contentsOf: fileMagic)
        w.u16(formatVersion)
        w.u16(UInt16(headerSize))
        w.bytes.append(contentsOf: uuid)
        w.i64(created.ms)
        w.u8(flags)
        w.u8(flags)
        w.bytes.append(contentsOf: [UInt8](repeating: 0, count: 60 - w.bytes.count))
        w.u32(CRC32C.checksum(w.bytes))
        return w.bytes
    }

    /// Parses a header; nil with a reason when it is not one.
    static func parseHeader(_ b: [UInt8]) -> Result<(uuid: [UInt8], created: Instant, flags: UInt8), HeaderProblem> {
        guard b.count >= headerSize else { return .failure(.short(b.count)) }
        guard Array(b[0..<8]) == fileMagic else { return .failure(.notAJournal) }
        let crc = b.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<60])) }
        let stored = b.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 60, as: UInt32.self)) }
        guard crc == stored else { return .failure(.badChecksum) }
        let version = b.withUnsafeBytes { UInt16(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt16.self)) }
        guard version == formatVersion else { return .failure(.unsupportedVersion(version)) }
        let created = b.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: 28, as: Int64.self)) }
        return .success((Array(b[12..<28]), Instant(ms: created), b[36]))
    }

    /// A damaged header's fields as they stand (records follow it, so it was a journal's): what a
    /// repair keeps, since one flipped byte rarely touches them and records and snapshots are
    /// checked on their own. The flags are nil when their two copies disagree: a damaged demo mark
    /// must not be guessed (a demo would mail its invented customers, a real desk stop mailing).
    static func fieldsAsWritten(_ b: [UInt8]) -> (uuid: [UInt8], created: Instant, flags: UInt8?)? {
        guard b.count >= headerSize else { return nil }
        let created = b.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: 28, as: Int64.self)) }
        let flagsKnown = b[36] == b[37] && b[36] & ~demoFlag == 0
        return (Array(b[12..<28]), Instant(ms: created), flagsKnown ? b[36] : nil)
    }

    enum HeaderProblem: Error, CustomStringConvertible {
        case short(Int), notAJournal, badChecksum, unsupportedVersion(UInt16)

        var description: String {
            switch self {
            case .short(let n): "header cut at \(n) bytes"
            case .notAJournal: "no QDECKJNL header"
            case .badChecksum: "header checksum mismatch"
            case .unsupportedVersion(let v): "format version \(v); this qdeck reads version \(Layout.formatVersion)"
            }
        }
    }

    /// Whether a whole, checksummed first record starts right after the header: it tells a journal
    /// whose header alone is damaged (a flipped reserved byte) from a file that is no journal.
    static func recordFollowsHeader(read: (_ offset: Int64, _ count: Int) -> [UInt8]?) -> Bool {
        guard let head = read(Int64(headerSize), recordHeaderSize), head.count == recordHeaderSize else { return false }
        let len = Int(head.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) })
        guard len <= maxPayload, let record = read(Int64(headerSize), recordSize(payload: len)) else { return false }
        return record.withUnsafeBytes { b in
            if case .success = FrameParser.frame(b, at: 0, expectedSeq: 1) { return true }
            return false
        }
    }

    /// Appends one framed record to `w`.
    static func appendRecord(seq: UInt64, version: UInt32, event: Event, to w: inout ByteWriter) {
        let start = w.bytes.count
        w.u32(recordMarker)
        w.u32(0)  // payload length, patched below
        w.u64(seq)
        w.bytes.append(contentsOf: event.ticket.rawBytes)
        w.u8(EventCodec.typeCode(event.kind))
        w.u32(version)
        w.i64(event.at.ms)
        let payloadStart = w.bytes.count
        EventCodec.encodePayload(event, into: &w)
        w.patch32(at: start + 4, UInt32(w.bytes.count - payloadStart))
        let crc = w.bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        w.u32(crc)
    }
}

/// One record's fixed fields, read without decoding the payload.
struct RecordFrame {
    var offset: Int
    var size: Int
    var seq: UInt64
    var version: UInt32
    var type: UInt8
    var timestamp: Int64
    var payloadRange: Range<Int>
    var ticketRange: Range<Int>
}

/// Why parsing stopped before the end of the bytes.
enum FrameProblem: Error, Equatable, CustomStringConvertible {
    case incomplete(need: Int)
    case badMarker
    case badLength(Int)
    case badChecksum
    case badTicket
    case sequenceGap(expected: UInt64, found: UInt64)

    var description: String {
        switch self {
        case .incomplete(let n): "incomplete record (needs \(n) bytes, file ends sooner)"
        case .badMarker: "no record marker"
        case .badLength(let n): "impossible payload length \(n)"
        case .badChecksum: "CRC-32C mismatch"
        case .badTicket: "invalid ticket ID bytes"
        case .sequenceGap(let e, let f): "sequence \(f) where \(e) was expected"
        }
    }
}

enum FrameParser {
    /// Parses the record at `offset` of `b`. `expectedSeq` nil skips the continuity check.
    static func frame(_ b: UnsafeRawBufferPointer, at offset: Int, expectedSeq: UInt64?) -> Result<RecordFrame, FrameProblem> {
        let avail = b.count - offset
        guard avail >= Layout.recordHeaderSize else { return .failure(.incomplete(need: Layout.recordHeaderSize)) }
        let marker = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        guard marker == Layout.recordMarker else { return .failure(.badMarker) }
        let len = Int(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)))
        guard len <= Layout.maxPayload else { return .failure(.badLength(len)) }
        let size = Layout.recordSize(payload: len)
        guard avail >= size else { return .failure(.incomplete(need: size)) }
        let body = UnsafeRawBufferPointer(rebasing: b[offset..<(offset + size - 4)])
        let stored = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: offset + size - 4, as: UInt32.self))
        guard CRC32C.checksum(body) == stored else { return .failure(.badChecksum) }
        let seq = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
        if let e = expectedSeq, seq != e { return .failure(.sequenceGap(expected: e, found: seq)) }
        let ticketRange = (offset + 16)..<(offset + 27)
        return .success(RecordFrame(
            offset: offset, size: size, seq: seq,
            version: UInt32(littleEndian: b.loadUnaligned(fromByteOffset: offset + 28, as: UInt32.self)),
            type: b[offset + 27],
            timestamp: Int64(littleEndian: b.loadUnaligned(fromByteOffset: offset + 32, as: Int64.self)),
            payloadRange: (offset + 40)..<(offset + 40 + len), ticketRange: ticketRange))
    }

    /// The offset of the first whole, checksummed record at or after `from`, ignoring sequence: the
    /// test that tells damage in the middle (valid records follow) from a torn tail (nothing does).
    static func nextValidRecord(_ b: UnsafeRawBufferPointer, from: Int) -> Int? {
        var i = from
        let m0 = UInt8(Layout.recordMarker & 0xFF)
        while i + Layout.recordHeaderSize <= b.count {
            if b[i] == m0, case .success = frame(b, at: i, expectedSeq: nil) { return i }
            i += 1
        }
        return nil
    }

    static func event(_ f: RecordFrame, in b: UnsafeRawBufferPointer) -> StoredEvent? {
        guard let id = TicketID(rawBytes: UnsafeRawBufferPointer(rebasing: b[f.ticketRange])) else { return nil }
        let e = EventCodec.decode(type: f.type, ticket: id, at: Instant(ms: f.timestamp),
                                  payload: UnsafeRawBufferPointer(rebasing: b[f.payloadRange]))
        return StoredEvent(seq: f.seq, version: f.version, event: e)
    }
}
