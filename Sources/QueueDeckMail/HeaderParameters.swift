/// A structured header value with parameters: `Content-Type: text/plain; charset="utf-8"`,
/// `Content-Disposition: attachment; filename*=utf-8''na%C3%AFve.txt` (RFC 2045, RFC 2231
/// continuations and charsets).
public struct HeaderParameters: Sendable {
    /// The value before the first `;`, lower case (`text/plain`, `attachment`).
    public var value: String
    /// Parameter names lower case; RFC 2231 pieces joined and decoded.
    public var params: [String: String]

    public init(_ raw: String?) {
        guard let raw else { value = ""; params = [:]; return }
        let scalars = Array(raw.unicodeScalars)
        var i = 0
        func skipSpaceAndComments() {
            while i < scalars.count {
                if scalars[i] == " " || scalars[i] == "\t" || scalars[i] == "\r" || scalars[i] == "\n" { i += 1; continue }
                if scalars[i] == "(" {
                    var depth = 0
                    while i < scalars.count {
                        if scalars[i] == "\\" { i += 2; continue }
                        if scalars[i] == "(" { depth += 1 }
                        if scalars[i] == ")" { depth -= 1; if depth == 0 { i += 1; break } }
                        i += 1
                    }
                    continue
                }
                break
            }
        }
        func token(stopAt stops: Set<Unicode.Scalar>) -> String {
            var out = String.UnicodeScalarView()
            while i < scalars.count, !stops.contains(scalars[i]), scalars[i] != " ", scalars[i] != "\t" { out.append(scalars[i]); i += 1 }
            return String(out)
        }
        func quoted() -> String {
            var out = String.UnicodeScalarView()
            i += 1
            while i < scalars.count, scalars[i] != "\"" {
                if scalars[i] == "\\", i + 1 < scalars.count { i += 1 }
                out.append(scalars[i]); i += 1
            }
            i += 1
            return String(out)
        }
        skipSpaceAndComments()
        var v = String.UnicodeScalarView()
        while i < scalars.count, scalars[i] != ";" {
            if scalars[i] == "(" { skipSpaceAndComments(); continue }
            if scalars[i] != " " && scalars[i] != "\t" { v.append(scalars[i]) }
            i += 1
        }
        value = String(v).lowercased()
        var simple: [String: String] = [:]
        var pieces: [String: [(Int, String, Bool)]] = [:]
        while i < scalars.count {
            i += 1  // the ';'
            skipSpaceAndComments()
            let name = token(stopAt: ["=", ";"]).lowercased()
            skipSpaceAndComments()
            guard i < scalars.count, scalars[i] == "=" else {
                while i < scalars.count, scalars[i] != ";" { i += 1 }
                continue
            }
            i += 1
            skipSpaceAndComments()
            let val: String
            if i < scalars.count, scalars[i] == "\"" { val = quoted() } else { val = token(stopAt: [";"]) }
            skipSpaceAndComments()
            while i < scalars.count, scalars[i] != ";" { i += 1 }
            guard !name.isEmpty else { continue }
            // RFC 2231: name*=charset'lang'pct-encoded, name*0=, name*1*=, ...
            if let star = name.firstIndex(of: "*") {
                let base = String(name[..<star])
                let rest = name[name.index(after: star)...]
                let encoded = rest.hasSuffix("*") || rest.isEmpty
                let number = Int(rest.hasSuffix("*") ? rest.dropLast() : rest) ?? 0
                pieces[base, default: []].append((number, val, encoded))
            } else if simple[name] == nil {
                simple[name] = val
            }
        }
        for (base, parts) in pieces {
            let sorted = parts.sorted { $0.0 < $1.0 }
            var charset: String?
            var bytes: [UInt8] = []
            for (n, text, encoded) in sorted {
                var t = Substring(text)
                if n == 0 && encoded {
                    let fields = t.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if fields.count == 3 { charset = String(fields[0]); t = fields[2] }
                }
                bytes += encoded ? Self.percentDecode(t) : Array(t.utf8)
            }
            simple[base] = Charsets.decode(bytes, charset: charset ?? "utf-8").0
        }
        params = simple.mapValues { EncodedWords.decode($0) }  // some clients put encoded words in params
    }

    static func percentDecode(_ s: Substring) -> [UInt8] {
        var out: [UInt8] = []
        let u = Array(s.utf8)
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: "%"), i + 2 < u.count, let h = TransferEncoding.hex(u[i + 1]), let l = TransferEncoding.hex(u[i + 2]) {
                out.append(h << 4 | l); i += 3
            } else {
                out.append(u[i]); i += 1
            }
        }
        return out
    }
}
