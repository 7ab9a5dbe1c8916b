/// Little-endian writer for journal bytes.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { u in
            varint(UInt64(u.count))
            bytes.append(contentsOf: u)
        }
    }
    mutating func optional(_ s: String?) {
        if let s { u8(1); string(s) } else { u8(0) }
    }
    mutating func strings(_ list: [String]) {
        varint(UInt64(list.count))
        for s in list { string(s) }
    }
    mutating func patch32(at offset: Int, _ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { for (i, b) in $0.enumerated() { bytes[offset + i] = b } }
    }
}

package struct DecodeFailure: Error, CustomStringConvertible {
    var field: String
    var offset: Int
    package var description: String { "cannot decode \(field) at payload byte \(offset)" }
}

/// Bounds-checked little-endian reader over a payload.
struct ByteReader {
    let base: UnsafeRawBufferPointer
    var pos = 0
    /// Where `base` starts in the larger whole, for error offsets.
    var origin = 0
    init(_ base: UnsafeRawBufferPointer) { self.base = base }

    var atEnd: Bool { pos == base.count }

    mutating func need(_ n: Int, _ field: String) throws(DecodeFailure) {
        guard n >= 0, pos + n <= base.count else { throw DecodeFailure(field: field, offset: origin + pos) }
    }
    mutating func u8(_ field: String) throws(DecodeFailure) -> UInt8 {
        try need(1, field)
        defer { pos += 1 }
        return base[pos]
    }
    mutating func i64(_ field: String) throws(DecodeFailure) -> Int64 {
        try need(8, field)
        defer { pos += 8 }
        return Int64(littleEndian: base.loadUnaligned(fromByteOffset: pos, as: Int64.self))
    }
    mutating func varint(_ field: String) throws(DecodeFailure) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try u8(field)
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw DecodeFailure(field: field, offset: pos) }
        }
    }
    mutating func string(_ field: String) throws(DecodeFailure) -> String {
        let n = try varint(field)
        guard n <= UInt64(base.count) else { throw DecodeFailure(field: field, offset: pos) }
        try need(Int(n), field)
        defer { pos += Int(n) }
        return String(decoding: UnsafeRawBufferPointer(rebasing: base[pos..<(pos + Int(n))]), as: UTF8.self)
    }
    mutating func optional(_ field: String) throws(DecodeFailure) -> String? {
        try u8(field) == 0 ? nil : try string(field)
    }
    mutating func strings(_ field: String) throws(DecodeFailure) -> [String] {
        let n = try varint(field)
        guard n <= UInt64(base.count) else { throw DecodeFailure(field: field, offset: pos) }
        var out: [String] = []
        out.reserveCapacity(Int(n))
        for _ in 0..<n { out.append(try string(field)) }
        return out
    }
}
