/// The header block of a message or MIME part: unfolded fields in order, names matched without case.
public struct MailHeaders: Sendable {
    public struct Field: Sendable {
        public var name: String
        /// The raw value, unfolded (CRLF before white space removed), not yet decoded.
        public var value: String
    }
    public private(set) var fields: [Field] = []

    public init(fields: [Field] = []) { self.fields = fields }

    public subscript(name: String) -> String? {
        let n = name.lowercased()
        return fields.first { $0.name.lowercased() == n }?.value
    }

    public func all(_ name: String) -> [String] {
        let n = name.lowercased()
        return fields.filter { $0.name.lowercased() == n }.map(\.value)
    }

    /// A header's value with RFC 2047 encoded words decoded.
    public func decoded(_ name: String) -> String? { self[name].map(EncodedWords.decode) }

    /// Splits `bytes` into its header block and the offset where the body starts. Tolerates LF or
    /// CRLF line ends, a missing blank line (all headers), and lines that are not headers (which
    /// end the block, as in Python's parser: the rest is body).
    static func parse(_ bytes: ArraySlice<UInt8>) -> (MailHeaders, bodyStart: Int, problems: [String]) {
        var fields: [Field] = []
        var problems: [String] = []
        var i = bytes.startIndex
        let end = bytes.endIndex
        var current: (name: String, value: [UInt8])?
        func flush() {
            if let c = current { fields.append(Field(name: c.name, value: Charsets.headerText(c.value).trimmingLineWhitespace())) }
            current = nil
        }
        while i < end {
            var lineEnd = i
            while lineEnd < end && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let next = lineEnd < end ? lineEnd + 1 : end
            var contentEnd = lineEnd
            if contentEnd > i && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            if contentEnd == i {  // blank line: end of headers
                flush()
                return (MailHeaders(fields: fields), next, problems)
            }
            let first = bytes[i]
            if first == 0x20 || first == 0x09 {
                if current != nil {
                    current!.value.append(contentsOf: bytes[i..<contentEnd])
                } else {
                    problems.append("continuation line with no header before it at byte \(i - bytes.startIndex)")
                }
            } else if let colon = bytes[i..<contentEnd].firstIndex(of: 0x3A), colon > i,
                      bytes[i..<colon].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
                flush()
                current = (String(decoding: bytes[i..<colon], as: UTF8.self), Array(bytes[(colon + 1)..<contentEnd]))
            } else if i == bytes.startIndex && bytes[i..<contentEnd].starts(with: Array("From ".utf8)) {
                // An mbox envelope line; not a header.
            } else {
                flush()
                problems.append("line \(fields.count + 1) of the header block is not a header (byte \(i - bytes.startIndex)); the rest is read as body")
                return (MailHeaders(fields: fields), i, problems)
            }
            i = next
        }
        flush()
        return (MailHeaders(fields: fields), end, problems)
    }
}

extension StringProtocol {
    func trimmingLineWhitespace() -> String {
        var s = Substring(String(self))
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s.removeLast() }
        return String(s)
    }
}
