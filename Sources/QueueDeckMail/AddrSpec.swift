/// One email address as RFC 5322 (section 3.4.1) writes it, `local@domain`: a dot-atom or quoted
/// local part, a dot-atom or bracketed literal domain; UTF-8 letters allowed (RFC 6532). Nothing
/// that could name a second recipient (a comma, a space, angle brackets), no control characters.
public enum AddrSpec {
    /// Why a text is not one address; nil when it is.
    public static func problem(_ s: String) -> String? {
        let bytes = Array(s.utf8)
        guard !bytes.isEmpty else { return "empty" }
        guard bytes.count <= 254 else { return "longer than 254 bytes" }
        if let bad = s.unicodeScalars.first(where: isControl) {
            return "holds the control character U+\(String(bad.value, radix: 16, uppercase: true))"
        }
        // The last @ outside a quoted local part separates the parts.
        var inQuote = false, escaped = false, at: Int? = nil
        var ats = 0
        for (i, b) in bytes.enumerated() {
            if escaped { escaped = false; continue }
            if inQuote && b == UInt8(ascii: "\\") { escaped = true; continue }
            if b == UInt8(ascii: "\"") { inQuote.toggle(); continue }
            if !inQuote && b == UInt8(ascii: "@") {
                ats += 1
                at = at ?? i
            }
        }
        guard !inQuote else { return "an unclosed quote" }
        if let sep = separator(bytes) { return "holds \(sep) outside quotes (one address only)" }
        guard let at else { return "no @" }
        guard ats == 1 else { return "more than one @" }
        let local = Array(bytes[..<at]), domain = Array(bytes[(at + 1)...])
        guard !local.isEmpty else { return "nothing before the @" }
        guard local.count <= 64 else { return "the part before the @ is longer than 64 bytes" }
        guard !domain.isEmpty else { return "nothing after the @" }
        if local.first == UInt8(ascii: "\"") {
            guard local.last == UInt8(ascii: "\""), local.count >= 2, quotedIsWhole(local) else { return "a quoted part with text around it" }
        } else if let why = dotAtomProblem(local) {
            return "the part before the @ \(why)"
        }
        if domain.first == UInt8(ascii: "[") {
            guard domain.last == UInt8(ascii: "]"),
                  domain.dropFirst().dropLast().allSatisfy({ $0 >= 0x21 && $0 <= 0x7E && $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: "]") && $0 != UInt8(ascii: "\\") })
            else { return "a bad address literal after the @" }
            return nil
        }
        if let why = dotAtomProblem(domain) { return "the domain \(why)" }
        return nil
    }

    public static func isValid(_ s: String) -> Bool { problem(s) == nil }

    /// Address text fit for a problem report: at most 80 characters, controls as `?`.
    public static func excerpt(_ s: String) -> String {
        String(s.unicodeScalars.prefix(80).map { isControl($0) ? "?" : Character($0) })
    }

    /// The first character outside quotes that separates addresses or words in a header.
    static func separator(_ bytes: [UInt8]) -> String? {
        var inQuote = false, escaped = false
        for b in bytes {
            if escaped { escaped = false; continue }
            if inQuote && b == UInt8(ascii: "\\") { escaped = true; continue }
            if b == UInt8(ascii: "\"") { inQuote.toggle(); continue }
            guard !inQuote else { continue }
            switch b {
            case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"):
                return "'\(Character(Unicode.Scalar(b)))'"
            case UInt8(ascii: " "): return "a space"
            default: continue
            }
        }
        return nil
    }

    /// C0 and C1 controls, DEL, and the format characters that reorder or hide text.
    public static func isControl(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0..<0x20, 0x7F...0x9F, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x206F, 0xFEFF, 0x061C: true
        default: false
        }
    }

    /// atext: letters, digits and ! # $ % & ' * + - / = ? ^ _ ` { | } ~, and any UTF-8 (RFC 6532).
    static func isAtext(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case 0x80...0xFF: true
        default: Array("!#$%&'*+-/=?^_`{|}~".utf8).contains(b)
        }
    }

    static func dotAtomProblem(_ part: [UInt8]) -> String? {
        if part.first == UInt8(ascii: ".") || part.last == UInt8(ascii: ".") { return "starts or ends with a dot" }
        var previousDot = false
        for b in part {
            if b == UInt8(ascii: ".") {
                if previousDot { return "has two dots in a row" }
                previousDot = true
                continue
            }
            previousDot = false
            guard isAtext(b) else {
                let shown = b == UInt8(ascii: " ") ? "a space" : "'\(Character(Unicode.Scalar(b)))'"
                return "holds \(shown)"
            }
        }
        return nil
    }

    /// `"..."` with every inner quote or backslash escaped.
    static func quotedIsWhole(_ q: [UInt8]) -> Bool {
        var escaped = false
        for b in q.dropFirst().dropLast() {
            if escaped { escaped = false; continue }
            if b == UInt8(ascii: "\\") { escaped = true; continue }
            if b == UInt8(ascii: "\"") { return false }
        }
        return !escaped
    }
}
