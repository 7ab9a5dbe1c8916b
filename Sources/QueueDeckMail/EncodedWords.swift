/// RFC 2047 encoded words in header text: `=?charset?Q?...?=` and `=?charset?B?...?=`. White space
/// between two adjacent encoded words is dropped (RFC 2047 §6.2); anything malformed stays as is.
public enum EncodedWords {
    public static func decode(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var pendingGap = String.UnicodeScalarView()
        var lastWasEncoded = false
        var i = 0
        while i < s.count {
            if s[i] == "=", i + 1 < s.count, s[i + 1] == "?", let (decoded, next) = word(s, from: i) {
                if !lastWasEncoded { out.appendEach(pendingGap) }
                pendingGap = String.UnicodeScalarView()
                out.appendEach(decoded.unicodeScalars)
                lastWasEncoded = true
                i = next
                continue
            }
            if s[i] == " " || s[i] == "\t" {
                pendingGap.append(s[i])
            } else {
                out.appendEach(pendingGap)
                pendingGap = String.UnicodeScalarView()
                out.append(s[i])
                lastWasEncoded = false
            }
            i += 1
        }
        out.appendEach(pendingGap)
        return String(out)
    }

    /// The longest encoded word read: RFC 2047 allows 75 characters; mailers that break the rule stay
    /// well inside this. A bound keeps a header full of unterminated `=?` linear (10,000 of them took 24 s).
    static let longestWord = 512

    /// One encoded word starting at `start`, and the index after it.
    static func word(_ s: [Unicode.Scalar], from start: Int) -> (String, Int)? {
        let s = s[start..<min(s.count, start + longestWord)]
        var i = start + 2
        var charset = ""
        while i < s.endIndex, s[i] != "?" {
            guard s[i].isASCII, s[i] != " " else { return nil }
            charset.unicodeScalars.append(s[i]); i += 1
        }
        guard i + 2 < s.endIndex, s[i + 2] == "?" else { return nil }
        let enc = s[i + 1]
        i += 3
        var payload: [UInt8] = []
        while i + 1 < s.endIndex, !(s[i] == "?" && s[i + 1] == "=") {
            guard s[i].isASCII, s[i] != " " else { return nil }
            payload.append(UInt8(s[i].value)); i += 1
        }
        guard i + 1 < s.endIndex else { return nil }
        let bytes: [UInt8]
        switch enc {
        case "Q", "q": bytes = TransferEncoding.quotedPrintable(payload[...], header: true)
        case "B", "b": bytes = TransferEncoding.base64(payload[...])
        default: return nil
        }
        return (Charsets.decode(bytes, charset: charset).0, i + 2)
    }
}

extension String.UnicodeScalarView {
    /// Appends one scalar at a time: `append(contentsOf:)` here copies the whole view each call
    /// (quadratic on 1M `&amp;`), appending a scalar does not.
    mutating func appendEach(_ scalars: some Sequence<Unicode.Scalar>) { for s in scalars { append(s) } }
}
