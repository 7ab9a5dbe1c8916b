#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes in a named charset to text, through the C library's iconv (every legacy charset mail
/// uses: iso-8859-*, windows-125x, koi8-r, gb2312/gb18030, iso-2022-jp, utf-7, ...). Never fails:
/// an unknown charset falls back to UTF-8 if the bytes are valid UTF-8, else windows-1252; bytes a
/// charset cannot decode become U+FFFD.
public enum Charsets {
    /// What happened while decoding, for the message's problem list.
    public enum Outcome: Equatable, Sendable {
        case clean
        /// Some bytes were not valid in the charset and were replaced.
        case replaced(count: Int)
        /// The charset is unknown here; another was used.
        case unknownCharset(used: String)
    }

    public static func decode(_ bytes: some Collection<UInt8>, charset raw: String?) -> (String, Outcome) {
        let name = normalise(raw ?? "us-ascii")
        let data = Array(bytes)
        if data.allSatisfy({ $0 < 0x80 }) && !name.hasPrefix("utf-16") && !name.hasPrefix("utf-32")
            && name != "utf-7" && !name.hasPrefix("iso-2022") && !name.hasPrefix("hz") {
            return (String(decoding: data, as: UTF8.self), .clean)
        }
        if name == "utf-8" || name == "us-ascii" {
            // A message labelled ASCII with 8-bit bytes usually lies and is UTF-8 (or Latin-1).
            if let s = validUTF8(data) { return (s, .clean) }
            if name == "utf-8" { return (String(decoding: data, as: UTF8.self), .replaced(count: invalidUTF8Count(data))) }
            return iconvDecode(data, from: "WINDOWS-1252").map { ($0.0, .unknownCharset(used: "windows-1252")) }
                ?? (String(decoding: data, as: UTF8.self), .replaced(count: 1))
        }
        if let (s, bad) = iconvDecode(data, from: iconvName(name)) {
            return (s, bad == 0 ? .clean : .replaced(count: bad))
        }
        if let s = validUTF8(data) { return (s, .unknownCharset(used: "utf-8")) }
        if let (s, _) = iconvDecode(data, from: "WINDOWS-1252") { return (s, .unknownCharset(used: "windows-1252")) }
        return (String(decoding: data, as: UTF8.self), .unknownCharset(used: "utf-8"))
    }

    /// Header bytes: UTF-8 when valid (RFC 6532), else Latin-1 (raw 8-bit headers from old clients).
    static func headerText(_ bytes: [UInt8]) -> String {
        if let s = validUTF8(bytes) { return s }
        return String(bytes.map { Character(Unicode.Scalar($0)) })
    }

    static func validUTF8(_ bytes: [UInt8]) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    static func invalidUTF8Count(_ bytes: [UInt8]) -> Int {
        String(decoding: bytes, as: UTF8.self).unicodeScalars.filter { $0 == "\u{FFFD}" }.count
    }

    /// Lower case, aliases folded, RFC 2231 language suffix dropped.
    static func normalise(_ raw: String) -> String {
        var n = raw.trimmingLineWhitespace().lowercased()
        if n.hasPrefix("\"") && n.hasSuffix("\"") && n.count >= 2 { n = String(n.dropFirst().dropLast()) }
        if let star = n.firstIndex(of: "*") { n = String(n[..<star]) }
        switch n {
        case "", "ascii", "us-ascii", "ansi_x3.4-1968", "iso646-us", "646", "us": return "us-ascii"
        case "utf8", "utf-8", "unicode-1-1-utf-8": return "utf-8"
        case "latin1", "latin-1", "l1", "iso8859-1", "iso_8859-1", "iso-8859-1": return "iso-8859-1"
        case "cp1252", "windows1252": return "windows-1252"
        case "eucgb2312_cn", "gb2312", "gbk", "x-gbk", "euc-cn", "cp936": return "gb18030"  // gb18030 is a superset of both
        case "ks_c_5601-1987", "euc-kr", "euc_kr", "ksc5601": return "cp949"
        case "big5_tw", "big5-tw", "cn-big5", "x-x-big5": return "big5"
        case "euc_jp", "ujis": return "euc-jp"
        case "x-sjis", "sjis", "shift-jis": return "shift_jis"
        case "x-mac-roman", "macintosh": return "macintosh"
        case "unicode-1-1-utf-7", "x-utf-7": return "utf-7"
        default: return n.replacingUnderscores()
        }
    }

    static func iconvName(_ n: String) -> String {
        switch n {
        case "macintosh": return "MACINTOSH"
        default: return n.uppercased()
        }
    }

    /// Decodes with iconv; nil if the charset is unknown to it. Bad bytes become U+FFFD (counted).
    static func iconvDecode(_ input: [UInt8], from charset: String) -> (String, Int)? {
        let cd = iconv_open("UTF-8", charset)
        guard let cd, cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var out = [UInt8]()
        out.reserveCapacity(input.count * 2)
        var bad = 0
        var buffer = [UInt8](repeating: 0, count: max(64, input.count * 4 + 16))
        var inOff = 0
        var src = input
        src.withUnsafeMutableBufferPointer { inBuf in
            buffer.withUnsafeMutableBufferPointer { outBuf in
                while inOff < inBuf.count {
                    var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress! + inOff).assumingMemoryBound(to: CChar.self)
                    var inLeft = inBuf.count - inOff
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuf.count
                    let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    let err = r == -1 ? errno : 0
                    out.append(contentsOf: outBuf[0..<(outBuf.count - outLeft)])
                    inOff = inBuf.count - inLeft
                    if r != -1 { break }
                    if err == E2BIG { continue }
                    // EILSEQ or EINVAL (truncated sequence at the end): replace one byte and go on.
                    bad += 1
                    out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    inOff += 1
                    _ = iconv(cd, nil, nil, nil, nil)
                }
                // Flush any shift state (iso-2022-jp, utf-7).
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                _ = iconv(cd, nil, nil, &outPtr, &outLeft)
                out.append(contentsOf: outBuf[0..<(outBuf.count - outLeft)])
            }
        }
        return (String(decoding: out, as: UTF8.self), bad)
    }
}

extension String {
    /// Python writes charset names like `iso_8859_1`; iconv wants hyphens.
    func replacingUnderscores() -> String { String(map { $0 == "_" ? "-" : $0 }) }
}
