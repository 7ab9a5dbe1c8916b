/// Snapshot sections write each distinct string once, in a table at the section's start, and
/// refer to it by number: authors, actors, tags, departments and customers repeat across a desk,
/// and decoding a string (validation, and a heap copy when long) was the largest cost of loading.
struct SnapshotWriter {
    private var w = ByteWriter()
    private var index: [String: UInt64] = [:]
    private var table: [String] = []
    /// Conversation texts, pointed into by offset (see `SnapshotCodec`).
    var text = ByteWriter()

    mutating func string(_ s: String) {
        if let i = index[s] { w.varint(i); return }
        let i = UInt64(table.count)
        index[s] = i
        table.append(s)
        w.varint(i)
    }
    mutating func optional(_ s: String?) {
        if let s { w.u8(1); string(s) } else { w.u8(0) }
    }
    mutating func strings(_ list: [String]) {
        w.varint(UInt64(list.count))
        for s in list { string(s) }
    }
    mutating func u8(_ v: UInt8) { w.u8(v) }
    mutating func u32(_ v: UInt32) { w.u32(v) }
    mutating func i64(_ v: Int64) { w.i64(v) }
    mutating func varint(_ v: UInt64) { w.varint(v) }
    mutating func raw(_ b: [UInt8]) { w.bytes.append(contentsOf: b) }

    /// The string table, then the section.
    func finished() -> [UInt8] {
        var out = ByteWriter()
        out.varint(UInt64(table.count))
        for s in table { out.string(s) }
        out.bytes.append(contentsOf: w.bytes)
        return out.bytes
    }
}

struct SnapshotReader {
    private var r: ByteReader
    private var table: [String] = []

    /// Reads the section's string table; `origin` places error offsets in the whole body.
    init(_ bytes: UnsafeRawBufferPointer, origin: Int) throws(DecodeFailure) {
        r = ByteReader(bytes)
        r.origin = origin
        let n = try r.count("string table")
        table.reserveCapacity(n)
        for _ in 0..<n { table.append(try r.string("string table")) }
    }

    var atEnd: Bool { r.atEnd }

    mutating func string(_ field: String) throws(DecodeFailure) -> String {
        let i = try r.varint(field)
        guard i < UInt64(table.count) else { throw r.failure(field) }
        return table[Int(i)]
    }
    mutating func optional(_ field: String) throws(DecodeFailure) -> String? {
        try r.u8(field) == 0 ? nil : try string(field)
    }
    mutating func strings(_ field: String) throws(DecodeFailure) -> [String] {
        let n = try r.count(field)
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try string(field)) }
        return out
    }
    mutating func u8(_ field: String) throws(DecodeFailure) -> UInt8 { try r.u8(field) }
    mutating func u32(_ field: String) throws(DecodeFailure) -> UInt32 { try r.u32(field) }
    mutating func i64(_ field: String) throws(DecodeFailure) -> Int64 { try r.i64(field) }
    mutating func count(_ field: String) throws(DecodeFailure) -> Int { try r.count(field) }
    mutating func count64(_ field: String) throws(DecodeFailure) -> Int { try r.count64(field) }
    mutating func ticketID(_ field: String) throws(DecodeFailure) -> TicketID { try r.ticketID(field) }
    func failure(_ field: String) -> DecodeFailure { r.failure(field) }
}

import QueueDeckDomain
