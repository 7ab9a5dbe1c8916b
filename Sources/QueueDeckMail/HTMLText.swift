/// Readable text from HTML mail: tags dropped, blocks and <br> as line breaks, list items as
/// bullets, links keep their address, script/style/head contents skipped, entities decoded.
public enum HTMLText {
    static let blocks: Set<String> = ["p", "div", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
                                      "blockquote", "pre", "section", "article", "header", "footer", "hr", "title"]
    static let skipped: Set<String> = ["script", "style", "head", "template"]
    static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "copy": "©", "reg": "®",
        "euro": "€", "pound": "£", "mdash": "—", "ndash": "–", "hellip": "…", "laquo": "«", "raquo": "»",
        "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "bull": "•", "middot": "·", "shy": "",
    ]

    public static func text(_ html: String) -> String {
        let s = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        var skipUntil: String?
        var href: String?
        func newline(_ n: Int = 1) {
            var trailing = 0
            for c in out.reversed() { if c == "\n" { trailing += 1 } else if c == " " { continue } else { break } }
            if out.isEmpty { return }
            while trailing < n { out.append("\n"); trailing += 1 }
        }
        while i < s.count {
            let c = s[i]
            if c == "<" {
                // Comments and declarations.
                if i + 3 < s.count, s[i + 1] == "!", s[i + 2] == "-", s[i + 3] == "-" {
                    var j = i + 4
                    while j + 2 < s.count, !(s[j] == "-" && s[j + 1] == "-" && s[j + 2] == ">") { j += 1 }
                    i = min(s.count, j + 3)
                    continue
                }
                var j = i + 1
                var quote: Unicode.Scalar?
                while j < s.count {
                    if let q = quote { if s[j] == q { quote = nil } } else if s[j] == "\"" || s[j] == "'" { quote = s[j] } else if s[j] == ">" { break }
                    j += 1
                }
                let tagText = String(String.UnicodeScalarView(s[(i + 1)..<min(j, s.count)]))
                i = min(s.count, j + 1)
                let closing = tagText.hasPrefix("/")
                let name = tagText.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber }).lowercased()
                if let skip = skipUntil {
                    if closing && name == skip { skipUntil = nil }
                    continue
                }
                if !closing && skipped.contains(name) && !tagText.hasSuffix("/") { skipUntil = name; continue }
                if name == "br" { out.append("\n") }
                else if name == "li" && !closing { newline(); out.appendEach("• ".unicodeScalars) }
                else if blocks.contains(name) { newline(name == "p" || name.hasPrefix("h") ? 2 : 1) }
                else if name == "a" {
                    if closing, let h = href { out.appendEach(" <\(h)>".unicodeScalars); href = nil }
                    else if !closing { href = attribute("href", in: tagText).flatMap { $0.hasPrefix("http") || $0.hasPrefix("mailto:") ? $0 : nil } }
                }
                continue
            }
            if skipUntil != nil { i += 1; continue }
            if c == "&" {
                var j = i + 1
                while j < s.count, j - i < 12, s[j] != ";", s[j] != "&", s[j] != "<", s[j] != " " { j += 1 }
                if j < s.count, s[j] == ";" {
                    let name = String(String.UnicodeScalarView(s[(i + 1)..<j]))
                    if let r = entity(name) { out.appendEach(r.unicodeScalars); i = j + 1; continue }
                }
                out.append(c); i += 1; continue
            }
            if c == " " || c == "\t" || c == "\n" || c == "\r" {
                if let last = out.last, last != " ", last != "\n" { out.append(" ") }
                i += 1; continue
            }
            out.append(c)
            i += 1
        }
        // Trim spaces around line ends and runs of blank lines.
        let lines = String(out).split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingLineWhitespace() }
        var result: [String] = []
        for l in lines { if l.isEmpty && (result.last?.isEmpty ?? true) { continue }; result.append(l) }
        while result.last?.isEmpty == true { result.removeLast() }
        return result.joined(separator: "\n")
    }

    static func entity(_ name: String) -> String? {
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let v = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            guard let v, v != 0, let scalar = Unicode.Scalar(v) else { return nil }
            return String(Character(scalar))
        }
        return entities[name.lowercased()]
    }

    static func attribute(_ name: String, in tag: String) -> String? {
        let chars = Array(tag)
        let key = Array(name.lowercased() + "=")
        guard chars.count > key.count else { return nil }
        for start in 0...(chars.count - key.count) where String(chars[start..<(start + key.count)]).lowercased() == String(key) {
            var rest = chars[(start + key.count)...]
            if let q = rest.first, q == "\"" || q == "'" {
                rest = rest.dropFirst()
                return String(rest.prefix { $0 != q })
            }
            return String(rest.prefix { $0 != " " && $0 != ">" })
        }
        return nil
    }
}
