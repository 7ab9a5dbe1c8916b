/// Content-Transfer-Encoding decoders, lenient as mail needs: junk in base64 is skipped, a bad
/// `=` escape in quoted-printable is kept literally.
public enum TransferEncoding {
    public static func decode(_ body: ArraySlice<UInt8>, encoding: String?) -> [UInt8] {
        switch (encoding ?? "").trimmingLineWhitespace().lowercased() {
        case "base64": return base64(body)
        case "quoted-printable": return quotedPrintable(body, header: false)
        default: return Array(body)
        }
    }

    static let base64Values: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { t[Int(c)] = UInt8(i) }
        t[Int(UInt8(ascii: "-"))] = 62  // base64url, seen in the wild
        t[Int(UInt8(ascii: "_"))] = 63
        return t
    }()

    public static func base64(_ input: ArraySlice<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(input.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for c in input {
            if c == UInt8(ascii: "=") { break }
            let v = base64Values[Int(c)]
            if v == 0xFF { continue }
            acc = (acc << 6) | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }

    /// RFC 2045 §6.7 (body) or RFC 2047 "Q" (header: `_` is a space).
    public static func quotedPrintable(_ input: ArraySlice<UInt8>, header: Bool) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(input.count)
        var i = input.startIndex
        while i < input.endIndex {
            let c = input[i]
            if c == UInt8(ascii: "=") {
                // Soft line break: "=" then optional white space then a line end.
                var j = i + 1
                while j < input.endIndex, input[j] == 0x20 || input[j] == 0x09 { j += 1 }
                if j < input.endIndex, input[j] == 0x0A { i = j + 1; continue }
                if j + 1 < input.endIndex, input[j] == 0x0D, input[j + 1] == 0x0A { i = j + 2; continue }
                if j == input.endIndex { break }
                if i + 2 < input.endIndex, let h = hex(input[i + 1]), let l = hex(input[i + 2]) {
                    out.append(h << 4 | l)
                    i += 3
                    continue
                }
                out.append(c)
            } else if header && c == UInt8(ascii: "_") {
                out.append(0x20)
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }

    /// Base64 in lines of 76 characters, each ending in LF.
    public static func base64Lines(_ bytes: [UInt8]) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 57 * 77 + 80)
        var i = 0
        var column = 0
        while i < bytes.count {
            let n = min(3, bytes.count - i)
            let b0 = UInt32(bytes[i]), b1 = n > 1 ? UInt32(bytes[i + 1]) : 0, b2 = n > 2 ? UInt32(bytes[i + 2]) : 0
            let v = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(n > 1 ? alphabet[Int(v >> 6 & 63)] : 0x3D)
            out.append(n > 2 ? alphabet[Int(v & 63)] : 0x3D)
            i += 3
            column += 4
            if column == 76 { out.append(0x0A); column = 0 }
        }
        if column > 0 { out.append(0x0A) }
        return out
    }

}
