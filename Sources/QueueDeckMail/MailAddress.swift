/// One mailbox from an address header: `"Anne Person" <anne@example.com>`, `anne@example.com
/// (Anne)`, `=?utf-8?q?J=C4=81nis?= <janis@example.lv>`, a group `team: a@x, b@y;`.
public struct MailAddress: Hashable, Sendable {
    /// Decoded display name; empty when the header gives none.
    public var name: String
    /// The address (`local@domain`); empty for the null sender `<>`, or when what was written is
    /// not one valid address (then `problem` says why).
    public var address: String
    /// Why the written address was refused (`<a@x.com,b@evil.com>`); nil when it was not.
    public var problem: String?

    public init(name: String, address: String, problem: String? = nil) {
        self.name = name
        self.address = address
        self.problem = problem
    }

    /// A mailbox holding exactly one valid address, or an empty one saying why not.
    static func checked(name: String, address: String) -> MailAddress {
        guard !address.isEmpty, let why = AddrSpec.problem(address) else { return MailAddress(name: name, address: address) }
        return MailAddress(name: name, address: "", problem: "'\(AddrSpec.excerpt(address))' is not one email address: \(why)")
    }


    /// Every mailbox in an address-list header, in order.
    public static func list(_ raw: String?) -> [MailAddress] {
        guard let raw else { return [] }
        var out: [MailAddress] = []
        for item in splitTopLevel(raw) {
            var text = item
            // A group: "name: a, b;" — its members follow the colon.
            if let colon = firstTopLevel(":", in: text), !text.contains("<") || colon < text.firstIndex(of: "<")! {
                text = String(text[text.index(after: colon)...])
                if text.hasSuffix(";") { text.removeLast() }
                out += list(text)
                continue
            }
            if let m = mailbox(text) { out.append(m) }
        }
        return out
    }

    public static func first(_ raw: String?) -> MailAddress? { list(raw).first }

    static func mailbox(_ raw: String) -> MailAddress? {
        let text = raw.trimmingLineWhitespace()
        guard !text.isEmpty else { return nil }
        if let lt = lastTopLevel("<", in: text) {
            let afterLt = text[text.index(after: lt)...]
            let phrase = phraseText(String(text[..<lt]))
            // One `<address>`, closed, with nothing but comments after it: anything else may hide a
            // second recipient (`M <a@x> b@evil`) or a name that is really an address.
            guard let gt = afterLt.firstIndex(of: ">") else {
                return MailAddress(name: phrase, address: "", problem: "'\(AddrSpec.excerpt(text))' is not one mailbox: no closing >")
            }
            let trailing = stripComments(String(afterLt[afterLt.index(after: gt)...])).0.trimmingLineWhitespace()
            guard topLevel("<", in: text).count == 1, trailing.isEmpty else {
                return MailAddress(name: phrase, address: "", problem: "'\(AddrSpec.excerpt(text))' is not one mailbox: more than one address")
            }
            return checked(name: phrase, address: cleanAddress(String(afterLt[..<gt])))
        }
        // addr-spec, perhaps with a comment holding the name: "a@b (Anne)" — the comment is not a name.
        var (plain, _) = stripComments(text)
        plain = plain.trimmingLineWhitespace()
        if plain.isEmpty { return nil }
        // Two words are not one address (`a@x.com b@y.com` once read as a@x.comb@y.com).
        if let sep = AddrSpec.separator(Array(plain.utf8)) {
            return MailAddress(name: "", address: "", problem: "'\(AddrSpec.excerpt(plain))' is not one mailbox: it holds \(sep) outside quotes")
        }
        return checked(name: "", address: cleanAddress(plain))
    }

    /// Folding white space and comments out, outside quotes only: `"john smith"@example.com` keeps
    /// its space (it once lost it, and a different mailbox was answered).
    static func cleanAddress(_ a: String) -> String {
        var s = ""
        var inQuote = false, escaped = false
        for ch in stripComments(a).0 {
            if escaped { escaped = false; s.append(ch); continue }
            if ch == "\\" && inQuote { escaped = true; s.append(ch); continue }
            if ch == "\"" { inQuote.toggle() }
            if !inQuote && (ch == " " || ch == "\t" || ch == "\r" || ch == "\n" || ch == "\r\n") { continue }
            s.append(ch)
        }
        if s.hasPrefix("@"), let colon = s.firstIndex(of: ":") { s = String(s[s.index(after: colon)...]) }  // source route
        return s
    }

    /// A display name: quotes removed, quoted pairs unescaped, encoded words decoded, spaces folded.
    static func phraseText(_ raw: String) -> String {
        let (noComments, _) = stripComments(raw)
        var out = ""
        var inQuote = false
        var escaped = false
        for ch in noComments {
            if escaped { out.append(ch); escaped = false; continue }
            if ch == "\\" && inQuote { escaped = true; continue }
            if ch == "\"" { inQuote.toggle(); continue }
            out.append(ch)
        }
        let decoded = EncodedWords.decode(out)
        return decoded.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }).joined(separator: " ")
    }

    static func stripComments(_ s: String) -> (String, [String]) {
        var out = ""
        var comments: [String] = []
        var depth = 0
        var inQuote = false
        var current = ""
        var escaped = false
        for ch in s {
            if escaped { if depth > 0 { current.append(ch) } else { out.append("\\"); out.append(ch) }; escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == "\"" && depth == 0 { inQuote.toggle(); out.append(ch); continue }
            if !inQuote && ch == "(" { depth += 1; if depth == 1 { current = "" }; continue }
            if !inQuote && ch == ")" && depth > 0 { depth -= 1; if depth == 0 { comments.append(current) }; continue }
            if depth > 0 { current.append(ch) } else { out.append(ch) }
        }
        return (out, comments)
    }

    /// Splits at commas outside quotes, comments and angle brackets.
    static func splitTopLevel(_ s: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var inQuote = false, depth = 0, angle = false, escaped = false
        for ch in s {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" { escaped = true; current.append(ch); continue }
            if ch == "\"" && depth == 0 { inQuote.toggle() }
            if !inQuote {
                if ch == "(" { depth += 1 } else if ch == ")" && depth > 0 { depth -= 1 }
                if depth == 0 { if ch == "<" { angle = true } else if ch == ">" { angle = false } }
                if ch == "," && depth == 0 && !angle { parts.append(current); current = ""; continue }
            }
            current.append(ch)
        }
        parts.append(current)
        return parts.filter { !$0.trimmingLineWhitespace().isEmpty }
    }

    static func firstTopLevel(_ c: Character, in s: String) -> String.Index? { topLevel(c, in: s).first }
    static func lastTopLevel(_ c: Character, in s: String) -> String.Index? { topLevel(c, in: s).last }

    static func topLevel(_ c: Character, in s: String) -> [String.Index] {
        var found: [String.Index] = []
        var inQuote = false, depth = 0, escaped = false
        var i = s.startIndex
        while i < s.endIndex {
            let ch = s[i]
            if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" && depth == 0 { inQuote.toggle() }
            else if !inQuote && ch == "(" { depth += 1 } else if !inQuote && ch == ")" && depth > 0 { depth -= 1 }
            else if !inQuote && depth == 0 && ch == c { found.append(i) }
            i = s.index(after: i)
        }
        return found
    }

    /// Message IDs in a References / In-Reply-To header, in order: `<a@b> <c@d>`.
    public static func messageIDs(_ raw: String?) -> [String] {
        guard let raw else { return [] }
        var out: [String] = []
        var rest = Substring(stripComments(raw).0)
        while let lt = rest.firstIndex(of: "<") {
            let after = rest[rest.index(after: lt)...]
            guard let gt = after.firstIndex(of: ">") else { break }
            let id = after[..<gt].filter { !$0.isWhitespace }
            if !id.isEmpty { out.append("<" + id + ">") }
            rest = after[after.index(after: gt)...]
        }
        if out.isEmpty {
            // Bare IDs without brackets (some old clients).
            out = raw.split(whereSeparator: { $0.isWhitespace }).filter { $0.contains("@") }.map { "<" + $0 + ">" }
        }
        return out
    }
}

extension String {
    /// The text with `"` and `\` escaped, for a quoted display name (`"O\"Brien" <a@b>`).
    public func replacingQuotes() -> String { String(flatMap { $0 == "\"" || $0 == "\\" ? ["\\", $0] : [$0] }) }
}
